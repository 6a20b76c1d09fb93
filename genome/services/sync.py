"""The meta_sync job's work for one brand (spec P1-4, 10.1, Non-Meta mode).

1. Daily ad-level insights over the lookback window (Meta revises recent days), page by page,
   each page bulk-upserted on (Meta ad id, date) — a re-sync updates and never duplicates, and a
   worker killed mid-sync loses at most the page in flight, which the resumed run reads again.
2. The campaigns of those rows (P1-4 part A), upserted on (account, campaign id), and their
   normalised objective written onto the rows (part B). A failed campaign call is not fatal: the
   rows keep UNKNOWN and the run's metadata says which campaigns were affected and why.
3. Attribution by name for Meta ads no mapping covers yet (P1-5 fallback, never over a mapping).

Every call goes through the call ledger. A token Meta calls invalid (190) marks the connection
broken and stops: nothing calls Meta again until the token is replaced.
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from adcreator.calls.ledger import CallLedger, CallScope
from adcreator.providers.calls import PendingCall
from adcreator.providers.errors import ProviderError
from adcreator.providers.meta.contracts import DailyAdInsight
from adcreator.providers.meta.errors import MetaTokenInvalidError
from adcreator.providers.retry import AttemptRecord
from genome.bulk import insert_rows
from genome.market_store import market_today
from genome.models import AdAccount, AdPerformanceDay, MetaCampaign, Source
from genome.read_ahead import pages_with_calls
from genome.objectives import normalise_objective
from genome.secrets import TokenUnreadable
from genome.services.mapping import attribute_by_name
from genome.services.connection import meta_connection_mark_broken
from genome.sources import source_for

logger = logging.getLogger(__name__)



@dataclass
class SyncReport:
    """What one sync did; becomes the run's metadata (no token, no request URL in it)."""

    source: str
    ad_account_id: str
    since: str
    until: str
    pages: int = 0
    rows_upserted: int = 0
    rows_skipped: int = 0
    ads_seen: int = 0
    campaigns_synced: int = 0
    mappings_by_name: int = 0
    slow_downs: int = 0
    skipped_rows: list[dict] = field(default_factory=list)
    campaign_sync_error: str | None = None
    campaigns_affected: list[str] = field(default_factory=list)

    def as_metadata(self) -> dict:
        data = asdict(self)
        if self.campaign_sync_error is None:
            data.pop("campaign_sync_error")
            data.pop("campaigns_affected")
        data["skipped_rows"] = data["skipped_rows"][:20]  # a sample; the count is rows_skipped
        return data


def sync_window(account: AdAccount, lookback_days: int, until: date | None = None) -> tuple[date, date]:
    """The `lookback_days` days up to `until`, by default the last complete day (the account's
    today is never complete)."""
    if until is None:
        today = market_today(account) if account.source == Source.SIMULATED else timezone.localdate()
        until = today - timedelta(days=1)
    return until - timedelta(days=lookback_days - 1), until


# The stored columns of a performance row, in the order the upsert writes them.
PERFORMANCE_COLUMNS = ("meta_ad_id", "date", "account_id", "source", "ad_name", "campaign_id", "adset_id",
                       "campaign_objective", "currency", "impressions", "clicks", "reach", "frequency", "spend", "cpm",
                       "ctr", "conversions", "conversion_value", "conversion_rate", "roas", "synced_at")


def _row_values(account: AdAccount, row: DailyAdInsight, objectives: dict[str, str], synced_at) -> tuple:
    return (
        row.meta_ad_id, row.date, account.pk, account.source, (row.ad_name or "")[:400], row.campaign_id or "",
        row.adset_id or "", objectives.get(row.campaign_id or "", "UNKNOWN"),
        (row.account_currency or account.currency or "")[:3], row.impressions, row.clicks, row.reach, row.frequency,
        row.spend, row.cpm, row.ctr, row.conversions, row.conversion_value, row.conversion_rate, row.roas, synced_at,
    )


def upsert_performance(account: AdAccount, rows: list[DailyAdInsight], objectives: dict[str, str]) -> int:
    """One upsert statement per page (genome.bulk): a re-sync updates every column but the key."""
    if not rows:
        return 0
    # One page may repeat an (ad, day) when Meta answers it twice; the last answer wins.
    latest = {(row.meta_ad_id, row.date): row for row in rows}
    synced_at = timezone.now()
    return insert_rows(AdPerformanceDay, PERFORMANCE_COLUMNS,
                       [_row_values(account, row, objectives, synced_at) for row in latest.values()],
                       conflict=("meta_ad_id", "date"), update=PERFORMANCE_COLUMNS[2:])


def _simulated_read(purpose: str, started: float) -> PendingCall:
    """The simulated market is read like Meta is, and recorded like it (free, on our machine)."""
    return PendingCall(purpose=purpose, provider="meta_simulated", model="simulated-market",
                       attempt=AttemptRecord(1, int((time.perf_counter() - started) * 1000), None))


def meta_sync_account(*, account: AdAccount, job_run_id: int | None, progress, lookback_days: int | None = None,
                      until: date | None = None) -> dict:
    """Sync one connected account; the run's metadata (SyncReport, or a structured failure)."""
    lookback = lookback_days or settings.ADCREATOR_META_LOOKBACK_DAYS
    ledger = CallLedger(CallScope(organization_id=account.brand.organization_id, brand_id=account.brand_id,
                                  job_run_id=job_run_id))
    pending: list[PendingCall] = []
    since, until = sync_window(account, lookback, until)
    report = SyncReport(source=account.source, ad_account_id=account.ad_account_id, since=since.isoformat(),
                        until=until.isoformat())
    try:
        source = source_for(account, observer=pending.append)
    except TokenUnreadable as exc:
        meta_connection_mark_broken(account=account, reason=str(exc))
        return {"error": "token_unreadable", "error_detail": str(exc), **report.as_metadata()}
    objectives = dict(MetaCampaign.objects.filter(account=account).values_list("campaign_id", "objective"))
    simulated = account.source == Source.SIMULATED
    try:
        started = time.perf_counter()
        # The next page is read while this one is stored (genome.read_ahead); `pending` belongs
        # to the reading until the pages end.
        pages = pages_with_calls(source.iter_insight_pages(account.ad_account_id, since, until), pending,
                                 ahead=source.pages_off_thread)
        for page, calls in pages:
            if simulated:
                calls.append(_simulated_read("meta.insights.page", started))
            with transaction.atomic():  # a page and the record of its calls land together
                report.rows_upserted += upsert_performance(account, page.rows, objectives)
                ledger.write(calls)
            report.pages += 1
            report.rows_skipped += len(page.skipped)
            report.skipped_rows += [row.model_dump() for row in page.skipped]
            progress.update(stage="insights", pages=report.pages, rows_upserted=report.rows_upserted)
            started = time.perf_counter()
        report.slow_downs = getattr(source, "slow_downs", 0)
        _sync_campaigns(account, source, report, since, until, ledger, pending, simulated)
    except MetaTokenInvalidError as exc:
        ledger.write(pending)
        meta_connection_mark_broken(account=account, reason=f"Meta refused the access token: {exc.message}")
        _finish(account, ok=False)
        return {"error": "token_invalid", "error_detail": "Meta refused the access token; replace it on the brand's "
                "Meta connection page.", **report.as_metadata()}
    except ProviderError as exc:
        ledger.write(pending)
        _finish(account, ok=False)
        return {"error": "meta_call_failed", "error_detail": str(exc), "retryable": exc.retryable,
                **report.as_metadata()}
    report.ads_seen = AdPerformanceDay.objects.filter(account=account, date__range=(since, until)).values(
        "meta_ad_id").distinct().count()
    report.mappings_by_name = attribute_by_name(account=account, since=since, until=until)
    _finish(account, ok=True)
    return report.as_metadata()


def _sync_campaigns(account, source, report: SyncReport, since: date, until: date, ledger, pending, simulated) -> None:
    campaign_ids = sorted(set(AdPerformanceDay.objects.filter(account=account, date__range=(since, until))
                              .exclude(campaign_id="").values_list("campaign_id", flat=True)))
    if not campaign_ids:
        return
    started = time.perf_counter()
    try:
        campaigns = source.list_campaigns(account.ad_account_id, campaign_ids)
    except MetaTokenInvalidError:
        raise
    except ProviderError as exc:  # not fatal (spec P1-4): the rows keep objective UNKNOWN
        ledger.write(pending)
        pending.clear()
        logger.warning("campaign sync of %s failed for %s: %s", account.ad_account_id, campaign_ids, exc)
        report.campaign_sync_error = str(exc)[:500]
        report.campaigns_affected = campaign_ids
        return
    if simulated:
        pending.append(_simulated_read("meta.campaigns.get", started))
    now = timezone.now()
    rows = [MetaCampaign(account=account, campaign_id=c.id, name=(c.name or "")[:400],
                         objective_raw=(c.objective or "")[:60], objective=normalise_objective(c.objective).name,
                         status=(c.status or "")[:30], synced_at=now) for c in campaigns]
    by_objective: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        by_objective[row.objective].append(row.campaign_id)
    with transaction.atomic():
        MetaCampaign.objects.bulk_create(rows, update_conflicts=True, unique_fields=["account", "campaign_id"],
                                         update_fields=["name", "objective_raw", "objective", "status", "synced_at"])
        # Part B: one UPDATE per objective, over every stored day of those campaigns.
        for objective, ids in by_objective.items():
            AdPerformanceDay.objects.filter(account=account, campaign_id__in=ids).exclude(
                campaign_objective=objective).update(campaign_objective=objective)
        ledger.write(pending)
    pending.clear()
    report.campaigns_synced = len(rows)


def _finish(account: AdAccount, *, ok: bool) -> None:
    AdAccount.objects.filter(pk=account.pk).update(last_sync_at=timezone.now(), last_sync_ok=ok)
