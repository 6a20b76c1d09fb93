"""Entry points of the weekly django-q2 schedules (registered in ReviewConfig.ready, created by `migrate`)."""

from __future__ import annotations

from adcreator.catalog.models import Organization
from adcreator.jobs.services import job_create


def enqueue_weekly_calibration() -> int:
    """One quality_calibration job per organization; each proposes configs for its brands."""
    count = 0
    for organization in Organization.objects.order_by("id"):
        job_create(organization=organization, job_type="quality_calibration", parameters={},
                   name="Weekly quality calibration")
        count += 1
    return count
