"""API endpoints of generation: submit ad creation jobs, estimates, generated ads and their overrides.

Every query starts from what the requesting user may see (generation.selectors /
adcreator.jobs.selectors): another tenant's object is simply not found (404).
"""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from pydantic import Field, ValidationError
from rest_framework import status
from rest_framework.response import Response

from adcreator.api.errors import error_responses, field_errors
from adcreator.api.views import ApiView, JsonErrorsNegotiation, stored_file_response
from adcreator.catalog.models import Brand
from adcreator.catalog.selectors import brands_for
from adcreator.inputs import Text
from adcreator.jobs.api import JobListView, jobs_for_api
from adcreator.jobs.registry import JobParametersError, validation_errors
from generation import serializers as s
from generation.models import GeneratedAd
from generation.params import AdCreationRequest
from generation.selectors import ads_visible_to, with_review_reasons
from generation.services import SubmissionError, ad_creation_estimate, ad_creation_submit
from genome.selectors import meta_ad_ids_for, performance_days_for_ads, rewards_for_ads
from review.models import AdReviewOverride
from review.services import ReviewError, review_override_create

UNKNOWN_BRAND = "no such brand in your organization"
JOBS_CREATE_DESCRIPTION = (
    'The answer lists the created jobs under `"jobs"` because one request can make more than one job: '
    "a request over the organization's attempt cap (sent with `confirmed: true`) is split into sequential "
    "parts, one job each, run one after another (`was_split`, and `parts` with each part's attempts). "
    "A request within the cap makes one job: `jobs` then holds exactly one, `jobs[0]`. "
    "`estimate` is the cost at list prices before the run (local providers are free; the real cost is "
    "on GET /jobs/{id}/ under `cost` once the run has made its calls)."
)


class AdCreationBody(AdCreationRequest):
    """The body of POST /jobs/ and /estimate/: an ad creation request, and a name for the job."""

    name: Text = Field(default="", max_length=200, description="The job's name (default: made from the request).")


def _request_of(request) -> AdCreationBody:
    """The body validated by the request contract; its errors as the API's field errors."""
    try:
        return AdCreationBody.model_validate(request.data)
    except ValidationError as exc:
        raise field_errors(validation_errors(exc)) from exc


def _brand_or_field_error(request, brand_id: int) -> Brand:
    brand = brands_for(request.user).filter(pk=brand_id).first()
    if brand is None:
        raise field_errors({"brand_id": [UNKNOWN_BRAND]})
    return brand


def ads_for_api(request) -> QuerySet[GeneratedAd]:
    return with_review_reasons(ads_visible_to(request.user).select_related("ad_run", "template"))


class JobListCreateView(JobListView):
    """GET lists jobs of every type (the job system's list); POST submits an ad creation job,
    the one job type clients create directly."""

    @extend_schema(operation_id="jobs_create",
                   summary="Submit an ad creation job (split into sequential parts when over the attempt cap).",
                   description=JOBS_CREATE_DESCRIPTION,
                   request=AdCreationBody, responses={201: s.SubmissionSerializer, **error_responses(400, 401, 403)},
                   tags=["jobs"])
    def post(self, request):
        body = _request_of(request)
        brand = _brand_or_field_error(request, body.brand_id)
        try:
            submission = ad_creation_submit(organization=brand.organization, user=request.user,
                                            parameters=body, name=body.name)
        except (SubmissionError, JobParametersError) as exc:
            raise field_errors(exc.errors) from exc
        jobs = sorted(jobs_for_api(request).filter(pk__in=[job.pk for job in submission.jobs]),
                      key=lambda job: job.split_index)
        # The jobs come in a list because an order over the attempt cap is split into parts.
        answer = {"jobs": jobs, "estimate": submission.estimate.model_dump(), "was_split": submission.was_split,
                  "parts": [dict(part.model_dump(), attempts=part.attempts) for part in submission.parts],
                  "selection": submission.selection}
        return Response(s.SubmissionSerializer(answer).data, status=status.HTTP_201_CREATED)


class EstimateView(ApiView):
    serializer_class = s.EstimateSerializer

    @extend_schema(operation_id="estimate_create",
                   summary="Attempts, cost and guardrail tier of a job request; nothing is created.",
                   request=AdCreationBody, responses={200: s.EstimateSerializer, **error_responses(400, 401)},
                   tags=["jobs"])
    def post(self, request):
        body = _request_of(request)
        brand = _brand_or_field_error(request, body.brand_id)
        estimate = ad_creation_estimate(organization=brand.organization, params=body)
        return Response(s.EstimateSerializer(estimate.model_dump()).data)


class AdListView(ApiView):
    serializer_class = s.AdSerializer

    @extend_schema(operation_id="ads_list", summary="Generated ads of your organizations.",
                   parameters=[s.AdFilterSerializer],
                   responses={200: s.AdSerializer(many=True), **error_responses(400, 401, 404)}, tags=["ads"])
    def get(self, request):
        filters = s.AdFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        wanted = filters.validated_data
        ads = ads_for_api(request)
        if wanted.get("status"):
            ads = ads.filter(status__in=wanted["status"])
        if wanted.get("date_from"):
            ads = ads.filter(created_at__date__gte=wanted["date_from"])
        if wanted.get("date_to"):
            ads = ads.filter(created_at__date__lte=wanted["date_to"])
        for name, lookup in (("ad_run", "ad_run_id"), ("template", "template_id"), ("brand", "ad_run__brand_id")):
            if wanted.get(name):
                ads = ads.filter(**{lookup: wanted[name]})
        order = ("-created_at", "-id") if wanted["ordering"] == "newest" else ("created_at", "id")
        return self.paginated(ads.order_by(*order), s.AdSerializer)


class AdDetailView(ApiView):
    serializer_class = s.AdDetailSerializer

    @extend_schema(operation_id="ads_retrieve", summary="One ad with its image URL and review data.",
                   responses={200: s.AdDetailSerializer, **error_responses(401, 404)}, tags=["ads"])
    def get(self, request, pk: int):
        ad = self.scoped_object(ads_for_api(request), pk)
        return Response(s.AdDetailSerializer(ad, context=self.get_serializer_context()).data)


class AdImageView(ApiView):
    content_negotiation_class = JsonErrorsNegotiation

    @extend_schema(operation_id="ads_image", summary="The ad's full-size PNG.",
                   responses={(200, "image/png"): OpenApiTypes.BINARY, **error_responses(401, 404)}, tags=["ads"])
    def get(self, request, pk: int):
        ad = self.scoped_object(ads_for_api(request), pk)
        return stored_file_response(ad.image.name, filename=f"ad-{ad.pk}-{ad.canvas_size}-{ad.color_mode}.png")


class AdOverridesView(ApiView):
    serializer_class = s.OverrideSerializer

    @extend_schema(operation_id="ads_overrides_list", summary="Human decisions on an ad, newest first.",
                   responses={200: s.OverrideSerializer(many=True), **error_responses(400, 401, 404)}, tags=["ads"])
    def get(self, request, pk: int):
        ad = self.scoped_object(ads_for_api(request), pk)
        overrides = AdReviewOverride.objects.filter(ad=ad).select_related("user").order_by("-created_at", "-id")
        return self.paginated(overrides, s.OverrideSerializer)

    @extend_schema(operation_id="ads_overrides_create",
                   summary="Approve, reject or confirm the AI's decision on an ad; the ad's status follows.",
                   request=s.OverrideCreateSerializer,
                   responses={201: s.OverrideSerializer,
                              400: OpenApiResponse(error_responses(400)[400].response,
                                                   description="Invalid input, or the ad has not been reviewed yet."),
                              **error_responses(401, 403, 404)}, tags=["ads"])
    def post(self, request, pk: int):
        ad = self.scoped_object(ads_for_api(request), pk)
        decision = s.OverrideCreateSerializer(data=request.data)
        decision.is_valid(raise_exception=True)
        try:
            override = review_override_create(ad=ad, user=request.user, **decision.validated_data)
        except ReviewError as exc:
            raise field_errors({"non_field_errors": [str(exc)]}) from exc
        return Response(s.OverrideSerializer(override).data, status=status.HTTP_201_CREATED)


class AdPerformanceView(ApiView):
    serializer_class = s.AdPerformanceSerializer

    @extend_schema(operation_id="ads_performance", summary="The ad's daily Meta performance, summed over its Meta ads.",
                   responses={200: s.AdPerformanceSerializer, **error_responses(401, 404)}, tags=["ads"])
    def get(self, request, pk: int):
        ad = self.scoped_object(ads_for_api(request), pk)
        days = performance_days_for_ads(ad_ids=[ad.pk])[ad.pk]
        answer = {"source": days[0]["source"] if days else None, "meta_ad_ids": meta_ad_ids_for(ad_id=ad.pk),
                  "days": days, "reward": rewards_for_ads(ad_ids=[ad.pk]).get(ad.pk)}
        return Response(s.AdPerformanceSerializer(answer).data)
