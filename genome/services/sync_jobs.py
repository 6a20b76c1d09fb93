"""Queueing Meta syncs: one door for the page's "Sync now" and the daily schedule.

A brand has at most one sync waiting or running: asking again returns that job instead of
queueing a second read of the same days (two would only race on the same upserts).
"""

from __future__ import annotations

from adcreator.catalog.models import Brand
from adcreator.jobs.models import Job, RunStatus
from adcreator.jobs.services import job_create

OPEN_STATUSES = (RunStatus.PENDING, RunStatus.RUNNING)


def meta_sync_open_job(*, brand_id: int) -> Job | None:
    return (Job.objects.filter(brand_id=brand_id, job_type="meta_sync", runs__status__in=OPEN_STATUSES)
            .order_by("-id").first())


def meta_sync_enqueue(*, brand: Brand, created_by=None, name: str = "") -> tuple[Job, bool]:
    """(job, created): the brand's open sync if there is one, else a new queued sync."""
    existing = meta_sync_open_job(brand_id=brand.pk)
    if existing is not None:
        return existing, False
    job = job_create(organization=brand.organization, brand=brand, job_type="meta_sync",
                     parameters={"brand_id": brand.pk}, created_by=created_by,
                     name=name or f"Meta sync of {brand.name}")
    return job, True
