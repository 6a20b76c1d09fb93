"""meta_sync on a real worker: a sync and a re-sync with revised numbers keep one row per (ad, day);
a worker SIGKILLed mid-sync leaves a run the next worker resumes, with no duplicate and no lost day."""

from __future__ import annotations

import signal
from datetime import date

import pytest

from adcreator.jobs.models import JobRun, RunStatus
from adcreator.jobs.services import job_create, job_runs_recover_stale
from genome.models import AdPerformanceDay
from genome.services.connection import meta_connection_set
from tests.fakes import meta_faults
from tests.fakes.meta_accounts import FakeAdAccount
from tests.fakes.meta_graph_server import META_TEST_TOKEN, FakeMetaGraphServer
from tests.support.worker import running_qcluster, stop_process_group, wait_for

UNTIL = date(2026, 3, 28)
ADS, DAYS = 300, 28


@pytest.fixture
def stand_in():
    with FakeMetaGraphServer(FakeAdAccount.generated(n_ads=ADS, days=DAYS, until=UNTIL)) as server:
        yield server


def worker_env(server) -> dict[str, str]:
    return {"ADCREATOR_META_PROVIDER": "graph", "META_GRAPH_BASE_URL": server.base_url,
            "ADCREATOR_META_REPORT_POLL_SECONDS": "0.01", "ADCREATOR_META_MAX_WAIT_SECONDS": "0.1",
            "ADCREATOR_STALE_RUN_SECONDS": "4"}


def queue_sync(brand):
    return job_create(organization=brand.organization, brand=brand, job_type="meta_sync",
                      parameters={"brand_id": brand.pk, "until": UNTIL.isoformat(), "lookback_days": DAYS})


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_sync_then_resync_with_revised_numbers_on_a_worker(brand, stand_in, settings, tmp_path):
    settings.ADCREATOR_META_PROVIDER = "graph"
    meta_connection_set(brand=brand, ad_account_id=stand_in.account.account_id, access_token=META_TEST_TOKEN, user=None)
    with running_qcluster(extra_env=worker_env(stand_in), log_path=tmp_path / "worker.log"):
        first = queue_sync(brand).runs.get()
        wait_for(lambda: JobRun.objects.get(pk=first.pk).is_finished, timeout=120, message="the first sync")
        assert JobRun.objects.get(pk=first.pk).status == RunStatus.COMPLETED
        assert AdPerformanceDay.objects.count() == ADS * DAYS
        revised = stand_in.account.rows[-1]  # Meta revises the latest day upward
        revised["impressions"] = str(int(revised["impressions"]) + 1000)
        stand_in.account._serialised.clear()
        stand_in.account._projected.clear()
        second = queue_sync(brand).runs.get()
        wait_for(lambda: JobRun.objects.get(pk=second.pk).is_finished, timeout=120, message="the re-sync")
    assert JobRun.objects.get(pk=second.pk).status == RunStatus.COMPLETED
    assert AdPerformanceDay.objects.count() == ADS * DAYS
    row = AdPerformanceDay.objects.get(meta_ad_id=revised["ad_id"], date=date.fromisoformat(revised["date_start"]))
    assert row.impressions == int(revised["impressions"])


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_sync_is_resumed_with_no_duplicate_and_no_lost_day(brand, stand_in, settings, tmp_path):
    settings.ADCREATOR_META_PROVIDER = "graph"
    settings.ADCREATOR_STALE_RUN_SECONDS = 4
    meta_connection_set(brand=brand, ad_account_id=stand_in.account.account_id, access_token=META_TEST_TOKEN, user=None)
    # Each report page answers slowly, so the sync is still reading when the worker is killed.
    stand_in.inject(*[meta_faults.slow(0.25)] * (ADS * DAYS // 500 + 2), on="report_insights")
    with running_qcluster(extra_env=worker_env(stand_in), log_path=tmp_path / "worker-a.log") as worker:
        run = queue_sync(brand).runs.get()
        wait_for(lambda: AdPerformanceDay.objects.count() >= 1000, timeout=120, message="the first pages")
        stop_process_group(worker, sig=signal.SIGKILL)
    stored_at_crash = AdPerformanceDay.objects.count()
    assert stored_at_crash < ADS * DAYS, "the sync finished before the crash; nothing was tested"
    assert JobRun.objects.get(pk=run.pk).status == RunStatus.RUNNING
    wait_for(lambda: job_runs_recover_stale()["resumed"] == [run.pk], timeout=30, message="the stale run")
    stand_in.reset()
    with running_qcluster(extra_env=worker_env(stand_in), log_path=tmp_path / "worker-b.log"):
        wait_for(lambda: JobRun.objects.get(pk=run.pk).is_finished, timeout=120, message="the resumed sync")
    run.refresh_from_db()
    assert run.status == RunStatus.COMPLETED, run.error
    days = AdPerformanceDay.objects.values_list("meta_ad_id", "date")
    assert days.count() == ADS * DAYS and len(set(days)) == ADS * DAYS  # every (ad, day) once
    print(f"\nFIGURES meta-sync crash: {stored_at_crash}/{ADS * DAYS} rows stored at SIGKILL, run attempts {run.attempts}")
