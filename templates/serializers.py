"""API shapes of ad templates: the library list, its filters and the selection preview."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from django.urls import reverse
from rest_framework import serializers

from adcreator.api.fields import QueryParamsSerializer, StrictCharField, StrictIntegerField, id_field
from templates.models import ScrapedTemplate, TemplateEvaluation
from templates.selection_config import normalize_requested_category

MAX_SEED = 2**63 - 1  # numpy's 64-bit generator takes any non-negative seed; JSON keeps it exact as int64


class TemplateFilterSerializer(QueryParamsSerializer):
    category = serializers.CharField(max_length=60, required=False)
    awareness_level = serializers.IntegerField(min_value=1, max_value=5, required=False)
    industry = serializers.CharField(max_length=80, required=False)
    target_sex = serializers.ChoiceField(choices=ScrapedTemplate.TargetSex.choices, required=False)


class EvaluationSerializer(serializers.ModelSerializer):
    class Meta:
        model = TemplateEvaluation
        fields = ["d1", "d2", "d3", "d4", "d5", "d6"]


def template_image_url(request, template_id: int) -> str:
    # Through the tenant-scoped API endpoint: media files are never public.
    path = reverse("api:template-image", kwargs={"pk": template_id})
    return request.build_absolute_uri(path) if request is not None else path


class TemplateSerializer(serializers.ModelSerializer):
    is_private = serializers.SerializerMethodField()
    image_url = serializers.SerializerMethodField()
    evaluation = serializers.SerializerMethodField()
    has_detection = serializers.BooleanField(read_only=True)
    # Annotated by the view (selectors.times_used_by): your organizations' usage only.
    times_used = serializers.IntegerField(read_only=True, min_value=0,
                                          help_text="How many times your organization(s) made ads with it.")

    class Meta:
        model = ScrapedTemplate
        fields = ["id", "name", "source", "category", "industry", "awareness_level", "target_sex", "width", "height",
                  "image_url", "is_private", "has_detection", "times_used", "evaluation", "created_at"]

    @extend_schema_field(serializers.BooleanField(help_text="Uploaded by your organization, not the shared library."))
    def get_is_private(self, template: ScrapedTemplate) -> bool:
        return template.organization_id is not None

    @extend_schema_field(serializers.URLField(allow_null=True, help_text="Token-authenticated."))
    def get_image_url(self, template: ScrapedTemplate) -> str | None:
        return template_image_url(self.context.get("request"), template.pk) if template.image else None

    @extend_schema_field(EvaluationSerializer(allow_null=True))
    def get_evaluation(self, template: ScrapedTemplate) -> dict | None:
        try:
            evaluation = template.evaluation
        except ScrapedTemplate.evaluation.RelatedObjectDoesNotExist:
            return None
        return EvaluationSerializer(evaluation).data


class SelectionPreviewSerializer(serializers.Serializer):
    product_id = id_field()
    mode = serializers.ChoiceField(choices=["roll_the_dice", "smart_select"])
    count = StrictIntegerField(min_value=1, max_value=20, default=3)
    category = StrictCharField(max_length=60, required=False, allow_null=True, allow_blank=True,
                               help_text='Blank or "all": every category.')
    strictness = serializers.ChoiceField(choices=["default", "growth", "premium"], required=False, allow_null=True)
    seed = StrictIntegerField(min_value=0, max_value=MAX_SEED, required=False, allow_null=True,
                              help_text="Same seed, same draw; omitted: a new random seed (returned).")
    persona_id = id_field(required=False, allow_null=True)
    awareness_stage = StrictIntegerField(min_value=1, max_value=5, required=False, allow_null=True)

    def validate_category(self, value: str | None) -> str | None:
        return normalize_requested_category(value)


class SelectedTemplateSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    category = serializers.CharField()
    image_url = serializers.URLField(allow_null=True)
    scores = serializers.DictField(child=serializers.FloatField(),
                                   help_text='Every scorer\'s value (0–1) and the weighted "composite".')


class SelectionStepSerializer(serializers.Serializer):
    step = serializers.CharField()
    min_asset_score = serializers.FloatField()
    category = serializers.CharField(allow_null=True)
    candidates_before_gate = serializers.IntegerField()
    candidates_after_gate = serializers.IntegerField()
    empty = serializers.BooleanField()
    reason = serializers.CharField(allow_null=True)
    industry = serializers.CharField(allow_null=True, help_text=(
        "Smart select draws from the product's industry first: how this attempt filled the count "
        "(null when every template came from the product's industry, or its industry is not set)."))


class SelectionResultSerializer(serializers.Serializer):
    """templates.services.SelectionOutcome.as_json(), with each drawn template spelled out."""

    mode = serializers.CharField()
    seed = serializers.IntegerField(min_value=0, max_value=MAX_SEED)
    template_ids = serializers.ListField(child=serializers.IntegerField())
    templates = SelectedTemplateSerializer(many=True)
    scores = serializers.ListField(child=serializers.DictField(child=serializers.FloatField()),
                                   help_text="Parallel to template_ids: per-scorer scores and the composite.")
    empty = serializers.BooleanField()
    reason = serializers.CharField(allow_null=True)
    weights = serializers.DictField(child=serializers.FloatField())
    min_asset_score = serializers.FloatField()
    category = serializers.CharField(allow_null=True)
    steps = SelectionStepSerializer(many=True, help_text="The spec 8h fallback: each attempt and its outcome.")
    not_measured = serializers.DictField(child=serializers.CharField(), help_text=(
        "Scorers left out of this draw because there was nothing to measure (scorer → why), "
        "e.g. industry_fit when the product's industry is not set: they are not in `scores`."))


class TemplateUploadSerializer(serializers.Serializer):
    """multipart/form-data: the image and what the template is for."""

    organization_id = serializers.IntegerField(min_value=1, max_value=MAX_SEED, required=False,
                                               help_text="Needed only when you edit more than one organization.")
    image = serializers.FileField(help_text="PNG, JPEG or WebP; checked by its content.")
    name = serializers.CharField(max_length=200)
    category = serializers.CharField(max_length=60, help_text="“offer”, “testimonial”, “benefits”…")
    industry = serializers.CharField(max_length=80, required=False, allow_blank=True,
                                     help_text="“beauty / skincare”: smart select's industry fit.")
    awareness_level = serializers.IntegerField(min_value=1, max_value=5, required=False, allow_null=True)
    target_sex = serializers.ChoiceField(choices=ScrapedTemplate.TargetSex.choices, required=False, allow_null=True)


class TemplateUploadedSerializer(TemplateSerializer):
    detection_job_id = serializers.IntegerField(
        read_only=True, help_text="The element-detection job queued for it (GET /api/v1/jobs/{id}/).")

    class Meta(TemplateSerializer.Meta):
        fields = [*TemplateSerializer.Meta.fields, "detection_job_id"]
