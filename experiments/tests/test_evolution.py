"""Winner evolution through its services: the winner criteria, the modes a–f (applies or not, how
many ads, their cost), submissions as real generation jobs, lineage rows, and the limits."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from adcreator.catalog.models import Hook
from experiments.models_evolution import AdLineage, CompetitorAd, Evolution
from experiments.selectors import evolution_success
from experiments.services import EvolutionError, evolution_options, evolution_record_lineage, evolution_submit
from experiments.tests.support import make_ad, run_job
from experiments.vocabulary import held_dimensions
from generation.models import GeneratedAd
from genome.models import AdMapping, AdPerformanceDay, AdReward


def make_winner(ad, **overrides) -> AdReward:
    fields = dict(brand_id=ad.ad_run.brand_id, product_id=ad.ad_run.product_id, reward=0.8, weight=1.0,
                  source="performance", launched=True, impressions=5000, clicks=60, days_with_data=10, ctr=0.012,
                  computed_at=timezone.now())
    fields.update(overrides)
    reward, _ = AdReward.objects.update_or_create(generated_ad=ad, defaults=fields)
    return reward


def submit(ad, mode):
    return evolution_submit(ad_id=ad.pk, mode=mode, user=None, organization_ids=[ad.ad_run.organization_id])


def refused(ad, mode) -> str:
    with pytest.raises(EvolutionError) as caught:
        submit(ad, mode)
    return " ".join(caught.value.errors["__all__"])


def child_of(evolution) -> GeneratedAd:
    run_job(evolution.job)
    evolution_record_lineage(organization_id=evolution.organization_id)
    return AdLineage.objects.filter(evolution=evolution).order_by("child_ad_id").first().child_ad


def test_an_ad_that_is_not_a_winner_is_refused(base_ad, sim_account):
    assert not evolution_options(ad=base_ad).winner.qualifies
    assert "does not meet the winner criteria: no performance data" in refused(base_ad, "iteration")
    make_winner(base_ad, days_with_data=6)
    assert "6 day(s) with data" in refused(base_ad, "iteration")


def test_winner_iteration_end_to_end_with_lineage_and_the_iteration_limit(base_ad, sim_account):
    make_winner(base_ad)
    options = evolution_options(ad=base_ad)
    iteration = options.mode("iteration")
    assert options.winner.qualifies and iteration.available and iteration.ads == 1 and iteration.cost_usd > 0
    dimension, value = iteration.detail["dimension"], iteration.detail["value"]
    assert dimension in ("belief_angle_id", "hook_type", "awareness_stage", "visual_style", "template_category",
                         "color_mode")
    (evolution,) = submit(base_ad, "iteration")
    assert (evolution.variable, evolution.to_value, evolution.round) == (dimension, value, 1)
    assert evolution.job.job_type == "ad_creation_v2" and evolution.job.runs.get().status == "pending"
    child = child_of(evolution)
    lineage = AdLineage.objects.get(child_ad=child)
    assert (lineage.parent_ad_id, lineage.ancestor_ad_id, lineage.round, lineage.mode) == (
        base_ad.pk, base_ad.pk, 1, "iteration")
    assert str(child.element_tags[dimension]) == value and lineage.from_value == str(base_ad.element_tags[dimension] or "")
    # Only that one element changed (the template's own dimensions move together).
    assert [d for d in held_dimensions(dimension) if child.element_tags.get(d) != base_ad.element_tags.get(d)] == []
    # Four more iterations are allowed, each a new (element, value) …
    tried = {(dimension, value)}
    for _ in range(4):
        (more,) = submit(base_ad, "iteration")
        assert (more.variable, more.to_value) not in tried
        tried.add((more.variable, more.to_value))
    # … and the sixth is refused with a clear reason.
    assert evolution_options(ad=base_ad).mode("iteration").blocked
    assert "Iteration limit reached: this winner has had 5 single-variable iterations" in refused(base_ad, "iteration")
    assert Evolution.objects.filter(parent_ad=base_ad, mode="iteration").count() == 5
    # Other modes are not single-variable iterations: still open.
    assert evolution_options(ad=base_ad).mode("cross_size").available


def test_three_rounds_below_an_ancestor_and_no_fourth(base_ad, sim_account):
    ad = base_ad
    for round_ in (1, 2, 3):
        make_winner(ad)
        (evolution,) = submit(ad, "cross_size" if round_ == 1 else "iteration")
        assert evolution.round == round_ and evolution.ancestor_ad_id == base_ad.pk
        ad = child_of(evolution)
    make_winner(ad)
    options = evolution_options(ad=ad)
    assert options.round == 4 and all(mode.blocked for mode in options.modes)
    assert "Round limit reached: this ad is round 3 below ancestor ad" in refused(ad, "amplification")


def test_brands_without_meta_evolve_approved_ads(base_ad):
    options = evolution_options(ad=base_ad)
    assert options.winner.qualifies and options.winner.basis == "approval"
    assert "no performance data" in options.mode("refresh").reasons[0]
    GeneratedAd.objects.filter(pk=base_ad.pk).update(status="rejected")
    base_ad.refresh_from_db()
    assert "not approved" in refused(base_ad, "cross_size")


def test_what_each_mode_makes_and_costs(cat, base_ad):
    options = evolution_options(ad=base_ad)
    by_mode = {m.mode: m for m in options.modes}
    cross = by_mode["cross_size"]
    assert cross.available and cross.ads == 3 and cross.variants[0].request["sizes"] == ["4:5", "9:16", "16:9"]
    # 3 attempts × (0.039 image + 0.002 scan + 0.005 rubric + 0.3 × 0.005 second opinion) + 1 text call of 0.001.
    assert cross.cost_usd == Decimal("0.14")
    assert not by_mode["amplification"].applies and "no awareness stage" in by_mode["amplification"].reasons[0]
    assert by_mode["rotate_persona"].ads == 1 and by_mode["rotate_persona"].variants[0].to_value == str(cat.persona.pk)
    assert by_mode["rotate_offer"].variants[0].request["offer_variant_id"] == cat.offer.pk
    assert not by_mode["competitive"].applies and "no competitor ads recorded" in by_mode["competitive"].reasons[0]


def test_amplification_goes_to_the_adjacent_stages(cat):
    ad = make_ad(cat, persona_id=cat.persona.pk)  # the persona's stage 3
    amplification = evolution_options(ad=ad).mode("amplification")
    assert [v.to_value for v in amplification.variants] == ["2", "4"]
    assert [v.request["awareness_stage"] for v in amplification.variants] == [2, 4]
    assert all(v.request["persona_id"] == cat.persona.pk for v in amplification.variants)


def test_competitive_counter_creative(cat, base_ad):
    seen = timezone.localdate()
    CompetitorAd.objects.create(brand=cat.brand, competitor_name="Rival", seen_at=seen,
                                element_tags={"hook_type": "curiosity_gap", "visual_style": "offer"})
    mode = evolution_options(ad=base_ad).mode("competitive")
    assert not mode.applies and "no other benefit_led hook" in mode.reasons[0]  # not copied: double down, no hook
    Hook.objects.create(brand=cat.brand, product=cat.product, text="Softer skin, first night", hook_type="benefit_led")
    mode = evolution_options(ad=base_ad).mode("competitive")
    assert mode.available and "double down" in mode.reasons[0] and mode.ads == 1
    CompetitorAd.objects.create(brand=cat.brand, competitor_name="Copycat", seen_at=seen,
                                element_tags={"hook_type": "benefit_led", "visual_style": "offer"})
    mode = evolution_options(ad=base_ad).mode("competitive")
    # Copied: counter with the hook type competitors use least (social proof: 0 uses; curiosity: 1).
    assert mode.available and "copy" in mode.reasons[0] and mode.variants[0].to_value == "social_proof"
    assert mode.detail["copies"][0]["competitor"] == "Copycat"


def test_anti_fatigue_refresh_from_cumulative_data(cat, base_ad, sim_account):
    AdMapping.objects.create(account=sim_account, generated_ad=base_ad, meta_ad_id="900000000000777", origin="launch")
    first = date(2026, 11, 1)
    AdPerformanceDay.objects.bulk_create([AdPerformanceDay(
        account=sim_account, meta_ad_id="900000000000777", date=first + timedelta(days=i), source="simulated",
        impressions=10_000, clicks=100 if i < 7 else 80, reach=2_000, synced_at=timezone.now()) for i in range(14)])
    refresh = evolution_options(ad=base_ad).mode("refresh")
    assert refresh.applies and refresh.detail["frequency_at_least"] == 5.0
    assert refresh.detail["ctr_decline"] == pytest.approx(0.2)
    (variant,) = refresh.variants
    assert variant.request["color_modes"] == ["original", "complementary"] and variant.ads == 2


def test_evolved_ads_against_their_parents_at_equal_maturity(cat, base_ad, sim_account):
    make_winner(base_ad)
    (evolution,) = submit(base_ad, "cross_size")
    run_job(evolution.job)
    evolution_record_lineage(organization_id=cat.org.pk)
    children = list(AdLineage.objects.filter(evolution=evolution).order_by("child_ad_id"))
    assert len(children) == 3 and sorted(c.to_value for c in children) == ["1080x1350", "1080x1920", "1920x1080"]
    first = date(2026, 11, 1)
    rows = []
    for ad, meta, days, clicks in ((base_ad, "900000000000801", 12, 100), (children[0].child_ad, "900000000000802", 8, 150),
                                   (children[1].child_ad, "900000000000803", 8, 80), (children[2].child_ad, "900000000000804", 3, 200)):
        AdMapping.objects.create(account=sim_account, generated_ad=ad, meta_ad_id=meta, origin="launch")
        rows += [AdPerformanceDay(account=sim_account, meta_ad_id=meta, date=first + timedelta(days=i), source="simulated",
                                  impressions=10_000, clicks=clicks, spend=Decimal("100"), synced_at=timezone.now())
                 for i in range(days)]
    AdPerformanceDay.objects.bulk_create(rows)
    success = evolution_success(organization_ids=[cat.org.pk])
    # Two children have 8 days beside the parent's 12: compared over their first 8 days each; one
    # is still maturing (3 days). 1.5 % beats 1.0 %; 0.8 % does not.
    assert (success.compared, success.beats, success.waiting, success.rate) == (2, 1, 1, 0.5)
    assert {(p.days, p.beats) for p in success.pairs} == {(8, True), (8, False)}
    assert {round(p.parent_ctr, 4) for p in success.pairs} == {0.01}
