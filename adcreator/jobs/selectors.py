"""Reads of the job system: what a user may see, and the parts of a split request."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from adcreator.catalog.selectors import organization_ids_for
from adcreator.jobs import registry
from adcreator.jobs.models import Job, JobRun, RunStatus


def jobs_visible_to(user) -> QuerySet[Job]:
    """The jobs of the user's organizations, newest first: every door lists and finds jobs here.

    Staff-only types (registry.STAFF_ONLY_TYPES: template analysis, calibration, the genome's
    jobs) are left out for anyone but staff, so a client's list, page and API never show them."""
    jobs = Job.objects.filter(organization_id__in=organization_ids_for(user))
    if not getattr(user, "is_staff", False):
        jobs = jobs.exclude(job_type__in=registry.staff_only_types())
    return jobs.order_by("-created_at", "-id")


@dataclass(frozen=True)
class JobFilters:
    """The jobs page's and the API's filters; a status is the latest run's ("pending" without one)."""

    statuses: tuple[str, ...] = ()
    job_type: str | None = None
    brand_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None


def with_latest_status(jobs: QuerySet[Job]) -> QuerySet[Job]:
    """`latest_status`: the status of the newest run, in the same query (a subquery)."""
    newest = JobRun.objects.filter(job_id=OuterRef("pk")).order_by("-created_at", "-id").values("status")[:1]
    return jobs.annotate(latest_status=Coalesce(Subquery(newest), Value(RunStatus.PENDING.value)))


def jobs_filtered(jobs: QuerySet[Job], filters: JobFilters) -> QuerySet[Job]:
    jobs = with_latest_status(jobs)
    if filters.statuses:
        jobs = jobs.filter(latest_status__in=filters.statuses)
    if filters.job_type:
        jobs = jobs.filter(job_type=filters.job_type)
    if filters.brand_id:
        jobs = jobs.filter(brand_id=filters.brand_id)
    # Days in the current time zone; `__date` never computes a day after 9999-12-31.
    if filters.date_from:
        jobs = jobs.filter(created_at__date__gte=filters.date_from)
    if filters.date_to:
        jobs = jobs.filter(created_at__date__lte=filters.date_to)
    return jobs


# The one-to-one record an app attaches to a run (generation's AdRun), read with the runs.
RUN_ATTACHMENTS = ("ad_run",)


def with_runs(jobs: QuerySet[Job]) -> QuerySet[Job]:
    """Jobs with their runs prefetched newest first (`job.runs.all()[0]` is the latest run)."""
    runs = JobRun.objects.select_related(*RUN_ATTACHMENTS).order_by("-created_at", "-id")
    return jobs.prefetch_related(Prefetch("runs", queryset=runs))


def latest_run(job: Job) -> JobRun | None:
    runs = list(job.runs.all())  # prefetched by with_runs, else one query
    return max(runs, key=lambda run: (run.created_at, run.pk)) if runs else None


def recent_jobs(user, *, limit: int = 8) -> list[Job]:
    return list(with_runs(jobs_visible_to(user).select_related("brand"))[:limit])


def split_parts(job: Job) -> list[Job]:
    """All parts of a split request (empty for a single job), in order."""
    if job.split_total <= 1:
        return []
    root_id = job.split_from_id or job.pk
    return list(Job.objects.filter(Q(pk=root_id) | Q(split_from_id=root_id), organization_id=job.organization_id)
                .order_by("split_index"))
