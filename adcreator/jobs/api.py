"""API endpoints of the job system: list jobs, read one with its runs, run one again now.

Creating a job is the door of the app that owns its type (POST /jobs/ is generation's)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.response import Response

from adcreator.api.errors import error_responses
from adcreator.api.views import ApiView
from adcreator.jobs import serializers as s
from adcreator.jobs.selectors import jobs_filtered, jobs_visible_to, with_runs
from adcreator.jobs.services import JobBusyError, JobNotCancellableError, job_cancel, job_run_now


class Conflict(APIException):
    status_code = 409
    default_detail = "The request conflicts with the current state."
    default_code = "conflict"


def jobs_for_api(request):
    return with_runs(jobs_visible_to(request.user))


class JobListView(ApiView):
    serializer_class = s.JobSerializer

    @extend_schema(operation_id="jobs_list", summary="Jobs of your organizations, newest first (by status, type, brand, dates).",
                   parameters=[s.JobFilterSerializer], responses={200: s.JobSerializer(many=True),
                                                                  **error_responses(400, 401, 404)}, tags=["jobs"])
    def get(self, request):
        filters = s.JobFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        return self.paginated(jobs_filtered(jobs_for_api(request), filters.filters()), s.JobSerializer)


class JobDetailView(ApiView):
    serializer_class = s.JobDetailSerializer

    @extend_schema(operation_id="jobs_retrieve", summary="A job with its runs, progress and ad run.",
                   responses={200: s.JobDetailSerializer, **error_responses(401, 404)}, tags=["jobs"])
    def get(self, request, pk: int):
        return Response(s.JobDetailSerializer(self.scoped_object(jobs_for_api(request), pk)).data)


class JobRunNowView(ApiView):
    serializer_class = s.JobRunSerializer

    @extend_schema(operation_id="jobs_run_now", summary="Queue a fresh run of the job now.", request=None,
                   responses={202: s.JobRunSerializer, **error_responses(401, 403, 404, 409)}, tags=["jobs"])
    def post(self, request, pk: int):
        job = self.scoped_object(jobs_visible_to(request.user), pk)
        try:
            run = job_run_now(job=job, user=request.user)
        except JobBusyError as exc:
            raise Conflict(str(exc)) from exc
        return Response(s.JobRunSerializer(run).data, status=status.HTTP_202_ACCEPTED)


class JobCancelView(ApiView):
    serializer_class = s.JobRunSerializer

    @extend_schema(operation_id="jobs_cancel",
                   summary="Cancel the job's waiting or running run: a running one stops between two ads and "
                           "keeps what it made.", request=None,
                   responses={200: s.JobRunSerializer, **error_responses(401, 403, 404, 409)}, tags=["jobs"])
    def post(self, request, pk: int):
        job = self.scoped_object(jobs_visible_to(request.user), pk)
        try:
            run = job_cancel(job=job, user=request.user)
        except JobNotCancellableError as exc:
            raise Conflict(str(exc)) from exc
        return Response(s.JobRunSerializer(run).data, status=status.HTTP_200_OK)
