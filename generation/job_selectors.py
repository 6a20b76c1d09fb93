"""Reads for the jobs pages and the money on the results summary: a run's ads by their current
status for any number of runs, the spend behind a results scope."""

from __future__ import annotations

from dataclasses import replace

from django.db.models import Count, Q

from adcreator.calls.selectors import Spend, spend_of_runs
from generation.models import AdStatus, GeneratedAd
from generation.progress import AdCounts
from generation.selectors import results_ads

_COUNTED = {"pending": AdStatus.PENDING, "generated": AdStatus.GENERATED, "approved": AdStatus.APPROVED,
            "rejected": AdStatus.REJECTED, "flagged": AdStatus.FLAGGED, "review_failed": AdStatus.REVIEW_FAILED,
            "generation_failed": AdStatus.GENERATION_FAILED}


def ad_counts_for_runs(*, job_run_ids) -> dict[int, AdCounts]:
    """{job run id: its ads by CURRENT status} in one query, whatever the number of runs. The
    status follows the latest human decision, so these counts agree with the results page and
    the API after an override; a run with no ads yet is absent (read it as AdCounts())."""
    ids = [pk for pk in job_run_ids if pk is not None]
    if not ids:
        return {}
    rows = (GeneratedAd.objects.filter(ad_run__job_run_id__in=ids).order_by().values("ad_run__job_run_id")
            .annotate(total=Count("id"), **{name: Count("id", filter=Q(status=status))
                                            for name, status in _COUNTED.items()}))
    return {row.pop("ad_run__job_run_id"): AdCounts(**row) for row in rows}


def results_spend(user, filters, *, approved_ads: int) -> Spend:
    """The results summary's money: the ledger's spend of the runs behind the ads in scope
    (every filter but status, as the summary counts), per approved ad of that scope. One query:
    the scope is a subquery."""
    scoped = results_ads(user, replace(filters, statuses=())).order_by().values("ad_run__job_run_id")
    return spend_of_runs(job_run_ids=scoped, approved_ads=approved_ads)
