"""The simulated market: deterministic, realistic magnitudes, real hidden effects, fatigue."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from adcreator.providers.errors import InvalidInputError
from adcreator.providers.meta.contracts import (
    AdSetSpec,
    ArmSpec,
    CreativeSpec,
    ExperimentDeploymentRequest,
    MetaPerformanceSource,
)
from adcreator.providers.meta.errors import MetaRequestRejectedError
from adcreator.providers.meta.launches import InMemoryLaunchStore, new_launch
from adcreator.providers.meta.market import REPORTED_SHARE, AdProfile, MarketModel
from adcreator.providers.meta.simulated import SimulatedMetaSource

ACCOUNT = "act_4242"
LAUNCH = date(2026, 2, 2)  # a Monday
BASE_TAGS = {"hook_type": "question", "color_mode": "brand", "template_category": "ugc", "canvas_size": "1080x1350",
             "awareness_stage": 3, "visual_style": "ugc", "prompt_version": "v2.1"}


def launched_store(n_ads: int, days_running: int, tags_for=lambda i: BASE_TAGS) -> InMemoryLaunchStore:
    store = InMemoryLaunchStore(today=LAUNCH + timedelta(days=days_running))
    for i in range(n_ads):
        campaign, ad = new_launch(ACCOUNT, ad_key=f"gen-{i}", ad_name=f"AdCreator {i:04d} | {i:08x}",
                                  element_tags=tags_for(i), launched_on=LAUNCH)
        store.add_structure(ACCOUNT, campaign, [ad])
    return store


def rows_of(source: SimulatedMetaSource, since: date, until: date):
    return [row for page in source.iter_insight_pages(ACCOUNT, since, until) for row in page.rows]


def totals(rows) -> tuple[float, float, float]:
    impressions = sum(r.impressions for r in rows)
    clicks = sum(r.clicks for r in rows)
    purchases = sum(r.conversions for r in rows)
    spend = sum(r.spend for r in rows)
    return clicks / impressions, purchases / clicks, float(spend) / impressions * 1000


def test_it_answers_the_protocol_and_hides_its_truth():
    source = SimulatedMetaSource(launched_store(1, 3), seed=1)
    assert isinstance(source, MetaPerformanceSource)
    assert not hasattr(source, "ground_truth")  # the oracle lives on MarketModel, for benchmarks only


def test_same_seed_ad_and_date_give_the_same_numbers_whatever_the_range():
    store = launched_store(5, 20)
    once = rows_of(SimulatedMetaSource(store, seed=7), LAUNCH, LAUNCH + timedelta(days=18))
    again = rows_of(SimulatedMetaSource(store, seed=7), LAUNCH + timedelta(days=10), LAUNCH + timedelta(days=18))
    by_key = {(r.meta_ad_id, r.date): r for r in once}
    assert again and all(by_key[(r.meta_ad_id, r.date)] == r for r in again)
    other_seed = rows_of(SimulatedMetaSource(store, seed=8), LAUNCH, LAUNCH + timedelta(days=18))
    assert [r.clicks for r in other_seed] != [r.clicks for r in once]


def test_today_is_not_reported_and_recent_days_are_revised_upward_deterministically():
    store = launched_store(40, 10)
    source = SimulatedMetaSource(store, seed=3)
    yesterday = store.today(ACCOUNT) - timedelta(days=1)
    assert not rows_of(source, store.today(ACCOUNT), store.today(ACCOUNT))
    early = {r.meta_ad_id: r for r in rows_of(source, yesterday, yesterday)}
    store.advance(ACCOUNT, 3)
    late = {r.meta_ad_id: r for r in rows_of(source, yesterday, yesterday)}
    assert set(early) == set(late)
    assert all(late[a].impressions == early[a].impressions and late[a].clicks == early[a].clicks for a in early)
    assert all(late[a].conversions >= early[a].conversions for a in early)  # never revised down
    assert sum(late[a].conversions for a in early) > sum(early[a].conversions for a in early)
    assert REPORTED_SHARE[1] < REPORTED_SHARE[2] < 1
    store.advance(ACCOUNT, 1)
    assert {r.meta_ad_id: r for r in rows_of(source, yesterday, yesterday)} == late  # complete: stable


def test_magnitudes_are_those_of_a_real_account():
    rows = rows_of(SimulatedMetaSource(launched_store(150, 28), seed=11), LAUNCH, LAUNCH + timedelta(days=27))
    assert len(rows) == 150 * 28
    ctr, cvr, cpm = totals(rows)
    assert 0.004 <= ctr <= 0.02 and 0.008 <= cvr <= 0.04 and 8 * 0.9 <= cpm <= 15 * 1.1
    daily_impressions = sorted(r.impressions for r in rows)
    assert 1000 <= daily_impressions[len(rows) // 2] <= 8000  # a $20–50/day ad at an $8–15 CPM
    assert all(r.ctr == pytest.approx(r.clicks / r.impressions) for r in rows[:50])  # a ratio, not per cent
    assert all(r.roas == pytest.approx(float(r.conversion_value / r.spend)) for r in rows[:50])
    assert len({r.clicks for r in rows if r.meta_ad_id == rows[0].meta_ad_id}) > 5  # binomial noise


def test_a_better_element_value_really_earns_a_higher_ctr():
    model = MarketModel(seed=5)
    values = [f"hook-{i}" for i in range(12)]  # values never seen before get effects too
    ranked = sorted(values, key=lambda v: model.effect("hook_type", v).ctr_log_lift)
    worst, best = ranked[0], ranked[-1]
    assert model.effect("hook_type", best) == MarketModel(seed=5).effect("hook_type", best)  # seeded
    store = launched_store(120, 14, tags_for=lambda i: {**BASE_TAGS, "hook_type": best if i % 2 else worst})
    rows = rows_of(SimulatedMetaSource(store, seed=5), LAUNCH, LAUNCH + timedelta(days=13))
    ads = {ad.meta_ad_id: ad.element_tags["hook_type"] for ad in store.launched(ACCOUNT)}
    ctr_best = totals([r for r in rows if ads[r.meta_ad_id] == best])[0]
    ctr_worst = totals([r for r in rows if ads[r.meta_ad_id] == worst])[0]
    true_ratio = model.ground_truth(ACCOUNT, {**BASE_TAGS, "hook_type": best}).ctr / model.ground_truth(
        ACCOUNT, {**BASE_TAGS, "hook_type": worst}).ctr
    assert true_ratio > 1.2
    assert ctr_best > ctr_worst
    assert ctr_best / ctr_worst == pytest.approx(true_ratio, rel=0.1)


def test_ctr_fatigues_as_frequency_accumulates():
    store = launched_store(30, 56)
    rows = rows_of(SimulatedMetaSource(store, seed=2), LAUNCH, LAUNCH + timedelta(days=55))
    first_week = [r for r in rows if r.date < LAUNCH + timedelta(days=7)]
    last_week = [r for r in rows if r.date >= LAUNCH + timedelta(days=49)]
    assert totals(last_week)[0] < totals(first_week)[0] * 0.85
    model = MarketModel(seed=2)
    days = model.simulate([AdProfile("1", ACCOUNT, BASE_TAGS, 30.0, LAUNCH)], through=LAUNCH + timedelta(days=55),
                          today=LAUNCH + timedelta(days=56))
    frequencies = [d.cumulative_frequency for d in days]
    assert frequencies == sorted(frequencies) and frequencies[-1] > 4  # the anti-fatigue trigger is reachable
    truth = [model.ground_truth(ACCOUNT, BASE_TAGS, cumulative_frequency=f).ctr for f in (1, 2, 4)]
    assert truth[0] > truth[1] > truth[2]


def test_pages_and_paused_ads():
    store = launched_store(7, 5)
    campaign, paused = new_launch(ACCOUNT, ad_key="paused", ad_name="P", element_tags=BASE_TAGS, launched_on=LAUNCH)
    store.add_structure(ACCOUNT, campaign, [paused])
    store.pause(ACCOUNT, [paused.meta_ad_id])  # paused today: delivered until yesterday
    pages = list(SimulatedMetaSource(store, seed=1, page_size=10).iter_insight_pages(ACCOUNT, LAUNCH, LAUNCH + timedelta(days=30)))
    assert [len(p.rows) for p in pages] == [10, 10, 10, 10]  # 8 ads x 5 complete days
    assert [p.has_more for p in pages] == [True, True, True, False] and {p.delivery for p in pages} == {"simulated"}
    empty = list(SimulatedMetaSource(InMemoryLaunchStore(LAUNCH), seed=1).iter_insight_pages(ACCOUNT, LAUNCH, LAUNCH))
    assert len(empty) == 1 and not empty[0].rows and not empty[0].has_more


def test_campaigns_listed_and_unknown_ids_refused_as_on_meta():
    source = SimulatedMetaSource(launched_store(2, 1), seed=1)
    [campaign] = source.list_campaigns(ACCOUNT)
    assert campaign.objective == "OUTCOME_SALES" and source.list_campaigns(ACCOUNT, [campaign.id]) == [campaign]
    with pytest.raises(MetaRequestRejectedError):
        source.list_campaigns(ACCOUNT, ["123"])


def test_experiment_arms_start_paused_then_share_traffic_evenly():
    store = InMemoryLaunchStore(LAUNCH)
    source = SimulatedMetaSource(store, seed=9)
    creative = CreativeSpec(creative_id="1")
    arms = [ArmSpec(arm_key=k, ad_name=f"EXP {k}", creative=creative, element_tags={**BASE_TAGS, "hook_type": k})
            for k in ("control", "urgency", "statistic")]
    request = ExperimentDeploymentRequest(
        account_id=ACCOUNT, campaign_name="EXP-1", daily_budget=Decimal("90"), min_daily_spend_per_arm=Decimal("30"),
        ad_set=AdSetSpec(targeting={"geo_locations": {"countries": ["US"]}}), arms=arms)
    result = source.create_experiment(request)
    assert source.create_experiment(request) == result  # same request, same ids, nothing new
    assert len({arm.adset_id for arm in result.arms}) == 3 and result.status == "PAUSED"
    store.advance(ACCOUNT, 3)
    assert not rows_of(source, LAUNCH, LAUNCH + timedelta(days=10))  # paused: no delivery
    store.activate(ACCOUNT, [arm.ad_id for arm in result.arms])
    store.advance(ACCOUNT, 14)
    rows = rows_of(source, LAUNCH, LAUNCH + timedelta(days=30))
    per_arm = {arm.ad_id: sum(r.impressions for r in rows if r.meta_ad_id == arm.ad_id) for arm in result.arms}
    assert all(len([r for r in rows if r.meta_ad_id == ad]) == 14 for ad in per_arm)
    mean = sum(per_arm.values()) / 3
    assert all(abs(v - mean) / mean < 0.1 for v in per_arm.values())  # equal minimum = equal budget


def test_bad_arguments_are_refused_at_the_call():
    source = SimulatedMetaSource(InMemoryLaunchStore(LAUNCH), seed=1)
    with pytest.raises(InvalidInputError):
        source.iter_insight_pages("4242", LAUNCH, LAUNCH)
    with pytest.raises(InvalidInputError):
        source.iter_insight_pages(ACCOUNT, LAUNCH, LAUNCH - timedelta(days=1))
