"""meta_sync against the Graph API stand-in with the real facebook-business SDK: units as stored,
re-syncs that update instead of duplicating, the failure modes, and the ledger."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from adcreator.calls.models import ProviderCall
from adcreator.jobs.models import JobRun
from adcreator.jobs.services import job_create, job_run_execute
from genome.models import AdAccount, AdPerformanceDay, MetaCampaign
from tests.fakes import meta_faults
from tests.fakes.meta_fixtures import AD_IDS, CAMPAIGN_ID

UNTIL = date(2026, 3, 10)  # the small account's ten days: 2026-03-01 … 03-10


class Progress:
    def __init__(self):
        self.updates = []

    def update(self, **fields):
        self.updates.append(fields)


def sync(account, lookback_days: int = 10):
    """Ten days go through an async report run (over the adapter's 7-day threshold); five are paged."""
    from genome.services.sync import meta_sync_account

    return meta_sync_account(account=account, job_run_id=None, progress=Progress(), lookback_days=lookback_days,
                             until=UNTIL)


@pytest.mark.django_db
def test_units_are_stored_as_pinned(connected):
    result = sync(connected)
    assert "error" not in result, result
    day = AdPerformanceDay.objects.get(meta_ad_id=AD_IDS[0], date=date(2026, 3, 1))
    # Hand-computed from the wire row: "ctr": "1.600000" is a percentage; 40 / 2500 = 0.016.
    assert day.impressions == 2500 and day.clicks == 40
    assert day.ctr == pytest.approx(0.016)
    assert day.spend == Decimal("27.50") and day.cpm == Decimal("11")
    # One purchase listed under three action types is one purchase, worth 99.90 once.
    assert day.conversions == 2 and day.conversion_value == Decimal("99.90")
    assert day.conversion_rate == pytest.approx(2 / 40)
    assert day.roas == pytest.approx(99.90 / 27.50)
    assert day.frequency == pytest.approx(1.25) and day.reach == 2000
    assert day.currency == "USD" and day.source == "graph"
    # A metric Meta did not send is NULL, never an invented 0.
    sparse = AdPerformanceDay.objects.get(meta_ad_id="120210000000009")
    assert sparse.impressions == 12 and sparse.spend == Decimal("0.14")
    assert sparse.clicks is None and sparse.ctr is None and sparse.conversions is None and sparse.roas is None


@pytest.mark.django_db
def test_campaign_objectives_are_normalised_onto_the_rows(connected):
    result = sync(connected)
    assert result["campaigns_synced"] >= 1
    campaign = MetaCampaign.objects.get(account=connected, campaign_id=CAMPAIGN_ID)
    assert campaign.objective_raw == "OUTCOME_SALES" and campaign.objective == "SALES"
    assert set(AdPerformanceDay.objects.filter(campaign_id=CAMPAIGN_ID).values_list("campaign_objective", flat=True)) \
        == {"SALES"}


@pytest.mark.django_db
def test_a_resync_with_revised_numbers_updates_and_never_duplicates(connected, graph_server):
    sync(connected)
    count = AdPerformanceDay.objects.count()
    row = next(r for r in graph_server.account.rows if r["ad_id"] == AD_IDS[1] and r["date_start"] == "2026-03-05")
    row.update(impressions="9999", clicks="111", ctr=f"{111 / 9999 * 100:.6f}")
    graph_server.account._serialised.clear()
    graph_server.account._projected.clear()
    sync(connected)
    assert AdPerformanceDay.objects.count() == count
    revised = AdPerformanceDay.objects.get(meta_ad_id=AD_IDS[1], date=date(2026, 3, 5))
    assert revised.impressions == 9999 and revised.clicks == 111 and revised.ctr == pytest.approx(111 / 9999)


@pytest.mark.django_db
def test_a_failed_campaign_call_is_not_fatal(connected, graph_server):
    graph_server.inject(*[meta_faults.graph_error(100, "Unsupported get request")] * 5, on="campaign")
    result = sync(connected)
    assert "error" not in result and result["rows_upserted"] > 0
    assert result["campaign_sync_error"] and CAMPAIGN_ID in result["campaigns_affected"]
    assert set(AdPerformanceDay.objects.values_list("campaign_objective", flat=True)) == {"UNKNOWN"}


@pytest.mark.django_db
@pytest.mark.parametrize("lookback,endpoint", [(5, "insights"), (10, "report_start")])
def test_a_rate_limit_then_success_is_retried_and_every_attempt_recorded(connected, graph_server, lookback, endpoint):
    graph_server.inject(meta_faults.rate_limited(17, regain_minutes=1), on=endpoint)
    result = sync(connected, lookback)
    assert "error" not in result and result["rows_upserted"] > 0
    outcomes = list(ProviderCall.objects.filter(provider="meta_graph", purpose__startswith="meta.insights")
                    .order_by("id").values_list("outcome", flat=True))
    assert outcomes[0] == "retryable_error" and "ok" in outcomes
    assert not ProviderCall.objects.exclude(cost_usd=0).exists()  # Meta bills nothing per call
    assert set(ProviderCall.objects.values_list("brand_id", flat=True)) == {connected.brand_id}


@pytest.mark.django_db
def test_an_expired_token_breaks_the_connection_and_stops_calls(connected, graph_server, brand):
    graph_server.inject(meta_faults.token_expired(), on="report_start")
    result = sync(connected)
    assert result["error"] == "token_invalid"
    connected.refresh_from_db()
    assert connected.status == AdAccount.Status.BROKEN and "access token" in connected.broken_reason
    graph_server.reset()
    job = job_create(organization=brand.organization, brand=brand, job_type="meta_sync",
                     parameters={"brand_id": brand.pk}, enqueue=False)
    run = job_run_execute(run_id=JobRun.objects.create(job=job).pk)
    assert run.status == "completed" and run.metadata["skipped"] is True
    assert run.metadata["reason"] == "connection_broken"
    assert graph_server.requests == []  # nothing called Meta again


@pytest.mark.django_db
def test_a_brand_without_a_connection_is_skipped_with_the_reason(brand):
    job = job_create(organization=brand.organization, brand=brand, job_type="meta_sync",
                     parameters={"brand_id": brand.pk}, enqueue=False)
    run = job_run_execute(run_id=JobRun.objects.create(job=job).pk)
    assert run.status == "completed"
    assert run.metadata["skipped"] is True and run.metadata["reason"] == "no_ad_account_linked"


@pytest.mark.django_db
def test_large_ranges_go_through_an_async_report_run(connected, graph_server):
    sync(connected)  # ten days: over the 7-day threshold
    assert graph_server.requests_to("report_status") and graph_server.requests_to("report_insights")
