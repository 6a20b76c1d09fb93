"""Experiments (spec 12): an experiment, its arms, its daily analyses and the causal effects it
found. Winner evolution's tables (requests, lineage, competitor ads) live in `models_evolution`.

Units: CTRs and rates are ratios (a CTR of 0.8 % is 0.008), a relative MDE a ratio of the
baseline (0.20 = +20 %), money a decimal in the ad account's currency, impressions counts.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from experiments.vocabulary import MAX_PLANNED_DAYS, MAX_TREATMENTS, TESTABLE_DIMENSIONS


class ExperimentStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    READY = "ready", "Ready to deploy"
    RUNNING = "running", "Running"
    WON = "won", "Won"
    FUTILE = "futile", "Futile"
    INCONCLUSIVE = "inconclusive", "Inconclusive"
    STOPPED = "stopped", "Stopped"


class Experiment(models.Model):
    Status = ExperimentStatus
    FINISHED = (Status.WON, Status.FUTILE, Status.INCONCLUSIVE, Status.STOPPED)

    class ValueSource(models.TextChoices):
        ENTERED = "entered", "Entered"
        MEASURED = "measured", "Measured from the brand's performance"
        ASSUMED = "assumed", "Assumed (no performance data)"

    brand = models.ForeignKey("catalog.Brand", on_delete=models.CASCADE, related_name="experiments")
    product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, related_name="+")
    # The ad the control reproduces: every arm is generated from its parameters.
    base_ad = models.ForeignKey("generation.GeneratedAd", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+")
    name = models.CharField(max_length=200)
    hypothesis = models.TextField()
    # Exactly one test variable: an element dimension (genome.dimensions).
    variable = models.CharField(max_length=40)
    # The control's generation request (generation.params.AdCreationRequest as JSON): what every
    # arm holds constant; each arm changes only the variable.
    base_parameters = models.JSONField(default=dict)
    # The control ad's tags on the held dimensions, when the experiment was created.
    hold_constant = models.JSONField(default=dict)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)

    # -- the plan: power and budget (spec 12a) --
    baseline_ctr = models.FloatField()
    baseline_source = models.CharField(max_length=10, choices=ValueSource.choices)
    relative_mde = models.FloatField()
    power = models.FloatField(default=0.8)
    alpha = models.FloatField(default=0.05)
    planned_days = models.PositiveSmallIntegerField(default=7)
    planned_impressions_per_arm = models.PositiveIntegerField()
    currency = models.CharField(max_length=3, default="USD")
    cpm = models.DecimalField(max_digits=12, decimal_places=4)
    cpm_source = models.CharField(max_length=10, choices=ValueSource.choices)
    budget_estimate = models.DecimalField(max_digits=14, decimal_places=2)
    daily_budget = models.DecimalField(max_digits=14, decimal_places=2)
    min_daily_spend_per_arm = models.DecimalField(max_digits=14, decimal_places=2)
    budget_confirmed_at = models.DateTimeField(null=True, blank=True)
    budget_confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                            blank=True, related_name="+")
    # Seeds the decision rule's Monte Carlo draws and the effects: a day's verdict replays exactly.
    seed = models.BigIntegerField()

    # -- readiness, deployment and outcome --
    # Why the experiment cannot be deployed yet (the last arms check); empty when nothing blocks.
    blocking_reasons = models.JSONField(default=list, blank=True)
    # provider, account, campaign id, what a failed deployment had created, its error.
    deployment = models.JSONField(default=dict, blank=True)
    campaign_id = models.CharField(max_length=40, blank=True)
    deployed_at = models.DateTimeField(null=True, blank=True)
    # The first of the experiment's own days: the day its ads were switched on (simulated market)
    # or the first day an arm delivered (Meta, where the advertiser activates the paused campaign).
    started_on = models.DateField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    verdict = models.JSONField(default=dict, blank=True)  # the final decision, with its reasons
    winner_arm = models.ForeignKey("ExperimentArm", on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ExperimentStatus.values),
                                   name="experiment_status_known"),
            models.CheckConstraint(condition=Q(variable__in=TESTABLE_DIMENSIONS), name="experiment_variable_known"),
            models.CheckConstraint(condition=Q(baseline_ctr__gt=0) & Q(baseline_ctr__lt=1),
                                   name="experiment_baseline_is_a_ratio"),
            models.CheckConstraint(condition=Q(relative_mde__gt=0), name="experiment_mde_positive"),
            models.CheckConstraint(condition=Q(power__gt=0) & Q(power__lt=1) & Q(alpha__gt=0) & Q(alpha__lt=1),
                                   name="experiment_power_alpha_probabilities"),
            models.CheckConstraint(condition=Q(planned_days__gte=1) & Q(planned_days__lte=MAX_PLANNED_DAYS),
                                   name="experiment_planned_days_range"),
        ]
        indexes = [models.Index(fields=["brand", "status"], name="experiment_brand_status_idx")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED

    @property
    def budget_confirmed(self) -> bool:
        return self.budget_confirmed_at is not None


class ExperimentArm(models.Model):
    """The control (position 0) or a treatment (1–3): one value of the variable, one generation
    job, one ad, and on Meta one ad set with one ad."""

    class Role(models.TextChoices):
        CONTROL = "control", "Control"
        TREATMENT = "treatment", "Treatment"

    experiment = models.ForeignKey(Experiment, on_delete=models.CASCADE, related_name="arms")
    position = models.PositiveSmallIntegerField()
    role = models.CharField(max_length=10, choices=Role.choices)
    value = models.CharField(max_length=200, blank=True)  # "" = the ad does not carry the dimension
    job = models.ForeignKey("jobs.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    generated_ad = models.ForeignKey("generation.GeneratedAd", on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="experiment_arms")
    # Why this arm's ad cannot run in the experiment (hold-constant mismatch, not approved …).
    check_errors = models.JSONField(default=list, blank=True)
    meta_adset_id = models.CharField(max_length=40, blank=True)
    meta_ad_id = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["experiment_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["experiment", "position"], name="arm_unique_position"),
            models.UniqueConstraint(fields=["experiment", "value"], name="arm_values_differ"),
            models.CheckConstraint(condition=Q(position__lte=MAX_TREATMENTS), name="arm_at_most_three_treatments"),
            models.CheckConstraint(condition=(Q(position=0) & Q(role="control")) | (Q(position__gte=1) & Q(role="treatment")),
                                   name="arm_control_is_position_0"),
        ]

    def __str__(self) -> str:
        return f"{self.experiment} · {self.key}"

    @property
    def key(self) -> str:
        return "control" if self.position == 0 else f"t{self.position}"


class ExperimentDay(models.Model):
    """The decision rule's look at one of the experiment's days (spec 12c), per arm in position order.
    Every analysis replays the whole history (Meta revises recent days), so rows are upserted."""

    experiment = models.ForeignKey(Experiment, on_delete=models.CASCADE, related_name="days")
    day = models.PositiveSmallIntegerField()  # 1-based
    date = models.DateField()
    decision = models.CharField(max_length=16)  # experiments.decision statuses
    final = models.BooleanField(default=False)
    daily_impressions = models.JSONField(default=list)
    daily_clicks = models.JSONField(default=list)
    impressions = models.JSONField(default=list)  # cumulative
    clicks = models.JSONField(default=list)
    prob_best = models.JSONField(default=list)
    mc_error = models.JSONField(default=list)
    srm_p_value = models.FloatField(null=True)
    # pairwise, pairwise_required, dispersion, counted_looks, looks_allowed, futile_arms, leader, winner
    detail = models.JSONField(default=dict)
    reasons = models.JSONField(default=list)
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["experiment_id", "day"]
        constraints = [models.UniqueConstraint(fields=["experiment", "day"], name="experiment_day_unique")]


class CausalEffect(models.Model):
    """One treatment arm against the control when an experiment finished (spec 12d): the ATE on
    CTR with its credible interval, graded. Only a won experiment's interval that excludes 0 is
    "causal"; everything else is stored with a lower grade, never as causal."""

    class Grade(models.TextChoices):
        CAUSAL = "causal", "Causal"
        SUGGESTIVE = "suggestive", "Suggestive"
        INCONCLUSIVE = "inconclusive", "Inconclusive"

    experiment = models.ForeignKey(Experiment, on_delete=models.CASCADE, related_name="effects")
    arm = models.ForeignKey(ExperimentArm, on_delete=models.CASCADE, related_name="+")
    brand = models.ForeignKey("catalog.Brand", on_delete=models.CASCADE, related_name="causal_effects")
    dimension = models.CharField(max_length=40)
    control_value = models.CharField(max_length=200, blank=True)
    treatment_value = models.CharField(max_length=200, blank=True)
    metric = models.CharField(max_length=10, default="ctr")
    ate_absolute = models.FloatField()  # θ_t − θ_c, CTR ratio units
    ate_absolute_low = models.FloatField()
    ate_absolute_high = models.FloatField()
    ate_relative = models.FloatField()  # θ_t/θ_c − 1 (posterior median)
    ate_relative_low = models.FloatField()
    ate_relative_high = models.FloatField()
    prob_positive = models.FloatField()
    credibility = models.FloatField()
    dispersion = models.FloatField(default=1.0)
    grade = models.CharField(max_length=14, choices=Grade.choices)
    experiment_status = models.CharField(max_length=16)  # the decision it was graded under
    impressions_control = models.PositiveBigIntegerField()
    impressions_treatment = models.PositiveBigIntegerField()
    clicks_control = models.PositiveBigIntegerField()
    clicks_treatment = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["experiment", "arm"], name="causal_effect_one_per_arm"),
            models.CheckConstraint(condition=Q(grade__in=["causal", "suggestive", "inconclusive"]),
                                   name="causal_effect_grade_known"),
            models.CheckConstraint(condition=Q(ate_absolute_low__lte=models.F("ate_absolute_high")),
                                   name="causal_effect_interval_ordered"),
        ]
        indexes = [models.Index(fields=["brand", "dimension"], name="causal_brand_dimension_idx")]

    def __str__(self) -> str:
        return f"{self.dimension}: {self.control_value or 'none'} → {self.treatment_value or 'none'} ({self.grade})"


# Winner evolution's tables; Django finds the models through this import.
from experiments.models_evolution import AdLineage, CompetitorAd, Evolution  # noqa: E402,F401
