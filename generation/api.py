"""API endpoints of generation: jobs, cost estimates, generated ads and their human overrides.

Every query starts from the organizations of the requesting user
(catalog.selectors.organization_ids_for): another tenant's object is simply not found (404).
"""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.response import Response

from adcreator.api.errors import error_responses, field_errors
from adcreator.api.views import ApiView, JsonErrorsNegotiation, stored_file_response
from adcreator.catalog.models import Brand
from adcreator.catalog.selectors import brands_for, organization_ids_for, require_editor
from adcreator.jobs.models import Job, JobRun, RunStatus
from adcreator.jobs.registry import JobParametersError
from adcreator.jobs.services import job_run_enqueue
from generation import serializers as s
from generation.models import GeneratedAd
from generation.services import SubmissionError, ad_creation_estimate, ad_creation_parse, ad_creation_submit
from review.models import AdReviewOverride
from review.services import ReviewError, review_override_create

UNKNOWN_BRAND = "no such brand in your organization"


def _organization_ids(request) -> list[int]:
    """The user's organizations, read once per request."""
    if not hasattr(request, "_api_organization_ids"):
        request._api_organization_ids = organization_ids_for(request.user)
    return request._api_organization_ids


def jobs_visible(request) -> QuerySet[Job]:
    runs = JobRun.objects.select_related("ad_run").order_by("-created_at", "-id")
    return (Job.objects.filter(organization_id__in=_organization_ids(request))
            .prefetch_related(Prefetch("runs", queryset=runs)).order_by("-created_at", "-id"))


def ads_visible(request) -> QuerySet[GeneratedAd]:
    return GeneratedAd.objects.filter(ad_run__organization_id__in=_organization_ids(request)).select_related(
        "ad_run", "template")


def _brand_or_field_error(request, brand_id: int) -> Brand:
    brand = brands_for(request.user).filter(pk=brand_id).first()
    if brand is None:
        raise field_errors({"brand_id": [UNKNOWN_BRAND]})
    return brand


class JobListCreateView(ApiView):
    serializer_class = s.JobSerializer

    @extend_schema(operation_id="jobs_list", summary="Jobs of your organizations, newest first.",
                   parameters=[s.JobFilterSerializer], responses={200: s.JobSerializer(many=True),
                                                                  **error_responses(400, 401, 404)}, tags=["jobs"])
    def get(self, request):
        filters = s.JobFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        jobs = jobs_visible(request)
        if filters.validated_data.get("job_type"):
            jobs = jobs.filter(job_type=filters.validated_data["job_type"])
        return self.paginated(jobs, s.JobSerializer)

    @extend_schema(operation_id="jobs_create",
                   summary="Submit an ad creation job (split into sequential parts when over the attempt cap).",
                   request=s.AdCreationSerializer, responses={201: s.SubmissionSerializer, **error_responses(400, 401, 403)},
                   tags=["jobs"])
    def post(self, request):
        payload = s.AdCreationSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        brand = _brand_or_field_error(request, payload.validated_data["brand_id"])
        try:
            submission = ad_creation_submit(organization=brand.organization, user=request.user,
                                            parameters=payload.job_parameters(),
                                            name=payload.validated_data.get("name", ""))
        except (SubmissionError, JobParametersError) as exc:
            raise field_errors(exc.errors) from exc
        jobs = sorted(jobs_visible(request).filter(pk__in=[job.pk for job in submission.jobs]),
                      key=lambda job: job.split_index)
        body = {"jobs": jobs, "estimate": submission.estimate.model_dump(), "was_split": submission.was_split,
                "parts": [dict(part.model_dump(), attempts=part.attempts) for part in submission.parts],
                "selection": submission.selection}
        return Response(s.SubmissionSerializer(body).data, status=status.HTTP_201_CREATED)


class JobDetailView(ApiView):
    serializer_class = s.JobDetailSerializer

    @extend_schema(operation_id="jobs_retrieve", summary="A job with its runs, progress and ad run.",
                   responses={200: s.JobDetailSerializer, **error_responses(401, 404)}, tags=["jobs"])
    def get(self, request, pk: int):
        return Response(s.JobDetailSerializer(self.scoped_object(jobs_visible(request), pk)).data)


class Conflict(APIException):
    status_code = 409
    default_detail = "The request conflicts with the current state."
    default_code = "conflict"


class JobRunNowView(ApiView):
    serializer_class = s.JobRunSerializer

    @extend_schema(operation_id="jobs_run_now", summary="Queue a fresh run of the job now.", request=None,
                   responses={202: s.JobRunSerializer, **error_responses(401, 403, 404, 409)}, tags=["jobs"])
    def post(self, request, pk: int):
        job = self.scoped_object(Job.objects.filter(organization_id__in=_organization_ids(request)), pk)
        require_editor(user=request.user, organization_id=job.organization_id)
        if job.runs.filter(status__in=[RunStatus.PENDING, RunStatus.RUNNING]).exists():
            raise Conflict("this job already has a run waiting or in progress")
        run = job_run_enqueue(job=job)
        return Response(s.JobRunSerializer(run).data, status=status.HTTP_202_ACCEPTED)


class EstimateView(ApiView):
    serializer_class = s.EstimateSerializer

    @extend_schema(operation_id="estimate_create",
                   summary="Attempts, cost and guardrail tier of a job request; nothing is created.",
                   request=s.AdCreationSerializer, responses={200: s.EstimateSerializer, **error_responses(400, 401)},
                   tags=["jobs"])
    def post(self, request):
        payload = s.AdCreationSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        brand = _brand_or_field_error(request, payload.validated_data["brand_id"])
        try:
            params = ad_creation_parse(parameters=payload.job_parameters())
        except SubmissionError as exc:
            raise field_errors(exc.errors) from exc
        estimate = ad_creation_estimate(organization=brand.organization, params=params)
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
        ads = ads_visible(request)
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
        ad = self.scoped_object(ads_visible(request), pk)
        return Response(s.AdDetailSerializer(ad, context=self.get_serializer_context()).data)


class AdImageView(ApiView):
    content_negotiation_class = JsonErrorsNegotiation

    @extend_schema(operation_id="ads_image", summary="The ad's full-size PNG.",
                   responses={(200, "image/png"): OpenApiTypes.BINARY, **error_responses(401, 404)}, tags=["ads"])
    def get(self, request, pk: int):
        ad = self.scoped_object(ads_visible(request), pk)
        return stored_file_response(ad.image.name, filename=f"ad-{ad.pk}-{ad.canvas_size}-{ad.color_mode}.png")


class AdOverridesView(ApiView):
    serializer_class = s.OverrideSerializer

    @extend_schema(operation_id="ads_overrides_list", summary="Human decisions on an ad, newest first.",
                   responses={200: s.OverrideSerializer(many=True), **error_responses(400, 401, 404)}, tags=["ads"])
    def get(self, request, pk: int):
        ad = self.scoped_object(ads_visible(request), pk)
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
        ad = self.scoped_object(ads_visible(request), pk)
        decision = s.OverrideCreateSerializer(data=request.data)
        decision.is_valid(raise_exception=True)
        try:
            override = review_override_create(ad=ad, user=request.user, **decision.validated_data)
        except ReviewError as exc:
            raise field_errors({"non_field_errors": [str(exc)]}) from exc
        return Response(s.OverrideSerializer(override).data, status=status.HTTP_201_CREATED)
