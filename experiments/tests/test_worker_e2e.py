"""An experiment end to end on the simulated market with a real qcluster worker: created,
planned, its budget confirmed, its arms made by real generation jobs, deployed, then day after
day the market's clock moves, meta_sync reads the day and experiment_analysis looks at it —
until the decision rule reaches a verdict."""

from __future__ import annotations

import time

import pytest

from adcreator.jobs.models import Job, JobRun, RunStatus
from adcreator.jobs.services import job_create
from experiments.models import CausalEffect, ExperimentDay
from experiments.services import (
    experiment_check_arms, experiment_confirm_budget, experiment_create, experiment_deploy, experiment_generate_arms,
)
from experiments.tests.support import connect_simulated, make_ad
from genome.market_store import market_advance
from tests.support.catalog import build_catalog
from tests.support.worker import running_qcluster, wait_for


def finished(job: Job) -> bool:
    return all(run.is_finished for run in JobRun.objects.filter(job=job)) and JobRun.objects.filter(job=job).exists()


def run_on_worker(job: Job, what: str) -> JobRun:
    wait_for(lambda: finished(job), timeout=120, message=what)
    run = JobRun.objects.filter(job=job).latest("id")
    assert run.status == RunStatus.COMPLETED, (what, run.error, run.metadata)
    return run


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_an_experiment_reaches_a_verdict_on_a_worker(org, settings, tmp_path):
    cat = build_catalog(org)
    account = connect_simulated(cat.brand, settings)
    base = make_ad(cat)
    experiment = experiment_create(user=None, organization_ids=[org.pk], base_ad_id=base.pk, variable="hook_type",
                                   treatment_values=["curiosity_gap", "social_proof"],
                                   hypothesis="Curiosity and social proof beat a benefit", planned_days=2)
    assert experiment.planned_impressions_per_arm > 40_000 and experiment.status == "draft"
    experiment_confirm_budget(experiment=experiment, user=None, budget_estimate=experiment.budget_estimate)
    started = time.perf_counter()
    looks = []
    with running_qcluster(workers=1, log_path=tmp_path / "worker.log"):
        for job in experiment_generate_arms(experiment=experiment, user=None):
            run = run_on_worker(job, "an arm's generation job")
            assert run.metadata["workers"]  # ran in the worker process
        assert experiment_check_arms(experiment=experiment) == []
        experiment_deploy(experiment=experiment, user=None)
        experiment.refresh_from_db()
        assert experiment.status == "running"
        for _ in range(14):
            market_advance(account=account, days=1)
            run_on_worker(job_create(organization=org, brand=cat.brand, job_type="meta_sync",
                                     parameters={"brand_id": cat.brand.pk, "lookback_days": 20}), "the day's sync")
            analysis = run_on_worker(job_create(organization=org, job_type="experiment_analysis", parameters={}),
                                     "the day's analysis")
            looks.append(analysis.metadata["experiments"][str(experiment.pk)])
            experiment.refresh_from_db()
            if experiment.is_finished:
                break
    experiment.refresh_from_db()
    assert experiment.status in ("won", "futile", "inconclusive"), (experiment.status, looks)
    days = list(ExperimentDay.objects.filter(experiment=experiment).order_by("day"))
    assert [d.day for d in days] == list(range(1, len(days) + 1)) and days[-1].final
    assert days[-1].impressions[0] >= experiment.planned_impressions_per_arm or experiment.status == "inconclusive"
    assert [look["days"] for look in looks] == list(range(1, len(looks) + 1))  # one more look each day
    assert CausalEffect.objects.filter(experiment=experiment).count() == 2
    print(f"\nFIGURES experiment e2e: verdict {experiment.status} on day {experiment.verdict['day']} "
          f"({experiment.verdict.get('winner') or 'no winner'}), P(best) {days[-1].prob_best}, "
          f"{len(looks)} worker day(s) in {time.perf_counter() - started:.0f} s")
