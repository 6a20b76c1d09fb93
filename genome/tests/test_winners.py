"""Winner criteria (spec 11, Non-Meta mode), pure: hand-made evidence, hand-computed quartiles."""

from __future__ import annotations

import pytest

from genome.winners import AdEvidence, top_quartile_threshold, winner_check


def meta_ad(**overrides) -> AdEvidence:
    fields = dict(status="approved", meta_brand=True, reward=0.70, reward_source="performance", launched=True,
                  days_with_data=7, impressions=1000, ctr=0.01, roas=1.5)
    fields.update(overrides)
    return AdEvidence(**fields)


def test_a_matured_ad_with_a_high_reward_qualifies():
    check = winner_check(meta_ad(), ctr_threshold=None, roas_threshold=None)
    assert check.qualifies and check.basis == "performance" and "reward 0.70 ≥ 0.65" in check.reasons[0]


@pytest.mark.parametrize("overrides, says", [
    ({"days_with_data": 6}, "6 day(s) with data"),
    ({"impressions": 999}, "999 impressions"),
    ({"launched": False}, "has not run on Meta"),
    ({"reward": 0.64}, "reward 0.64 < 0.65"),
    ({"reward": None}, "no reward yet"),
])
def test_each_gate_refuses_with_its_reason(overrides, says):
    check = winner_check(meta_ad(**overrides), ctr_threshold=None, roas_threshold=None)
    assert not check.qualifies and says in " ".join(check.reasons)


def test_the_top_quartile_qualifies_a_low_reward():
    # Cohort CTRs 0.5 % … 1.2 % (8 ads): numpy's linear 75th percentile is 1.025 %.
    cut = top_quartile_threshold([0.005, 0.006, 0.007, 0.008, 0.009, 0.010, 0.011, 0.012])
    assert cut == pytest.approx(0.01025)
    assert winner_check(meta_ad(reward=0.3, ctr=0.011), ctr_threshold=cut, roas_threshold=None).qualifies
    below = winner_check(meta_ad(reward=0.3, ctr=0.010), ctr_threshold=cut, roas_threshold=None)
    assert not below.qualifies and "below the top quartile (1.03%)" in below.reasons[0]
    assert winner_check(meta_ad(reward=0.3, roas=3.0), ctr_threshold=None, roas_threshold=2.5).qualifies


def test_a_small_cohort_has_no_quartile():
    assert top_quartile_threshold([0.01] * 7) is None
    assert top_quartile_threshold([0.01] * 7 + [None]) is None  # unmeasured values do not count
    check = winner_check(meta_ad(reward=0.3), ctr_threshold=None, roas_threshold=None)
    assert "CTR quartile not measured (fewer than 8 matured ads)" in check.reasons[0]


def test_brands_without_meta_qualify_on_approval_only():
    human = winner_check(AdEvidence(status="approved", meta_brand=False, reward=1.0, reward_source="human_review"),
                         ctr_threshold=None, roas_threshold=None)
    assert human.qualifies and human.basis == "approval" and "approved by a human" in human.reasons[0]
    review = winner_check(AdEvidence(status="approved", meta_brand=False), ctr_threshold=None, roas_threshold=None)
    assert review.qualifies and "approved by the review" in review.reasons[0]
    rejected = winner_check(AdEvidence(status="rejected", meta_brand=False), ctr_threshold=None, roas_threshold=None)
    assert not rejected.qualifies
