"""API shapes of generation: estimates, submissions, ads, overrides and the ads list's filters.

The ad creation request is validated by its pydantic contract (generation.params), which is
also its schema; these serializers shape the answers and the smaller inputs.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from django.urls import reverse
from rest_framework import serializers

from adcreator.api.fields import QueryParamsSerializer, StrictCharField, StrictFloatField, id_query_field
from adcreator.jobs.serializers import JobSerializer
from generation.models import AdStatus, GeneratedAd
from review.models import DEFAULT_WEIGHTS, AdReviewDecision, AdReviewFinding, AdReviewOverride


# --- requests (the ad creation request itself is generation.params.AdCreationRequest) ---------


class OverrideCreateSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=AdReviewOverride.Action.choices)
    note = StrictCharField(max_length=5000, required=False, allow_blank=True, default="")
    check_corrections = serializers.DictField(
        child=StrictFloatField(min_value=0, max_value=10), required=False, default=dict,
        help_text=f"Corrected 0–10 scores for the checks the reviewer disagreed with ({', '.join(DEFAULT_WEIGHTS)}).")

    def validate_check_corrections(self, value: dict) -> dict:
        unknown = sorted(set(value) - set(DEFAULT_WEIGHTS))
        if unknown:
            raise serializers.ValidationError(f"unknown checks: {', '.join(unknown)}")
        return value


class AdFilterSerializer(QueryParamsSerializer):
    status = serializers.ListField(child=serializers.ChoiceField(choices=AdStatus.choices), required=False,
                                   help_text="Repeat the parameter for several statuses.")
    date_from = serializers.DateField(required=False, help_text="Created on or after this day (UTC).")
    date_to = serializers.DateField(required=False, help_text="Created on or before this day (UTC).")
    ad_run = id_query_field(required=False)
    template = id_query_field(required=False)
    brand = id_query_field(required=False)
    # An inverted date range is not an error: it simply matches no ad.
    ordering = serializers.ChoiceField(choices=["newest", "oldest"], default="newest")

    # The paginator's own parameters, read by adcreator.api.pagination.ApiPagination.
    PAGINATION_PARAMETERS = ("page", "page_size")

    def to_internal_value(self, data):
        # A misspelt or guessed filter (`?job_run=5`) would otherwise be ignored and answer every ad.
        if hasattr(data, "keys"):
            known = set(self.fields) | set(self.PAGINATION_PARAMETERS)
            unknown = sorted(set(data.keys()) - known)
            if unknown:
                raise serializers.ValidationError({name: [f"Unknown filter; use one of: {', '.join(sorted(self.fields))}."]
                                                   for name in unknown})
        return super().to_internal_value(data)


# --- responses ------------------------------------------------------------------------------


class CostLineSerializer(serializers.Serializer):
    purpose = serializers.CharField()
    calls = serializers.DecimalField(max_digits=12, decimal_places=4)
    unit_price_usd = serializers.DecimalField(max_digits=12, decimal_places=5)
    subtotal_usd = serializers.DecimalField(max_digits=14, decimal_places=6)


class EstimateSerializer(serializers.Serializer):
    """adcreator.prompts.estimate.JobEstimate: attempts against the cap and the expected cost."""

    attempts = serializers.IntegerField()
    cap = serializers.IntegerField()
    lines = CostLineSerializer(many=True)
    total_usd = serializers.DecimalField(max_digits=12, decimal_places=2)
    tier = serializers.ChoiceField(choices=["small", "estimate", "confirm", "over_cap"])
    requires_confirmation = serializers.BooleanField()
    blocked = serializers.BooleanField()
    message = serializers.CharField()


class JobPartSerializer(serializers.Serializer):
    template_ids = serializers.ListField(child=serializers.IntegerField())
    variation_indices = serializers.ListField(child=serializers.IntegerField())
    sizes = serializers.ListField(child=serializers.CharField())
    colors = serializers.ListField(child=serializers.CharField())
    attempts = serializers.IntegerField()


class SubmissionSerializer(serializers.Serializer):
    jobs = JobSerializer(many=True)
    estimate = EstimateSerializer()
    was_split = serializers.BooleanField()
    parts = JobPartSerializer(many=True, help_text="The sequential parts when the request was split; else empty.")
    selection = serializers.JSONField(allow_null=True, help_text="The templates drawn at submission, with scores.")


REGION_HELP = "Where on the ad, as canvas fractions [x0, y0, x1, y1]; null: the whole ad or not located."


def _region_field():
    return serializers.ListField(child=serializers.FloatField(min_value=0, max_value=1), min_length=4, max_length=4,
                                 allow_null=True, help_text=REGION_HELP)


class DecisionSerializer(serializers.ModelSerializer):
    """The rule that decided the AI's status (review.decision.decide) and why, in a sentence."""

    region = _region_field()

    class Meta:
        model = AdReviewDecision
        fields = ["status", "rule", "stage", "code", "score", "limit", "reason", "region"]
        extra_kwargs = {"code": {"help_text": "The check (V1…G2) or defect behind the rule; empty: the whole score."},
                        "limit": {"help_text": "The floor or threshold the score was measured against."}}


class FindingSerializer(serializers.ModelSerializer):
    region = _region_field()

    class Meta:
        model = AdReviewFinding
        fields = ["stage", "code", "score", "confidence", "failed", "decisive", "reason", "region", "provider"]
        extra_kwargs = {"failed": {"help_text": "A defect present, or a check below the borderline band or its floor."},
                        "decisive": {"help_text": "This finding decided the ad's status."}}


class AdSerializer(serializers.ModelSerializer):
    brand = serializers.IntegerField(source="ad_run.brand_id", read_only=True)
    product = serializers.IntegerField(source="ad_run.product_id", read_only=True)
    job_run = serializers.IntegerField(source="ad_run.job_run_id", read_only=True, allow_null=True)
    template_name = serializers.SerializerMethodField()
    image_url = serializers.SerializerMethodField()
    status = serializers.ChoiceField(choices=AdStatus.choices)
    decision = serializers.SerializerMethodField()
    failed_findings = serializers.SerializerMethodField()

    class Meta:
        model = GeneratedAd
        fields = ["id", "ad_run", "job_run", "brand", "product", "template", "template_name", "hook", "prompt_index",
                  "canvas_size", "color_mode", "variation_index", "headline", "status", "ai_status", "review_score",
                  "congruence_score", "decision", "failed_findings", "image_url", "created_at", "updated_at"]

    @extend_schema_field(DecisionSerializer(allow_null=True, help_text="Why the AI decided; null: not reviewed, or "
                                                                        "reviewed before reasons were stored."))
    def get_decision(self, ad: GeneratedAd) -> dict | None:
        decision = getattr(ad, "review_decision", None)  # a missing one-to-one row raises AttributeError
        return DecisionSerializer(decision).data if decision is not None else None

    @extend_schema_field(FindingSerializer(many=True, help_text="The failed checks and defects found, with reasons."))
    def get_failed_findings(self, ad: GeneratedAd) -> list[dict]:
        return FindingSerializer([f for f in _findings(ad) if f.failed], many=True).data

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_template_name(self, ad: GeneratedAd) -> str | None:
        return ad.template.name if ad.template_id else None

    @extend_schema_field(serializers.URLField(allow_null=True, help_text="Token-authenticated; null: no image yet."))
    def get_image_url(self, ad: GeneratedAd) -> str | None:
        if not ad.image:
            return None
        # Through the tenant-scoped API endpoint: media files are never public.
        path = reverse("api:ad-image", kwargs={"pk": ad.pk})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


def _findings(ad: GeneratedAd) -> list:
    # Prefetched by generation.selectors.with_review_reasons; a lone ad reads them itself.
    found = getattr(ad, "findings", None)
    return found if found is not None else list(ad.review_findings.order_by("stage", "id"))


class AdDetailSerializer(AdSerializer):
    findings = serializers.SerializerMethodField()

    class Meta(AdSerializer.Meta):
        fields = [*AdSerializer.Meta.fields, "findings", "original_headline", "congruence", "defect_scan_result",
                  "review_check_scores", "review", "reviewed_at", "prompt", "prompt_version", "element_tags",
                  "generation_attempts", "retry_count", "error"]

    @extend_schema_field(FindingSerializer(many=True, help_text="Every defect and check answer, in stage order."))
    def get_findings(self, ad: GeneratedAd) -> list[dict]:
        return FindingSerializer(_findings(ad), many=True).data


class OverrideSerializer(serializers.ModelSerializer):
    username = serializers.SerializerMethodField()
    disagrees = serializers.BooleanField(read_only=True, help_text="The human decided otherwise than the AI.")

    class Meta:
        model = AdReviewOverride
        fields = ["id", "ad", "action", "note", "check_corrections", "username", "ai_status", "resulting_status",
                  "disagrees", "superseded_by", "created_at"]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_username(self, override: AdReviewOverride) -> str | None:
        return override.user.get_username() if override.user_id else None



class PerformanceDaySerializer(serializers.Serializer):
    date = serializers.DateField()
    impressions = serializers.IntegerField(allow_null=True)
    clicks = serializers.IntegerField(allow_null=True)
    ctr = serializers.FloatField(allow_null=True, help_text="A ratio: 0.012 is 1.2 %.")
    spend = serializers.DecimalField(max_digits=14, decimal_places=4, allow_null=True,
                                     help_text="In the ad account's currency.")
    conversions = serializers.IntegerField(allow_null=True)
    conversion_value = serializers.DecimalField(max_digits=14, decimal_places=4, allow_null=True)
    roas = serializers.FloatField(allow_null=True, help_text="Conversion value / spend.")
    frequency = serializers.FloatField(allow_null=True)


class RewardSerializer(serializers.Serializer):
    score = serializers.FloatField(allow_null=True, help_text="In [0, 1]; null: no metric has matured yet.")
    objective = serializers.CharField(allow_null=True, help_text="The campaign's normalised objective.")
    source = serializers.CharField(help_text="performance, human_review, ai_review or none.")
    matured = serializers.DictField(child=serializers.BooleanField(),
                                    help_text="Per metric: enough days and impressions to count (spec 10.3).")
    contributions = serializers.DictField(child=serializers.DictField(),
                                          help_text="Per matured metric: value, normalised, weight, baseline used.")


class AdPerformanceSerializer(serializers.Serializer):
    source = serializers.ChoiceField(choices=["graph", "simulated"], allow_null=True,
                                     help_text="Where the numbers come from; null: no performance yet.")
    meta_ad_ids = serializers.ListField(child=serializers.CharField())
    days = PerformanceDaySerializer(many=True)
    reward = RewardSerializer(allow_null=True, help_text="The genome's reward (null before the first update).")
