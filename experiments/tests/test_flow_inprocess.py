"""An experiment from creation to verdict on the simulated market, every job run in this process."""

from __future__ import annotations

import pytest

from experiments.models import CausalEffect, ExperimentDay
from experiments.services import (
    experiment_check_arms, experiment_confirm_budget, experiment_create, experiment_deploy, experiment_generate_arms,
)
from experiments.tests.support import advance, analyse, connect_simulated, make_ad, run_job, sync
from genome.models import AdMapping, SimulatedAd
from tests.support.catalog import build_catalog


@pytest.mark.django_db
def test_an_experiment_runs_to_a_verdict(org, settings):
    cat = build_catalog(org)
    account = connect_simulated(cat.brand, settings)
    base = make_ad(cat)
    experiment = experiment_create(user=None, organization_ids=[org.pk], base_ad_id=base.pk, variable="hook_type",
                                   treatment_values=["curiosity_gap"], hypothesis="Curiosity beats benefits",
                                   relative_mde=0.2, planned_days=2)
    assert experiment.status == "draft" and experiment.baseline_source == "assumed"
    experiment_confirm_budget(experiment=experiment, user=None)
    jobs = experiment_generate_arms(experiment=experiment, user=None)
    for job in jobs:
        run_job(job)
    assert experiment_check_arms(experiment=experiment) == []
    experiment.refresh_from_db()
    assert experiment.status == "ready"
    experiment_deploy(experiment=experiment, user=None)
    experiment.refresh_from_db()
    assert experiment.status == "running" and experiment.started_on is not None
    assert AdMapping.objects.filter(origin="experiment").count() == 2
    assert SimulatedAd.objects.filter(launched_on__isnull=False).count() == 2
    for _ in range(14):
        advance(account)
        sync(cat.brand)
        analyse(org)
        experiment.refresh_from_db()
        if experiment.is_finished:
            break
    assert experiment.is_finished, experiment.verdict
    assert ExperimentDay.objects.filter(experiment=experiment).count() >= 1
    assert CausalEffect.objects.filter(experiment=experiment).count() == 1
