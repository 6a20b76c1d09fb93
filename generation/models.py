"""Generation records: one AdRun per job run, one GeneratedAd per (brief, canvas size)."""

from __future__ import annotations

import re
import uuid

from django.db import models
from django.db.models import Q

from adcreator.prompts.vocabulary import CANVAS_VALUES, COLOR_MODES
from adcreator.web.uploads import validate_image_upload


class AdStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    GENERATED = "generated", "Generated (not reviewed)"
    GENERATION_FAILED = "generation_failed", "Generation failed"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    FLAGGED = "flagged", "Flagged for a human"
    REVIEW_FAILED = "review_failed", "Review failed"


class AdRun(models.Model):
    organization = models.ForeignKey("catalog.Organization", on_delete=models.CASCADE, related_name="ad_runs")
    brand = models.ForeignKey("catalog.Brand", on_delete=models.CASCADE, related_name="ad_runs")
    product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, related_name="ad_runs")
    # One AdRun per job run: a resumed run finds its AdRun again instead of starting over.
    job_run = models.OneToOneField(
        "jobs.JobRun", on_delete=models.SET_NULL, null=True, blank=True, related_name="ad_run"
    )
    # Spec 9a / 15: prompt_template_version, pipeline_version, review_rubric_version, and the
    # resolved choices of the run (templates, sizes, colours, content source).
    generation_config = models.JSONField(default=dict, blank=True)
    pipeline_version = models.CharField(max_length=20, default="v2")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organization", "-created_at"], name="adrun_org_created_idx")]

    def __str__(self) -> str:
        return f"Ad run #{self.pk} ({self.product})"


_HAS_HEX_LETTER = re.compile(r"[a-f]")


def new_public_id() -> uuid.UUID:
    """A stable public id whose 8-hex short form holds at least one letter a–f, so matching ad
    names by short id (spec P1-5's fallback) can never take an 8-digit date for an id."""
    while True:
        candidate = uuid.uuid4()
        if _HAS_HEX_LETTER.search(candidate.hex[:8]):
            return candidate


class GeneratedAd(models.Model):
    ad_run = models.ForeignKey(AdRun, on_delete=models.CASCADE, related_name="ads")
    # Stable and public: its short form names the ad's files and, on Meta, its ads (spec P1-5).
    public_id = models.UUIDField(default=new_public_id, unique=True, editable=False)
    # Identifies the creative brief (template + hook + colour + variation); each canvas size
    # of the brief is its own row (spec P0-2).
    prompt_index = models.PositiveSmallIntegerField()
    canvas_size = models.CharField(max_length=9)
    color_mode = models.CharField(max_length=16)
    variation_index = models.PositiveSmallIntegerField(default=1)
    template = models.ForeignKey(
        "templates.ScrapedTemplate", on_delete=models.SET_NULL, null=True, blank=True, related_name="generated_ads"
    )
    hook = models.ForeignKey("catalog.Hook", on_delete=models.SET_NULL, null=True, blank=True, related_name="ads")
    headline = models.CharField(max_length=300, blank=True)
    original_headline = models.CharField(max_length=300, blank=True)
    congruence_score = models.FloatField(null=True, blank=True)
    congruence = models.JSONField(default=dict, blank=True)
    # The pipeline stores the PNGs it makes itself; the validator checks what the admin uploads.
    image = models.ImageField(upload_to="ads/%Y/%m/", blank=True, validators=[validate_image_upload])
    status = models.CharField(max_length=20, choices=AdStatus.choices, default=AdStatus.PENDING)
    error = models.TextField(blank=True)
    prompt = models.JSONField(default=dict, blank=True)
    prompt_version = models.CharField(max_length=20, blank=True)
    element_tags = models.JSONField(default=dict, blank=True)
    # The genome's predicted reward for this ad's element combination, computed before it was
    # generated (a probability of success in [0, 1]); NULL when the genome had no evidence.
    pre_gen_score = models.FloatField(null=True, blank=True)
    generation_attempts = models.PositiveSmallIntegerField(default=0)
    # Review (spec 6a). `status` is the current status and follows the latest human decision;
    # `ai_status` is what the staged review decided and never changes after it.
    ai_status = models.CharField(max_length=20, blank=True)
    defect_scan_result = models.JSONField(default=dict, blank=True)
    review_check_scores = models.JSONField(default=dict, blank=True)
    review_score = models.FloatField(null=True, blank=True)
    review = models.JSONField(default=dict, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    # Regenerations after a rejection (RetryRejected, bounded).
    retry_count = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["ad_run_id", "prompt_index", "canvas_size"]
        constraints = [
            models.UniqueConstraint(
                fields=["ad_run", "prompt_index", "canvas_size"], name="generatedad_unique_run_index_size"
            ),
            models.CheckConstraint(
                condition=Q(prompt_index__gte=1) & Q(prompt_index__lte=100), name="generatedad_prompt_index_1_100"
            ),
            models.CheckConstraint(condition=Q(canvas_size__in=CANVAS_VALUES), name="generatedad_canvas_known"),
            models.CheckConstraint(condition=Q(color_mode__in=COLOR_MODES), name="generatedad_color_known"),
            models.CheckConstraint(condition=Q(status__in=AdStatus.values), name="generatedad_status_known"),
        ]
        indexes = [
            models.Index(fields=["status", "-created_at"], name="generatedad_status_created_idx"),
            models.Index(fields=["template", "ad_run"], name="generatedad_template_run_idx"),
        ]

    def __str__(self) -> str:
        return f"Ad {self.prompt_index} {self.canvas_size} {self.color_mode} of run {self.ad_run_id}"

    @property
    def short_id(self) -> str:
        """The 8-hex short form of the public id: in download file names and Meta ad names."""
        return self.public_id.hex[:8]
