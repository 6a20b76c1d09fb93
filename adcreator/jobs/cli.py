"""What the job commands share: finding a brand by slug, and following a job's run to its end."""

from __future__ import annotations

import time
from typing import Callable

from django.core.management.base import CommandError

from adcreator.catalog.models import Brand
from adcreator.jobs.models import Job, JobRun

POLL_SECONDS = 0.5


def find_brand(slug: str, org_slug: str | None = None) -> Brand:
    brands = Brand.objects.select_related("organization").filter(slug=slug)
    if org_slug:
        brands = brands.filter(organization__slug=org_slug)
    found = list(brands[:2])
    if not found:
        raise CommandError(f"no brand with slug {slug!r}")
    if len(found) > 1:
        raise CommandError(f"brand slug {slug!r} exists in several organizations: pass --org")
    return found[0]


def follow_run(job: Job, *, timeout: float, draw: Callable[[JobRun], None]) -> JobRun | None:
    """Poll the job's latest run until it finishes (drawing its progress each time), or time out."""
    deadline = time.monotonic() + timeout
    run = None
    while time.monotonic() < deadline:
        run = JobRun.objects.filter(job=job).order_by("-id").first()
        if run is not None:
            draw(run)
            if run.is_finished:
                return run
        time.sleep(POLL_SECONDS)
    return None


def no_worker_hint(job: Job, timeout: float) -> str:
    return (f"job {job.pk}: no finished run after {timeout:.0f}s (is a worker running? "
            f"start one with: python manage.py qcluster)")
