"""Quality scoring configs (versioned, human-approved) and human review overrides (spec 6b, P2-2)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

# Spec 6a: the 15 checks. The default weights lean on what most often sinks a static ad:
# the product reproduced exactly (V1), legible text (V2), production quality (V7) and the
# label (V9); congruence and content checks count, but less than a broken visual.
DEFAULT_WEIGHTS: dict[str, float] = {
    "V1": 1.5, "V2": 1.5, "V3": 1.0, "V4": 1.0, "V5": 1.0, "V6": 1.0, "V7": 1.25, "V8": 1.0, "V9": 1.25,
    "C1": 1.0, "C2": 0.75, "C3": 0.75, "C4": 0.5, "G1": 1.0, "G2": 0.75,
}
# Spec 6a: V9 garbled packaging auto-rejects; V1 a wrong product too; V4 an ad in colours far
# from its palette (a hue-rotated or other-mode ad scores 0.2-2.1; faithful renders of every demo
# template, size and mode scored 3.97 and up, most above 8.5); V7 an ad no one could run for its
# finish: heavy JPEG blocks, an ad of another ratio letterboxed in, a blank image (faithful renders
# score 8.5 and up); V5 an ad missing a required disclaimer or making a prohibited claim (the
# brand's compliance rules: no average makes up for them; faithful renders score 10). Below 3/10
# is "clearly wrong" on the 0–10 scale, not merely weak.
DEFAULT_AUTO_REJECT: dict[str, float] = {"V1": 3.0, "V4": 3.0, "V5": 3.0, "V7": 3.0, "V9": 3.0}
RUBRIC_VERSION = "rubric-v1"


class QualityScoringConfig(models.Model):
    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        ACTIVE = "active", "Active"
        RETIRED = "retired", "Retired"

    # Null: the global config. Set: the brand's own, which wins over the global one.
    brand = models.ForeignKey("catalog.Brand", on_delete=models.CASCADE, null=True, blank=True,
                              related_name="quality_configs")
    version = models.PositiveIntegerField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PROPOSED)
    weights = models.JSONField(default=dict)
    pass_threshold = models.FloatField(default=7.0)
    borderline_low = models.FloatField(default=5.0)
    borderline_high = models.FloatField(default=7.0)
    auto_reject = models.JSONField(default=dict, blank=True)
    rubric_version = models.CharField(max_length=20, default=RUBRIC_VERSION)
    # Why this version exists: "initial defaults", or the calibration statistics behind it.
    rationale = models.JSONField(default=dict, blank=True)
    based_on = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["brand_id", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["brand", "version"], name="qconfig_unique_brand_version"),
            models.UniqueConstraint(fields=["version"], condition=Q(brand__isnull=True), name="qconfig_unique_global_version"),
            # Exactly one active config per scope: per brand, and one global.
            models.UniqueConstraint(fields=["brand"], condition=Q(status="active"), name="qconfig_one_active_per_brand"),
            models.UniqueConstraint(fields=["status"], condition=Q(status="active", brand__isnull=True),
                                    name="qconfig_one_active_global"),
            models.CheckConstraint(condition=Q(status__in=["proposed", "active", "retired"]), name="qconfig_status_known"),
            models.CheckConstraint(
                condition=Q(borderline_low__gte=0) & Q(borderline_low__lte=models.F("borderline_high"))
                & Q(borderline_high__lte=10) & Q(pass_threshold__gte=0) & Q(pass_threshold__lte=10),
                name="qconfig_thresholds_in_range",
            ),
        ]

    def __str__(self) -> str:
        scope = self.brand.name if self.brand_id else "global"
        return f"Quality config v{self.version} ({scope}, {self.status})"


class AdReviewOverride(models.Model):
    """One human decision on one ad. No unique constraint: the full history is kept (P2-2)."""

    class Action(models.TextChoices):
        OVERRIDE_APPROVE = "override_approve", "Override: approve"
        OVERRIDE_REJECT = "override_reject", "Override: reject"
        CONFIRM = "confirm", "Confirm the AI's decision"

    ad = models.ForeignKey("generation.GeneratedAd", on_delete=models.CASCADE, related_name="overrides")
    action = models.CharField(max_length=20, choices=Action.choices)
    # {"V3": 4.0, ...}: the human's corrected scores for the checks they disagreed with.
    check_corrections = models.JSONField(default=dict, blank=True)
    note = models.TextField(blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    # The AI's decision when the human decided, and the status the ad got from this decision.
    ai_status = models.CharField(max_length=20)
    resulting_status = models.CharField(max_length=20)
    superseded_by = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="supersedes")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["ad", "-created_at"], name="override_ad_created_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(action__in=["override_approve", "override_reject", "confirm"]),
                                   name="override_action_known"),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} on ad {self.ad_id}"

    @property
    def disagrees(self) -> bool:
        return self.resulting_status != self.ai_status


class AdReviewDecision(models.Model):
    """Why the staged review decided what it did (issue 16 item 4): the rule that decided, the
    check or defect behind it, and a sentence a person reads without hovering. One per ad,
    replaced when the ad is reviewed again (a retry of a rejected ad)."""

    class Rule(models.TextChoices):
        DEFECT = "defect", "Defect found"
        FLOOR = "floor", "Below an auto-reject floor"
        PASS_THRESHOLD = "pass_threshold", "Weighted score meets the pass threshold"
        BELOW_THRESHOLD = "below_threshold", "Weighted score below the pass threshold"
        SECOND_OPINION = "second_opinion", "Approved by the second opinion"
        BOTH_BORDERLINE = "both_borderline", "Both reviewers borderline"
        REVIEW_ERROR = "review_error", "The review could not finish"

    ad = models.OneToOneField("generation.GeneratedAd", on_delete=models.CASCADE, related_name="review_decision")
    status = models.CharField(max_length=20)
    rule = models.CharField(max_length=20, choices=Rule.choices)
    stage = models.PositiveSmallIntegerField()
    code = models.CharField(max_length=24, blank=True)  # "V1", "PRODUCT_DISTORTION", or "" (the whole score)
    score = models.FloatField(null=True, blank=True)
    limit = models.FloatField(null=True, blank=True)  # the floor or threshold it was measured against
    reason = models.TextField()
    region = models.JSONField(null=True, blank=True)  # [x0, y0, x1, y1] canvas fractions
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(rule__in=["defect", "floor", "pass_threshold", "below_threshold",
                                                         "second_opinion", "both_borderline", "review_error"]),
                                   name="review_decision_rule_known"),
        ]

    def __str__(self) -> str:
        return f"{self.status} by {self.rule} on ad {self.ad_id}"


class AdReviewFinding(models.Model):
    """One answer of a judge on one ad: a defect of the stage-1 scan or a check of a rubric, with
    its reason and, where it has one, its region on the ad."""

    class Stage(models.IntegerChoices):
        DEFECT_SCAN = 1, "Defect scan"
        RUBRIC = 2, "Rubric"
        SECOND_OPINION = 3, "Second opinion"

    ad = models.ForeignKey("generation.GeneratedAd", on_delete=models.CASCADE, related_name="review_findings")
    stage = models.PositiveSmallIntegerField(choices=Stage.choices)
    code = models.CharField(max_length=24)
    score = models.FloatField(null=True, blank=True)  # a check's 0–10 score; None: not measured, or a defect
    confidence = models.FloatField(null=True, blank=True)  # a defect's
    # A defect present, or a check scored below the borderline band or below its floor.
    failed = models.BooleanField(default=False)
    decisive = models.BooleanField(default=False)
    reason = models.TextField(blank=True)
    region = models.JSONField(null=True, blank=True)
    provider = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["ad_id", "stage", "id"]
        constraints = [
            models.UniqueConstraint(fields=["ad", "stage", "code"], name="review_finding_unique_ad_stage_code"),
            models.CheckConstraint(condition=Q(stage__in=[1, 2, 3]), name="review_finding_stage_known"),
            models.CheckConstraint(condition=Q(score__isnull=True) | (Q(score__gte=0) & Q(score__lte=10)),
                                   name="review_finding_score_in_range"),
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.get_stage_display()}) on ad {self.ad_id}"
