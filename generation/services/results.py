"""Use cases behind the results dashboard: retry the rejected ads of a run, download a run."""

from __future__ import annotations

import csv
import zipfile
from io import BytesIO, StringIO

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


def ad_run_zip(*, ad_run: AdRun, approved_only: bool = False) -> bytes:
    """Every image of a run in one zip, named by brief, size and colour; with `approved_only`, only
    the ads whose current status (a human decision included) is approved."""
    buffer = BytesIO()
    ads = GeneratedAd.objects.filter(ad_run=ad_run).exclude(image="")
    if approved_only:
        ads = ads.filter(status=AdStatus.APPROVED)
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for ad in ads.order_by("prompt_index", "canvas_size"):
            with default_storage.open(ad.image.name, "rb") as handle:
                archive.writestr(f"{ad.prompt_index:03d}-{ad.canvas_size}-{ad.color_mode}-{ad.status}.png", handle.read())
    return buffer.getvalue()


META_EXPORT_COLUMNS = ["short_id", "file", "headline", "primary_text", "call_to_action", "canvas_size", "ad_id"]


def ad_run_meta_export(*, ad_run: AdRun) -> bytes:
    """The run's approved ads, ready to upload to Meta: each image named by its short id, and
    ads.csv with the copy. Naming the Meta ads after the short id lets the sync map them back."""
    rows = []
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for ad in (GeneratedAd.objects.filter(ad_run=ad_run, status=AdStatus.APPROVED).exclude(image="")
                   .order_by("prompt_index", "canvas_size")):
            name = f"{ad.short_id}-{ad.canvas_size}.png"
            with default_storage.open(ad.image.name, "rb") as handle:
                archive.writestr(name, handle.read())
            content = (ad.prompt or {}).get("content") or {}
            subheadline = (content.get("subheadline") or {}).get("text") or ""
            rows.append([ad.short_id, name, ad.headline, subheadline or ad.headline, content.get("cta") or "Shop now",
                         ad.canvas_size, ad.pk])
        text = StringIO()
        writer = csv.writer(text)
        writer.writerow(META_EXPORT_COLUMNS)
        writer.writerows(rows)
        archive.writestr("ads.csv", text.getvalue())
    return buffer.getvalue()
