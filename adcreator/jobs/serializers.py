"""API shapes of the job system: jobs, their runs and progress, the list's filters."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from adcreator.api.fields import QueryParamsSerializer, id_query_field
from adcreator.calls.selectors import spend_by_job
from adcreator.calls.serializers import SpendSerializer
from adcreator.jobs import registry
from adcreator.jobs.models import Job, JobRun, JobType, RunStatus
from adcreator.jobs.selectors import JobFilters, latest_run


class JobFilterSerializer(QueryParamsSerializer):
    job_type = serializers.ChoiceField(choices=JobType.choices, required=False)
    status = serializers.ListField(child=serializers.ChoiceField(choices=RunStatus.choices), required=False,
                                   help_text="The latest run's status (pending without a run); repeat for several.")
    brand = id_query_field(required=False)
    date_from = serializers.DateField(required=False, help_text="Created on or after this day.")
    date_to = serializers.DateField(required=False, help_text="Created on or before this day.")

    def filters(self) -> JobFilters:
        data = self.validated_data
        return JobFilters(statuses=tuple(data.get("status") or ()), job_type=data.get("job_type"),
                          brand_id=data.get("brand"), date_from=data.get("date_from"), date_to=data.get("date_to"))


def ad_run_id_of(run: JobRun) -> int | None:
    """The ad run a generation run fills: generation attaches AdRun to JobRun one-to-one
    (`related_name="ad_run"`), and integrations go from a job to its ads through this id."""
    ad_run = getattr(run, "ad_run", None) if hasattr(run, "ad_run") else None
    return ad_run.pk if ad_run is not None else None


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


class JobSerializer(serializers.ModelSerializer):
    """A job with its latest run; `runs` lists every run (detail only)."""

    latest_run = serializers.SerializerMethodField()

    class Meta:
        model = Job
        fields = ["id", "name", "job_type", "organization", "brand", "parameters", "split_from", "split_index",
                  "split_total", "created_at", "latest_run"]

    @extend_schema_field(JobRunSerializer(allow_null=True))
    def get_latest_run(self, job: Job) -> dict | None:
        run = latest_run(job)
        return JobRunSerializer(run).data if run is not None else None


class JobDetailSerializer(JobSerializer):
    runs = JobRunSerializer(many=True, read_only=True)
    progress = serializers.SerializerMethodField()
    ad_run_id = serializers.SerializerMethodField()
    cost = serializers.SerializerMethodField()

    class Meta(JobSerializer.Meta):
        fields = [*JobSerializer.Meta.fields, "progress", "ad_run_id", "cost", "runs"]

    @extend_schema_field(SpendSerializer)
    def get_cost(self, job: Job) -> dict:
        """The real cost of every run of the job (call ledger) beside its estimate at list prices."""
        spend = spend_by_job(job_ids=[job.pk], estimates={job.pk: registry.estimate_of(job.job_type, job.parameters)})
        return SpendSerializer(spend[job.pk].as_json()).data

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_progress(self, job: Job) -> dict:
        run = latest_run(job)
        if run is None:
            return {}
        # Through the job type's progress model: the documented keys, as they were written.
        return registry.progress_of(job.job_type, run.metadata).model_dump(mode="json", exclude_unset=True)

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_ad_run_id(self, job: Job) -> int | None:
        run = latest_run(job)
        return ad_run_id_of(run) if run is not None else None
