"""Generation records: one AdRun per job run, one GeneratedAd per (brief, canvas size)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from adcreator.catalog.uploads import validate_image_upload

CANVAS_SIZE_VALUES = ("1080x1080", "1080x1350", "1080x1920", "1920x1080")
COLOR_MODE_VALUES = ("original", "complementary", "brand")


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


class GeneratedAd(models.Model):
    ad_run = models.ForeignKey(AdRun, on_delete=models.CASCADE, related_name="ads")
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
            models.CheckConstraint(condition=Q(canvas_size__in=CANVAS_SIZE_VALUES), name="generatedad_canvas_known"),
            models.CheckConstraint(condition=Q(color_mode__in=COLOR_MODE_VALUES), name="generatedad_color_known"),
            models.CheckConstraint(condition=Q(status__in=AdStatus.values), name="generatedad_status_known"),
        ]
        indexes = [
            models.Index(fields=["status", "-created_at"], name="generatedad_status_created_idx"),
            models.Index(fields=["template", "ad_run"], name="generatedad_template_run_idx"),
        ]

    def __str__(self) -> str:
        return f"Ad {self.prompt_index} {self.canvas_size} {self.color_mode} of run {self.ad_run_id}"


class ProviderCall(models.Model):
    """The call ledger: every model call, so cost per approved ad is a query."""

    class Outcome(models.TextChoices):
        OK = "ok", "OK"
        RETRYABLE_ERROR = "retryable_error", "Retryable error"
        ERROR = "error", "Error"
        BLOCKED = "blocked", "Blocked"

    job_run = models.ForeignKey("jobs.JobRun", on_delete=models.CASCADE, null=True, blank=True, related_name="calls")
    ad_run = models.ForeignKey(AdRun, on_delete=models.CASCADE, null=True, blank=True, related_name="calls")
    ad = models.ForeignKey(GeneratedAd, on_delete=models.SET_NULL, null=True, blank=True, related_name="calls")
    purpose = models.CharField(max_length=40)
    provider = models.CharField(max_length=20)
    model = models.CharField(max_length=80)
    input_tokens = models.PositiveIntegerField(default=0)
    output_tokens = models.PositiveIntegerField(default=0)
    cost_usd = models.DecimalField(max_digits=10, decimal_places=5, default=0)
    latency_ms = models.PositiveIntegerField(default=0)
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["ad_run", "purpose"], name="call_run_purpose_idx")]

    def __str__(self) -> str:
        return f"{self.purpose} via {self.provider}/{self.model}: {self.outcome}"
