"""Use cases behind the results dashboard: retry the rejected ads of a run, download a run."""

from __future__ import annotations

import zipfile
from io import BytesIO

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction

from adcreator.catalog.selectors import require_editor
from adcreator.jobs.models import JobRun
from adcreator.jobs.services import JobBusyError, job_run_reopen
from generation.models import AdRun, AdStatus, GeneratedAd


class ResultsError(ValueError):
    pass


def ad_run_retry_rejected(*, ad_run: AdRun, user=None) -> JobRun:
    """Give the run's rejected ads one more regeneration and run the same job run again.

    The pipeline is idempotent: generated ads are skipped, reviewed ads are not reviewed
    again, and RetryRejected regenerates exactly the rejected ads still within the budget.
    """
    require_editor(user=user, organization_id=ad_run.organization_id)
    if not GeneratedAd.objects.filter(ad_run=ad_run, ai_status=AdStatus.REJECTED, status=AdStatus.REJECTED).exists():
        raise ResultsError("this run has no rejected ads to retry")
    with transaction.atomic():
        config = dict(ad_run.generation_config)
        config["retry_rejected_max"] = int(config.get("retry_rejected_max", settings.ADCREATOR_RETRY_REJECTED_MAX)) + 1
        AdRun.objects.filter(pk=ad_run.pk).update(generation_config=config)
        try:
            return job_run_reopen(run_id=ad_run.job_run_id)
        except JobBusyError as exc:
            raise ResultsError(str(exc)) from exc


def ad_run_zip(*, ad_run: AdRun) -> bytes:
    """Every image of a run in one zip, named by brief, size and colour."""
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for ad in GeneratedAd.objects.filter(ad_run=ad_run).exclude(image="").order_by("prompt_index", "canvas_size"):
            with default_storage.open(ad.image.name, "rb") as handle:
                archive.writestr(f"{ad.prompt_index:03d}-{ad.canvas_size}-{ad.color_mode}-{ad.status}.png", handle.read())
    return buffer.getvalue()
