"""Fixtures of the experiments' database tests: a real catalog, a base ad made by a real
generation job, a brand on the simulated market, and an experiment taken up to deployment."""

from __future__ import annotations

import pytest

from experiments.services import (
    experiment_check_arms, experiment_confirm_budget, experiment_create, experiment_deploy, experiment_generate_arms,
)
from experiments.tests.support import connect_simulated, make_ad, run_job
from tests.fakes.meta_fixtures import graph_server, graph_server_for_module  # noqa: F401 (fixtures)
from tests.support.catalog import build_catalog


@pytest.fixture
def cat(org):
    return build_catalog(org)


@pytest.fixture
def base_ad(cat):
    return make_ad(cat)


@pytest.fixture
def sim_account(cat, settings):
    return connect_simulated(cat.brand, settings)


def new_experiment(ad, *, variable="hook_type", treatments=("curiosity_gap",), **plan):
    plan.setdefault("planned_days", 2)
    return experiment_create(user=None, organization_ids=[ad.ad_run.organization_id], base_ad_id=ad.pk,
                             variable=variable, treatment_values=list(treatments),
                             hypothesis="Curiosity makes people click", **plan)


def ready_experiment(ad, **kwargs):
    experiment = new_experiment(ad, **kwargs)
    experiment_confirm_budget(experiment=experiment, user=None)
    for job in experiment_generate_arms(experiment=experiment, user=None):
        run_job(job)
    assert experiment_check_arms(experiment=experiment) == []
    experiment.refresh_from_db()
    return experiment


@pytest.fixture
def deployed(base_ad, sim_account):
    experiment = ready_experiment(base_ad)
    experiment_deploy(experiment=experiment, user=None)
    experiment.refresh_from_db()
    return experiment
