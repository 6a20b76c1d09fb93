"""Deploying an experiment to Meta through the Graph adapter (the real facebook-business SDK)
against the local stand-in: a paused CBO campaign, identical paused ad sets, one paused ad each."""

from __future__ import annotations

import pytest

from adcreator.calls.models import ProviderCall
from experiments.services import ExperimentError, experiment_analyse, experiment_deploy
from experiments.tests.conftest import ready_experiment
from genome.models import AdMapping
from genome.services.connection import meta_connection_set
from tests.fakes.meta_fixtures import ACCOUNT
from tests.fakes.meta_graph_server import META_TEST_TOKEN


@pytest.fixture
def graph_brand(cat, settings, graph_server):
    settings.ADCREATOR_META_PROVIDER = "graph"
    settings.META_GRAPH_BASE_URL = graph_server.base_url
    settings.ADCREATOR_META_MAX_WAIT_SECONDS = 0.01
    settings.ADCREATOR_META_SLOW_DOWN_SECONDS = 0.0
    meta_connection_set(brand=cat.brand, ad_account_id=ACCOUNT, access_token=META_TEST_TOKEN, user=None)
    return cat.brand


def test_the_experiment_is_created_paused_on_meta(base_ad, graph_brand, graph_server, client, make_member, org):
    experiment = ready_experiment(base_ad, treatments=["curiosity_gap", "social_proof"])
    with pytest.raises(ExperimentError) as caught:
        experiment_deploy(experiment=experiment, user=None)
    assert "page_id" in caught.value.errors and not graph_server.created["create_campaign"]

    experiment_deploy(experiment=experiment, user=None, page_id="104000000000001", countries=["US", "CA"])
    experiment.refresh_from_db()
    (campaign,) = graph_server.created["create_campaign"]
    adsets, ads = graph_server.created["create_adset"], graph_server.created["create_ad"]
    assert campaign["status"] == "PAUSED" and campaign["daily_budget"] == str(int(experiment.daily_budget * 100))
    assert len(adsets) == 3 and len(ads) == 3 and len(graph_server.created["create_image"]) == 3
    shared = ("targeting", "optimization_goal", "billing_event", "daily_min_spend_target")
    assert len({tuple(str(adset[key]) for key in shared) for adset in adsets}) == 1
    assert adsets[0]["daily_min_spend_target"] == str(int(experiment.min_daily_spend_per_arm * 100))
    assert adsets[0]["targeting"] == {"geo_locations": {"countries": ["US", "CA"]}}
    assert all(item["status"] == "PAUSED" for item in adsets + ads)
    link = graph_server.created["create_creative"][0]["object_story_spec"]["link_data"]
    assert link["link"] == "https://example.test/serum" and link["message"] == base_ad.headline

    arms = list(experiment.arms.order_by("position"))
    assert experiment.status == "running" and experiment.campaign_id == campaign["id"]
    assert [a.meta_ad_id for a in arms] == [ad["id"] for ad in ads]
    assert [a.meta_adset_id for a in arms] == [adset["id"] for adset in adsets]
    assert AdMapping.objects.filter(origin="experiment").count() == 3
    # Nothing delivers until the advertiser activates the campaign: day 1 is its first delivery.
    assert experiment.started_on is None
    assert "activate it in Ads Manager" in experiment_analyse(experiment=experiment)["waiting"]
    calls = ProviderCall.objects.filter(purpose__startswith="meta.deploy.")
    assert calls.filter(purpose="meta.deploy.adset").count() == 3

    member = make_member(org, "alice")
    client.force_login(member)
    page = client.get(f"/experiments/{experiment.pk}/").content.decode()
    assert "Created PAUSED on Meta" in page and "activate it" in page
