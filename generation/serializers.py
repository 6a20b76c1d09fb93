"""API shapes of generation: ad creation requests, estimates, jobs and runs, ads, overrides.

Input serializers check the request's shape and types (what the OpenAPI schema promises);
the services then apply the rules that need the database or several fields at once
(ownership, the attempt cap, templates × variations × colours) and answer with field errors.
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from django.urls import reverse
from rest_framework import serializers

from adcreator.api.fields import (
    QueryParamsSerializer, StrictBooleanField, StrictCharField, StrictFloatField, StrictIntegerField, id_field,
    id_query_field,
)
from adcreator.jobs.models import Job, JobRun, JobType, RunStatus
from generation.models import AdStatus, GeneratedAd
from review.models import DEFAULT_WEIGHTS, AdReviewOverride

SIZE_LABELS = ("1:1", "4:5", "9:16", "16:9")
COLOR_MODES = ("original", "complementary", "brand")
MAX_SEED = 2**63 - 1  # the seed is stored in a JSON number and fed to numpy's 64-bit generator


# --- requests -------------------------------------------------------------------------------


class TemplateSelectionSerializer(serializers.Serializer):
    mode = serializers.ChoiceField(choices=["manual", "roll_the_dice", "smart_select"])
    template_ids = serializers.ListField(child=id_field(), max_length=50, required=False,
                                         help_text="Manual mode: the chosen templates.")
    count = StrictIntegerField(min_value=1, max_value=20, default=3,
                               help_text="Roll the dice / smart select: how many templates to draw.")
    category = StrictCharField(max_length=60, required=False, allow_null=True, allow_blank=True)
    strictness = serializers.ChoiceField(choices=["default", "growth", "premium"], required=False, allow_null=True)
    seed = StrictIntegerField(min_value=0, max_value=MAX_SEED, required=False, allow_null=True,
                              help_text="Same seed, same draw.")


class AdCreationSerializer(serializers.Serializer):
    """The parameters of an ad_creation_v2 job (generation.params.AdCreationParams)."""

    name = StrictCharField(max_length=200, required=False, allow_blank=True)
    brand_id = id_field()
    product_id = id_field()
    template_selection = TemplateSelectionSerializer()
    sizes = serializers.ListField(child=serializers.ChoiceField(choices=SIZE_LABELS), min_length=1, max_length=4)
    color_modes = serializers.ListField(child=serializers.ChoiceField(choices=COLOR_MODES), min_length=1, max_length=3)
    content_source = serializers.ChoiceField(choices=["hooks", "belief_first", "offer_variant"], default="hooks")
    hook_ids = serializers.ListField(child=id_field(), max_length=50, required=False)
    persona_id = id_field(required=False, allow_null=True)
    offer_variant_id = id_field(required=False, allow_null=True)
    belief_angle_id = id_field(required=False, allow_null=True)
    awareness_stage = StrictIntegerField(min_value=1, max_value=5, required=False, allow_null=True)
    variations = StrictIntegerField(min_value=1, max_value=10, default=1)
    confirmed = StrictBooleanField(
        default=False, help_text="The submitter saw the estimate: required from 31 attempts and to split over the cap.")

    def job_parameters(self) -> dict:
        """The validated request as the job's parameters (without the job's name)."""
        return {key: value for key, value in self.validated_data.items() if key != "name"}


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


class JobFilterSerializer(QueryParamsSerializer):
    job_type = serializers.ChoiceField(choices=JobType.choices, required=False)


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


def ad_run_id_of(run: JobRun) -> int | None:
    try:
        return run.ad_run.pk
    except JobRun.ad_run.RelatedObjectDoesNotExist:
        return None


class JobRunSerializer(serializers.ModelSerializer):
    status = serializers.ChoiceField(choices=RunStatus.choices)
    ad_run_id = serializers.SerializerMethodField()
    metadata = serializers.JSONField(help_text="Progress: ads attempted/approved/rejected/flagged, current step.")

    class Meta:
        model = JobRun
        fields = ["id", "status", "metadata", "error", "attempts", "created_at", "started_at", "finished_at",
                  "heartbeat_at", "ad_run_id"]

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_ad_run_id(self, run: JobRun) -> int | None:
        return ad_run_id_of(run)


def latest_run_of(job: Job) -> JobRun | None:
    runs = list(job.runs.all())  # prefetched, newest first
    return runs[0] if runs else None


class JobSerializer(serializers.ModelSerializer):
    """A job with its latest run; `runs` lists every run (detail only)."""

    latest_run = serializers.SerializerMethodField()

    class Meta:
        model = Job
        fields = ["id", "name", "job_type", "organization", "brand", "parameters", "split_from", "split_index",
                  "split_total", "created_at", "latest_run"]

    @extend_schema_field(JobRunSerializer(allow_null=True))
    def get_latest_run(self, job: Job) -> dict | None:
        run = latest_run_of(job)
        return JobRunSerializer(run).data if run is not None else None


class JobDetailSerializer(JobSerializer):
    runs = JobRunSerializer(many=True, read_only=True)
    progress = serializers.SerializerMethodField()
    ad_run_id = serializers.SerializerMethodField()

    class Meta(JobSerializer.Meta):
        fields = [*JobSerializer.Meta.fields, "progress", "ad_run_id", "runs"]

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_progress(self, job: Job) -> dict:
        run = latest_run_of(job)
        return dict(run.metadata or {}) if run is not None else {}

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_ad_run_id(self, job: Job) -> int | None:
        run = latest_run_of(job)
        return ad_run_id_of(run) if run is not None else None


class SubmissionSerializer(serializers.Serializer):
    jobs = JobSerializer(many=True)
    estimate = EstimateSerializer()
    was_split = serializers.BooleanField()
    parts = JobPartSerializer(many=True, help_text="The sequential parts when the request was split; else empty.")
    selection = serializers.JSONField(allow_null=True, help_text="The templates drawn at submission, with scores.")


class AdSerializer(serializers.ModelSerializer):
    brand = serializers.IntegerField(source="ad_run.brand_id", read_only=True)
    product = serializers.IntegerField(source="ad_run.product_id", read_only=True)
    job_run = serializers.IntegerField(source="ad_run.job_run_id", read_only=True, allow_null=True)
    template_name = serializers.SerializerMethodField()
    image_url = serializers.SerializerMethodField()
    status = serializers.ChoiceField(choices=AdStatus.choices)

    class Meta:
        model = GeneratedAd
        fields = ["id", "ad_run", "job_run", "brand", "product", "template", "template_name", "hook", "prompt_index",
                  "canvas_size", "color_mode", "variation_index", "headline", "status", "ai_status", "review_score",
                  "congruence_score", "image_url", "created_at", "updated_at"]

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


class AdDetailSerializer(AdSerializer):
    class Meta(AdSerializer.Meta):
        fields = [*AdSerializer.Meta.fields, "original_headline", "congruence", "defect_scan_result",
                  "review_check_scores", "review", "reviewed_at", "prompt", "prompt_version", "element_tags",
                  "generation_attempts", "retry_count", "error"]


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

