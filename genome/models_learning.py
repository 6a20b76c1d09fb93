"""What the genome learns (spec 10.3–10.7, 13): per-ad rewards, element scores, attribution
findings, the brand's learning state, weekly snapshots for drift, and system alerts.

Everything here is rebuilt by `creative_genome_update` from the data underneath (performance,
review decisions), so an update is idempotent; nothing is edited by hand.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Coalesce


class RewardSource(models.TextChoices):
    PERFORMANCE = "performance", "Meta performance"
    HUMAN_REVIEW = "human_review", "Human review decision"
    AI_REVIEW = "ai_review", "AI review"
    NONE = "none", "No reward yet"


class AdReward(models.Model):
    """One reward per generated ad (creative_element_rewards), recomputed at every update."""

    generated_ad = models.OneToOneField("generation.GeneratedAd", on_delete=models.CASCADE, related_name="reward")
    brand = models.ForeignKey("catalog.Brand", on_delete=models.CASCADE, related_name="+")
    product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, null=True, related_name="+")
    # In [0, 1]; NULL: no reward yet (nothing matured, or no review outcome) — never a neutral 0.5.
    reward = models.FloatField(null=True)
    # How much this reward counts in the Beta update (performance 1, human review 1, AI review 0.5,
    # unlaunched ads of a Meta brand a quarter of that).
    weight = models.FloatField(default=0.0)
    source = models.CharField(max_length=16, choices=RewardSource.choices)
    launched = models.BooleanField(default=False)
    objective = models.CharField(max_length=20, blank=True)
    impressions = models.PositiveBigIntegerField(default=0)
    clicks = models.PositiveBigIntegerField(default=0)
    conversions = models.PositiveBigIntegerField(default=0)
    spend = models.DecimalField(max_digits=14, decimal_places=4, default=0)
    conversion_value = models.DecimalField(max_digits=14, decimal_places=4, default=0)
    days_with_data = models.PositiveIntegerField(default=0)
    ctr = models.FloatField(null=True)  # clicks / impressions over all days (ratio), for validation
    # genome.rewards.PerformanceRewards.explain(): matured metrics, contributions, baselines.
    detail = models.JSONField(default=dict, blank=True)
    computed_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["brand", "source"], name="reward_brand_source_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(reward__isnull=True) | (Q(reward__gte=0) & Q(reward__lte=1)),
                                   name="reward_in_0_1"),
        ]


class ElementScore(models.Model):
    """Beta(α, β) per (brand, product or brand-wide, dimension, value) — spec 10.4, P2-2."""

    brand = models.ForeignKey("catalog.Brand", on_delete=models.CASCADE, related_name="element_scores")
    # NULL: brand-wide. The unique index below treats NULL as a value (P2-2), so a brand-wide row
    # is one row, not one per update.
    product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    dimension = models.CharField(max_length=40)
    value = models.CharField(max_length=200)
    alpha = models.FloatField()
    beta = models.FloatField()
    mean = models.FloatField()
    ci_low = models.FloatField()  # 90 % credible interval
    ci_high = models.FloatField()
    matured_ads = models.PositiveIntegerField(default=0)  # ads with a reward that carry the value
    successes = models.FloatField(default=0.0)  # weighted
    failures = models.FloatField(default=0.0)
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(Coalesce("product", Value(0)), "brand", "dimension", "value",
                                    name="element_score_unique_scope"),
            models.CheckConstraint(condition=Q(alpha__gt=0) & Q(beta__gt=0), name="element_score_beta_positive"),
        ]
        indexes = [models.Index(fields=["brand", "dimension"], name="element_score_brand_dim_idx")]

    def __str__(self) -> str:
        return f"{self.dimension}={self.value}: Beta({self.alpha:.1f}, {self.beta:.1f})"


class ElementScoreSnapshot(models.Model):
    """The brand-wide element scores as they stood at a validation: drift is measured between two."""

    brand = models.ForeignKey("catalog.Brand", on_delete=models.CASCADE, related_name="+")
    taken_on = models.DateField()
    scores = models.JSONField()  # [[dimension, value, alpha, beta], …]

    class Meta:
        constraints = [models.UniqueConstraint(fields=["brand", "taken_on"], name="snapshot_one_per_day")]


class AttributionFinding(models.Model):
    """A stratified effect (spec 10.5): reported only when its sign agrees in ≥ 3 strata.
    Every finding here is correlational; only an experiment makes one causal."""

    brand = models.ForeignKey("catalog.Brand", on_delete=models.CASCADE, related_name="+")
    dimension = models.CharField(max_length=40)
    value = models.CharField(max_length=200)
    effect = models.FloatField(null=True)  # stratified (weighted within-stratum difference of mean reward)
    pooled_effect = models.FloatField(null=True)
    strata = models.PositiveIntegerField()
    strata_agreeing = models.PositiveIntegerField()
    reported = models.BooleanField()
    simpson = models.BooleanField(default=False)  # the pooled and stratified effects point opposite ways
    label = models.CharField(max_length=20, default="correlational")
    computed_at = models.DateTimeField()


class GenomeState(models.Model):
    """A brand's learning state after the last update: cold-start level and evidence (spec 10.6)."""

    brand = models.OneToOneField("catalog.Brand", on_delete=models.CASCADE, related_name="genome_state")
    cold_start_level = models.PositiveSmallIntegerField(default=0)
    days_of_data = models.PositiveIntegerField(default=0)
    matured_ads = models.PositiveIntegerField(default=0)  # ads with a reward
    exploration_rate = models.FloatField()
    updated_at = models.DateTimeField()
    summary = models.JSONField(default=dict, blank=True)
    # The last genome_validation's figures (prediction accuracy, drift, §13 metrics).
    validation = models.JSONField(default=dict, blank=True)


class SystemAlert(models.Model):
    """An alert (spec 13): one open alert per metric and brand; resolved when the metric recovers."""

    class Level(models.TextChoices):
        WARNING = "warning", "Warning"
        CRITICAL = "critical", "Critical"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        RESOLVED = "resolved", "Resolved"

    brand = models.ForeignKey("catalog.Brand", on_delete=models.CASCADE, null=True, blank=True, related_name="alerts")
    metric = models.CharField(max_length=40)
    level = models.CharField(max_length=10, choices=Level.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    value = models.FloatField(null=True)
    threshold = models.CharField(max_length=120)  # "< 0.60 for 7 days"
    message = models.CharField(max_length=300)
    action = models.CharField(max_length=200, blank=True)
    opened_at = models.DateTimeField()
    last_seen_at = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(Coalesce("brand", Value(0)), "metric", condition=Q(status="open"),
                                    name="alert_one_open_per_metric_brand"),
            models.CheckConstraint(condition=Q(level__in=["warning", "critical"]), name="alert_level_known"),
        ]
        indexes = [models.Index(fields=["status", "brand"], name="alert_status_brand_idx")]

    def __str__(self) -> str:
        return f"{self.get_level_display()}: {self.metric} ({self.get_status_display()})"
