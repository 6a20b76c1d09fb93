"""creative_genome_update on the database: rewards from review for a brand without Meta (human
decisions first), from performance for launched ads, element scores that follow them, a constant
number of queries whatever the number of ads, and an update that can run twice."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from adcreator.calls.models import ProviderCall
from genome.models import AdMapping, AdPerformanceDay, AdReward, ElementScore, GenomeState
from genome.services.connection import meta_connection_set
from genome.services.update import genome_update_organization
from review.services import review_override_create
from tests.support.catalog import build_catalog
from tests.web import make_ad, make_run


@pytest.fixture
def cat(org):
    return build_catalog(org, templates=2)


def tagged(ad_run, index: int, *, hook_type: str, status: str, template=None):
    ad = make_ad(ad_run, template=template, prompt_index=index, status=status, image=False)
    ad.element_tags = {"hook_type": hook_type, "color_mode": "brand", "canvas_size": "1080x1080",
                       "template_id": template.pk if template else None, "awareness_stage": 3,
                       "template_category": "offer", "visual_style": "offer", "prompt_version": "v2.1"}
    ad.reviewed_at = timezone.now()
    ad.save()
    return ad


def score(brand, dimension, value, product=None):
    return ElementScore.objects.get(brand=brand, product=product, dimension=dimension, value=value)


@pytest.mark.django_db
def test_a_brand_without_meta_learns_from_review_and_overrides_move_the_scores(cat):
    ad_run = make_run(cat)
    good = [tagged(ad_run, i, hook_type="social_proof", status="approved") for i in range(1, 5)]
    bad = [tagged(ad_run, i, hook_type="urgency", status="rejected") for i in range(5, 9)]
    genome_update_organization(organization_id=cat.org.pk)
    # AI review counts half: 4 approvals → α = 1 + 4·0.5 = 3, β = 1 (hand-computed).
    proof, urgency = score(cat.brand, "hook_type", "social_proof"), score(cat.brand, "hook_type", "urgency")
    assert (proof.alpha, proof.beta) == (3.0, 1.0) and (urgency.alpha, urgency.beta) == (1.0, 3.0)
    assert AdReward.objects.get(generated_ad=good[0]).source == "ai_review"

    for ad in bad:  # people disagree with the AI: these were good
        review_override_create(ad=ad, user=None, action="override_approve")
    genome_update_organization(organization_id=cat.org.pk)
    urgency = score(cat.brand, "hook_type", "urgency")
    assert (urgency.alpha, urgency.beta) == (5.0, 1.0)  # a human decision counts fully: 1 + 4·1
    assert AdReward.objects.get(generated_ad=bad[0]).source == "human_review"
    assert AdReward.objects.get(generated_ad=bad[0]).reward == 1.0
    # Per product too, and one brand-wide row per value whatever the number of updates.
    assert score(cat.brand, "hook_type", "urgency", product=cat.product).alpha == 5.0
    assert ElementScore.objects.filter(brand=cat.brand, product__isnull=True, dimension="hook_type").count() == 2
    assert not ProviderCall.objects.filter(purpose__startswith="meta.").exists()  # nothing touched Meta
    state = GenomeState.objects.get(brand=cat.brand)
    assert state.cold_start_level == 1 and state.matured_ads == 8
    assert 0.05 <= state.exploration_rate <= 0.30


@pytest.mark.django_db
def test_flagged_and_unreviewed_ads_have_no_reward_not_a_neutral_one(cat):
    ad_run = make_run(cat)
    flagged = tagged(ad_run, 1, hook_type="question", status="flagged")
    genome_update_organization(organization_id=cat.org.pk)
    reward = AdReward.objects.get(generated_ad=flagged)
    assert reward.reward is None and reward.weight == 0 and reward.source == "none"
    assert not ElementScore.objects.filter(dimension="hook_type", value="question").exists()


@pytest.mark.django_db
def test_launched_ads_are_rewarded_by_their_matured_performance(cat, settings):
    account = meta_connection_set(brand=cat.brand, ad_account_id="act_42", access_token="", user=None)
    ad_run = make_run(cat)
    ads = [tagged(ad_run, i, hook_type="benefit_led" if i <= 2 else "curiosity_gap", status="approved")
           for i in range(1, 5)]
    start = date(2026, 11, 1)
    for index, ad in enumerate(ads):
        meta_ad_id = str(9000 + index)
        AdMapping.objects.create(account=account, generated_ad=ad, meta_ad_id=meta_ad_id, origin="launch")
        ctr = 0.02 if index <= 1 else 0.004  # the benefit-led pair clicks five times as often
        for day in range(4):  # 4 days, 1,000 impressions a day: CTR matures, conversions do not
            AdPerformanceDay.objects.create(account=account, meta_ad_id=meta_ad_id, date=start + timedelta(days=day),
                                            source="simulated", impressions=1000, clicks=int(1000 * ctr),
                                            spend=10, conversions=0, conversion_value=0, campaign_objective="SALES",
                                            synced_at=timezone.now())
    genome_update_organization(organization_id=cat.org.pk)
    best = AdReward.objects.get(generated_ad=ads[0])
    assert best.launched and best.source == "performance" and best.days_with_data == 4
    assert best.ctr == pytest.approx(0.02)
    # CTR matured (3 days, 500 impressions); conversion rate and ROAS did not: left out, not 0.5.
    assert best.detail["matured"]["ctr"] is True and best.detail["matured"]["conversion_rate"] is False
    assert set(best.detail["contributions"]) <= {"ctr", "cpc"}
    worst = AdReward.objects.get(generated_ad=ads[3])
    assert best.reward > worst.reward
    assert score(cat.brand, "hook_type", "benefit_led").mean > score(cat.brand, "hook_type", "curiosity_gap").mean


@pytest.mark.django_db
def test_the_update_is_set_based_and_idempotent(cat):
    ad_run = make_run(cat)
    for i in range(1, 6):
        tagged(ad_run, i, hook_type="offer", status="approved")
    genome_update_organization(organization_id=cat.org.pk)  # the brand's state row exists from now on
    with CaptureQueriesContext(connection) as few:
        genome_update_organization(organization_id=cat.org.pk)
    first = sorted(ElementScore.objects.values_list("dimension", "value", "alpha", "beta", "product_id"), key=str)
    for i in range(6, 60):
        tagged(ad_run, i, hook_type="question" if i % 2 else "offer", status="rejected" if i % 3 else "approved")
    with CaptureQueriesContext(connection) as many:
        genome_update_organization(organization_id=cat.org.pk)
    assert len(many) == len(few), "the update's queries grew with the number of ads"
    again = sorted(ElementScore.objects.values_list("dimension", "value", "alpha", "beta", "product_id"), key=str)
    genome_update_organization(organization_id=cat.org.pk)
    assert sorted(ElementScore.objects.values_list("dimension", "value", "alpha", "beta", "product_id"), key=str) == again
    assert again != first and AdReward.objects.count() == 59
