"""API shapes of experiments and winner evolution: inputs validated strictly, outputs shaped."""

from __future__ import annotations

from rest_framework import serializers

from adcreator.api.fields import (
    QueryParamsSerializer, StrictCharField, StrictFloatField, StrictIntegerField, id_field, id_query_field,
)
from experiments.models import CausalEffect, Experiment, ExperimentArm, ExperimentDay
from experiments.models_evolution import AdLineage, Evolution
from experiments.vocabulary import EVOLUTION_MODES, MAX_PLANNED_DAYS, MAX_TREATMENTS, TESTABLE_DIMENSIONS


# --- requests ---------------------------------------------------------------------------------

class PlanInputSerializer(serializers.Serializer):
    relative_mde = StrictFloatField(default=0.20, help_text="The smallest relative lift to detect: 0.20 is +20 % "
                                                            "of the baseline CTR.")
    power = StrictFloatField(default=0.8, help_text="Probability of detecting a true lift of that size.")
    alpha = StrictFloatField(default=0.05, help_text="False-positive rate, split over the treatment arms.")
    planned_days = StrictIntegerField(default=7, min_value=1, max_value=MAX_PLANNED_DAYS,
                                      help_text="Days the budget is spread over (the rule stops at day 14).")
    baseline_ctr = StrictFloatField(required=False, allow_null=True, default=None,
                                    help_text="The control's expected CTR as a ratio (0.008 is 0.8 %); default: the "
                                              "brand's own, else an assumed 1 %.")


class CalculatorInputSerializer(PlanInputSerializer):
    brand_id = id_field()
    treatments = StrictIntegerField(min_value=1, max_value=MAX_TREATMENTS, default=1)


class ExperimentCreateSerializer(PlanInputSerializer):
    base_ad_id = id_field(help_text="The ad the control reproduces; every arm holds its other elements.")
    variable = serializers.ChoiceField(choices=TESTABLE_DIMENSIONS, help_text="The one element dimension tested.")
    treatment_values = serializers.ListField(child=StrictCharField(max_length=200, allow_blank=True), min_length=1,
                                             max_length=MAX_TREATMENTS,
                                             help_text="1–3 values of the variable (ids as text), each one arm.")
    hypothesis = StrictCharField(max_length=2000)
    name = StrictCharField(max_length=200, required=False, allow_blank=True, default="")


class ConfirmBudgetSerializer(serializers.Serializer):
    budget_estimate = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True,
                                               coerce_to_string=False,
                                               help_text="The total you saw; refused if the plan has changed since.")


class DeployInputSerializer(serializers.Serializer):
    page_id = StrictCharField(max_length=40, required=False, allow_blank=True, default="",
                              help_text="Meta only: the Facebook Page the ads run under.")
    link_url = StrictCharField(max_length=500, required=False, allow_blank=True, default="",
                               help_text="Meta only: where the ads link (default: the offer's or brand's landing page).")
    countries = serializers.ListField(child=StrictCharField(max_length=2, min_length=2), required=False,
                                      max_length=50, default=["US"])


class StopInputSerializer(serializers.Serializer):
    reason = StrictCharField(max_length=500, required=False, allow_blank=True, default="")


class EvolveInputSerializer(serializers.Serializer):
    mode = serializers.ChoiceField(choices=list(EVOLUTION_MODES))


class HeadlineEditInputSerializer(serializers.Serializer):
    headline = StrictCharField(max_length=300, help_text="The new headline, exactly as the ad should carry it.")


class ExperimentFilterSerializer(QueryParamsSerializer):
    brand = id_query_field(required=False)
    status = serializers.ChoiceField(choices=Experiment.Status.choices, required=False)


class BrandFilterSerializer(QueryParamsSerializer):
    brand = id_query_field(required=False)


class LineageFilterSerializer(QueryParamsSerializer):
    brand = id_query_field(required=False)
    ad = id_query_field(required=False, help_text="Rows where this ad is the child, parent or ancestor.")


# --- responses --------------------------------------------------------------------------------

class PlanSerializer(serializers.Serializer):
    baseline_ctr = serializers.FloatField()
    baseline_source = serializers.CharField()
    relative_mde = serializers.FloatField()
    power = serializers.FloatField()
    alpha = serializers.FloatField()
    alpha_per_comparison = serializers.FloatField()
    arms = serializers.IntegerField()
    planned_days = serializers.IntegerField()
    impressions_per_arm = serializers.IntegerField()
    cpm = serializers.DecimalField(max_digits=12, decimal_places=4)
    cpm_source = serializers.CharField()
    currency = serializers.CharField()
    total_spend = serializers.DecimalField(max_digits=14, decimal_places=2)
    daily_budget = serializers.DecimalField(max_digits=14, decimal_places=2)
    min_daily_spend_per_arm = serializers.DecimalField(max_digits=14, decimal_places=2)
    daily_impressions_per_arm = serializers.IntegerField()


class ArmSerializer(serializers.ModelSerializer):
    key = serializers.CharField(read_only=True)
    job = serializers.IntegerField(source="job_id", allow_null=True)
    generated_ad = serializers.IntegerField(source="generated_ad_id", allow_null=True)

    class Meta:
        model = ExperimentArm
        fields = ["id", "key", "position", "role", "value", "job", "generated_ad", "check_errors", "meta_adset_id",
                  "meta_ad_id"]


class ExperimentSerializer(serializers.ModelSerializer):
    brand = serializers.IntegerField(source="brand_id")
    product = serializers.IntegerField(source="product_id")
    base_ad = serializers.IntegerField(source="base_ad_id", allow_null=True)
    winner_arm = serializers.IntegerField(source="winner_arm_id", allow_null=True)
    budget_confirmed = serializers.BooleanField(read_only=True)
    baseline_source = serializers.CharField(read_only=True, help_text="entered, measured (the brand's last 28 days) "
                                                                      "or assumed (no data)")
    cpm_source = serializers.CharField(read_only=True, help_text="measured or assumed")
    arms = ArmSerializer(many=True, read_only=True)

    class Meta:
        model = Experiment
        fields = ["id", "name", "brand", "product", "base_ad", "hypothesis", "variable", "status", "hold_constant",
                  "baseline_ctr", "baseline_source", "relative_mde", "power", "alpha", "planned_days",
                  "planned_impressions_per_arm", "currency", "cpm", "cpm_source", "budget_estimate", "daily_budget",
                  "min_daily_spend_per_arm", "budget_confirmed", "budget_confirmed_at", "blocking_reasons",
                  "campaign_id", "deployed_at", "started_on", "ended_at", "verdict", "winner_arm", "arms",
                  "created_at", "updated_at"]


class ExperimentDaySerializer(serializers.ModelSerializer):
    class Meta:
        model = ExperimentDay
        fields = ["day", "date", "decision", "final", "daily_impressions", "daily_clicks", "impressions", "clicks",
                  "prob_best", "mc_error", "srm_p_value", "detail", "reasons", "computed_at"]


class CausalEffectSerializer(serializers.ModelSerializer):
    experiment = serializers.IntegerField(source="experiment_id")
    brand = serializers.IntegerField(source="brand_id")
    arm = serializers.IntegerField(source="arm_id")

    class Meta:
        model = CausalEffect
        fields = ["id", "experiment", "brand", "arm", "dimension", "control_value", "treatment_value", "metric",
                  "ate_absolute", "ate_absolute_low", "ate_absolute_high", "ate_relative", "ate_relative_low",
                  "ate_relative_high", "prob_positive", "credibility", "dispersion", "grade", "experiment_status",
                  "impressions_control", "impressions_treatment", "clicks_control", "clicks_treatment", "created_at"]


class LineageSerializer(serializers.ModelSerializer):
    child_ad = serializers.IntegerField(source="child_ad_id")
    parent_ad = serializers.IntegerField(source="parent_ad_id")
    ancestor_ad = serializers.IntegerField(source="ancestor_ad_id")
    job = serializers.IntegerField(source="evolution.job_id")

    class Meta:
        model = AdLineage
        fields = ["id", "child_ad", "parent_ad", "ancestor_ad", "round", "mode", "variable", "from_value", "to_value",
                  "job", "created_at"]


class EvolutionSerializer(serializers.ModelSerializer):
    parent_ad = serializers.IntegerField(source="parent_ad_id")
    ancestor_ad = serializers.IntegerField(source="ancestor_ad_id")
    job = serializers.IntegerField(source="job_id")

    class Meta:
        model = Evolution
        fields = ["id", "parent_ad", "ancestor_ad", "round", "mode", "variable", "from_value", "to_value", "job",
                  "detail", "created_at"]


class WinnerCheckSerializer(serializers.Serializer):
    qualifies = serializers.BooleanField()
    basis = serializers.CharField()
    reasons = serializers.ListField(child=serializers.CharField())
    days_with_data = serializers.IntegerField()
    impressions = serializers.IntegerField()
    reward = serializers.FloatField(allow_null=True)
    ctr = serializers.FloatField(allow_null=True)
    roas = serializers.FloatField(allow_null=True)
    ctr_threshold = serializers.FloatField(allow_null=True)
    roas_threshold = serializers.FloatField(allow_null=True)


class VariantSerializer(serializers.Serializer):
    label = serializers.CharField()
    variable = serializers.CharField()
    from_value = serializers.CharField()
    to_value = serializers.CharField()
    ads = serializers.IntegerField()
    cost_usd = serializers.DecimalField(max_digits=12, decimal_places=2)


class ModeOptionSerializer(serializers.Serializer):
    mode = serializers.CharField()
    letter = serializers.CharField()
    title = serializers.CharField()
    applies = serializers.BooleanField()
    available = serializers.BooleanField()
    blocked = serializers.CharField()
    reasons = serializers.ListField(child=serializers.CharField())
    ads = serializers.IntegerField()
    cost_usd = serializers.DecimalField(max_digits=12, decimal_places=2)
    variants = VariantSerializer(many=True)


class EvolutionOptionsSerializer(serializers.Serializer):
    ad = serializers.IntegerField(source="ad.pk")
    winner = WinnerCheckSerializer()
    round = serializers.IntegerField(help_text="The round the children would be (1 for an original ad's).")
    ancestor = serializers.IntegerField(source="ancestor_id")
    iterations_used = serializers.IntegerField()
    limit_message = serializers.CharField()
    modes = ModeOptionSerializer(many=True)


class PairSerializer(serializers.Serializer):
    child_id = serializers.IntegerField()
    parent_id = serializers.IntegerField()
    mode = serializers.CharField()
    days = serializers.IntegerField()
    child_reward = serializers.FloatField(allow_null=True)
    parent_reward = serializers.FloatField(allow_null=True)
    child_ctr = serializers.FloatField(allow_null=True)
    parent_ctr = serializers.FloatField(allow_null=True)
    beats = serializers.BooleanField(allow_null=True)


class EvolutionSuccessSerializer(serializers.Serializer):
    compared = serializers.IntegerField()
    beats = serializers.IntegerField()
    rate = serializers.FloatField(allow_null=True, help_text="Share of compared children beating their parent; "
                                                               "null when none could be compared yet.")
    waiting = serializers.IntegerField()
    min_days = serializers.IntegerField()
    pairs = PairSerializer(many=True)


class JobRefSerializer(serializers.Serializer):
    job = serializers.IntegerField()
