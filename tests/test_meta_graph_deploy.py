"""Creating an experiment's paused structure through the real SDK against the Graph stand-in."""

from __future__ import annotations

from decimal import Decimal

import pytest

from adcreator.providers.meta.contracts import (
    AdSetSpec,
    ArmSpec,
    CreativeSpec,
    ExperimentDeploymentRequest,
)
from adcreator.providers.meta.errors import MetaDeploymentError, MetaOutcomeUnknownError
from tests.fakes.meta_faults import rate_limited, transient
from tests.fakes.meta_fixtures import (  # noqa: F401 (fixtures)
    ACCOUNT,
    Recorder,
    adapter,
    graph_server,
    graph_server_for_module,
)


def deployment(arms: int = 2, **overrides) -> ExperimentDeploymentRequest:
    creative = CreativeSpec(page_id="104000000000001", image_png=b"\x89PNG fake bytes", link_url="https://shop.example/p",
                            primary_text="Sleep better", headline="Try it", call_to_action="SHOP_NOW")
    fields = dict(
        account_id=ACCOUNT, campaign_name="EXP-7 hook_type", daily_budget=Decimal("120.00"),
        min_daily_spend_per_arm=Decimal("40.00"),
        ad_set=AdSetSpec(targeting={"geo_locations": {"countries": ["US"]}, "age_min": 25,
                                    "publisher_platforms": ["facebook", "instagram"]},
                         promoted_object={"pixel_id": "555", "custom_event_type": "PURCHASE"}),
        arms=[ArmSpec(arm_key=key, ad_name=f"EXP-7 {key}", creative=creative)
              for key in ["control", "t1", "t2", "t3"][:arms]],
    )
    fields.update(overrides)
    return ExperimentDeploymentRequest(**fields)


def test_the_experiment_is_created_paused_with_identical_ad_sets(graph_server):
    result = adapter(graph_server).create_experiment(deployment(arms=3))
    campaigns, adsets = graph_server.created["create_campaign"], graph_server.created["create_adset"]
    ads, creatives = graph_server.created["create_ad"], graph_server.created["create_creative"]
    assert len(campaigns) == 1 and len(adsets) == 3 and len(ads) == 3 and len(creatives) == 3
    campaign = campaigns[0]
    assert campaign["status"] == "PAUSED" and campaign["objective"] == "OUTCOME_SALES"
    assert campaign["daily_budget"] == "12000"  # CBO: the budget on the campaign, in cents
    assert campaign["bid_strategy"] == "LOWEST_COST_WITHOUT_CAP" and campaign["special_ad_categories"] == []
    assert all("daily_budget" not in adset for adset in adsets)
    assert result.campaign_id == campaign["id"]
    assert {adset["campaign_id"] for adset in adsets} == {campaign["id"]}
    assert all(adset["status"] == "PAUSED" for adset in adsets)
    shared = ("targeting", "optimization_goal", "billing_event", "promoted_object", "daily_min_spend_target")
    assert len({tuple(str(adset[key]) for key in shared) for adset in adsets}) == 1  # identical across arms
    assert adsets[0]["daily_min_spend_target"] == "4000"
    assert adsets[0]["targeting"]["publisher_platforms"] == ["facebook", "instagram"]
    assert [adset["name"] for adset in adsets] == ["EXP-7 hook_type | control", "EXP-7 hook_type | t1", "EXP-7 hook_type | t2"]
    assert all(ad["status"] == "PAUSED" for ad in ads)
    assert [ad["adset_id"] for ad in ads] == [adset["id"] for adset in adsets]  # one ad per ad set
    assert [ad["creative"]["creative_id"] for ad in ads] == [creative["id"] for creative in creatives]
    link = creatives[0]["object_story_spec"]["link_data"]
    assert link["image_hash"] == graph_server.created["create_image"][0]["hash"] and link["link"] == "https://shop.example/p"
    assert [(arm.arm_key, arm.adset_id, arm.ad_id) for arm in result.arms] == [
        (key, adset["id"], ad["id"]) for key, adset, ad in zip(["control", "t1", "t2"], adsets, ads)]


def test_a_failed_step_reports_what_was_created_and_creates_are_not_retried(graph_server):
    graph_server.inject(transient(2), on="create_adset")
    with pytest.raises(MetaDeploymentError) as caught:
        adapter(graph_server).create_experiment(deployment())
    assert isinstance(caught.value.cause, MetaOutcomeUnknownError) and not caught.value.retryable
    assert caught.value.created["campaigns"] == [graph_server.created["create_campaign"][0]["id"]]
    assert len(graph_server.requests_to("create_adset")) == 1  # not retried: it might exist


def test_a_rate_limited_create_is_retried(graph_server):
    graph_server.inject(rate_limited(80004, regain_minutes=1), on="create_campaign")
    recorder = Recorder()
    result = adapter(graph_server, recorder).create_experiment(deployment())
    assert result.campaign_id and recorder.sleeps[0] == 60
    assert len(graph_server.created["create_campaign"]) == 1


def test_existing_creatives_are_used_as_they_are(graph_server):
    arms = [ArmSpec(arm_key=k, ad_name=f"ad {k}", creative=CreativeSpec(creative_id=cid))
            for k, cid in (("control", "2380001"), ("t1", "2380002"))]
    result = adapter(graph_server).create_experiment(deployment(arms=2).model_copy(update={"arms": arms}))
    assert not graph_server.created["create_creative"] and not graph_server.created["create_image"]
    assert [arm.creative_id for arm in result.arms] == ["2380001", "2380002"]


def test_deployment_requests_are_validated():
    with pytest.raises(ValueError, match="exceed the daily budget"):
        deployment(arms=4)  # 4 x 40 > 120
    with pytest.raises(ValueError, match="unique"):
        deployment(arms=2).model_validate({**deployment().model_dump(), "arms": [deployment().arms[0]] * 2})
    with pytest.raises(ValueError, match="needs ad_set.bid_amount"):
        deployment(bid_strategy="COST_CAP")
