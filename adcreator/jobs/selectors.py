"""Reads of the job system: what a user may see, and the parts of a split request."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from adcreator.catalog.selectors import organization_ids_for
from adcreator.jobs.models import Job, JobRun


def jobs_visible_to(user) -> QuerySet[Job]:
    """The jobs of the user's organizations, newest first: every door lists and finds jobs here."""
    return Job.objects.filter(organization_id__in=organization_ids_for(user)).order_by("-created_at", "-id")


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
