"""Rewards: maturation, percentile normalisation, weight sharing, cohorts, review rewards."""

import numpy as np
import pytest

from genome.objectives import METRICS, Objective
from genome.rewards import (
    AI_STATUS_REWARD,
    BaselineSource,
    RewardSource,
    combine_rewards,
    group_quantiles,
    performance_rewards,
    review_rewards,
)

CTR, CONV, ROAS, CPM, CPC = (METRICS.index(m) for m in ("ctr", "conversion_rate", "roas", "cpm", "cpc"))


def ads(n, **columns):
    """Per-ad aggregates with defaults, overridden by the given columns (scalars broadcast)."""
    base = dict(impressions=10_000, clicks=100, conversions=0, conversion_value=0.0, spend=100.0,
                days_with_data=3, objective=int(Objective.TRAFFIC), brand="b1", organization="o1")
    base.update(columns)
    return {k: (np.full(n, v, dtype=object if isinstance(v, str) else None) if np.isscalar(v) else np.asarray(v))
            for k, v in base.items()}


def test_p25_maps_to_0_and_p75_to_1_on_the_brands_own_cohort():
    # 21 matured TRAFFIC ads with CTR 0.5 %, 0.55 %, … 1.5 % (clicks 50 + 5i of 10,000).
    # numpy's linear percentiles of 21 sorted values: p25 is the 6th (i = 5, CTR 0.75 %), p75 the
    # 16th (i = 15, CTR 1.25 %). Only CTR matured (3 days), so the reward is the normalised CTR.
    result = performance_rewards(**ads(21, clicks=50 + 5 * np.arange(21)))
    assert np.all(result.source[:, CTR] == BaselineSource.BRAND)
    assert result.p25[0, CTR] == pytest.approx(0.0075) and result.p75[0, CTR] == pytest.approx(0.0125)
    assert result.reward[5] == pytest.approx(0.0)     # at p25
    assert result.reward[15] == pytest.approx(1.0)    # at p75
    assert result.reward[10] == pytest.approx(0.5)    # half-way: (0.01 − 0.0075) / 0.005
    assert result.reward[0] == 0.0 and result.reward[20] == 1.0  # clamped outside [p25, p75]
    assert result.weights[:, CTR] == pytest.approx(np.ones(21))


def test_an_ad_with_two_days_of_data_has_no_ctr_reward():
    result = performance_rewards(**ads(2, days_with_data=[2, 3], impressions=[50_000, 600]))
    assert not result.matured[0, CTR] and not result.has_reward[0] and np.isnan(result.reward[0])
    # 3 days but 499 impressions is not mature either; 3 days and 600 impressions is.
    assert result.matured[1, CTR] and result.has_reward[1]
    short = performance_rewards(**ads(1, impressions=499, clicks=5))
    assert not short.has_reward[0]
    assert result.explain(0) == {"score": None, "objective": "TRAFFIC",
                                 "matured": {m: False for m in METRICS}, "contributions": {}}


def test_weight_of_an_unmatured_metric_is_shared_among_the_matured_ones():
    # A SALES ad at 8 days: CTR and conversion rate matured, ROAS (10 days) not. Too few ads for a
    # cohort, so the shipped defaults: CTR (0.6 %, 1.5 %), conversion rate (1 %, 4 %).
    # CTR 1.2 % → (0.012 − 0.006) / 0.009 = 2/3; conversion rate 21/1200 = 1.75 % → 0.25.
    # Weights 0.2 and 0.3 rescaled to 0.4 and 0.6: reward = 0.4·2/3 + 0.6·0.25 = 0.416667.
    result = performance_rewards(**ads(1, impressions=10_000, clicks=120, conversions=2.1, conversion_value=500.0,
                                       days_with_data=8, objective=int(Objective.SALES)))
    assert result.matured[0, [CTR, CONV, ROAS]].tolist() == [True, True, False]
    assert result.source[0, CTR] == BaselineSource.DEFAULT
    assert result.normalised[0, CTR] == pytest.approx(2 / 3) and result.normalised[0, CONV] == pytest.approx(0.25)
    assert result.weights[0, CTR] == pytest.approx(0.4) and result.weights[0, CONV] == pytest.approx(0.6)
    assert result.reward[0] == pytest.approx(0.4 * 2 / 3 + 0.6 * 0.25)
    assert np.isnan(result.normalised[0, ROAS])  # left out, not a neutral 0.5
    # At 10 days ROAS joins: 500 / 100 = 5.0 ≥ p75 (3.0) → 1; reward = 0.2·2/3 + 0.3·0.25 + 0.5·1.
    matured = performance_rewards(**ads(1, impressions=10_000, clicks=120, conversions=2.1, conversion_value=500.0,
                                        days_with_data=10, objective=int(Objective.SALES)))
    assert matured.reward[0] == pytest.approx(0.2 * 2 / 3 + 0.3 * 0.25 + 0.5 * 1.0)


def test_a_metric_that_cannot_be_measured_is_not_zero():
    # No clicks: CTR is measured (0), conversion rate and CPC are not (no denominator).
    result = performance_rewards(**ads(1, clicks=0, days_with_data=10, objective=int(Objective.UNKNOWN)))
    assert result.values[0, CTR] == 0.0 and np.isnan(result.values[0, CONV]) and np.isnan(result.values[0, CPC])
    assert result.contributed[0].tolist() == [True, False, True, False, False]
    # CTR 0 → 0; ROAS 0 / 100 = 0 → 0; equal weights over the two: reward 0.
    assert result.reward[0] == 0.0 and not np.isnan(result.reward).any()


def test_awareness_uses_inverted_cpm():
    # Defaults CPM (6, 15): a CPM of 6 (spend 60 per 10,000 impressions) is good → 1, 15 → 0.
    # CTR 1.05 % → (0.0105 − 0.006) / 0.009 = 0.5. Reward = 0.5·0.5 + 0.5·{1, 0}.
    result = performance_rewards(**ads(2, clicks=105, spend=[60.0, 150.0], objective=int(Objective.AWARENESS)))
    assert result.normalised[:, CPM] == pytest.approx([1.0, 0.0])
    assert result.reward == pytest.approx([0.75, 0.25])


def test_proxy_only_scores_ctr_and_cpc_whatever_the_objective():
    # CPC defaults (0.5, 1.5): 100 spend / 100 clicks = 1.0 → (1.5 − 1.0) / 1.0 = 0.5; CTR 1 % → 4/9.
    result = performance_rewards(**ads(1, days_with_data=10, objective=int(Objective.SALES), proxy_only=[True],
                                       conversions=5, conversion_value=900.0))
    assert result.contributed[0].tolist() == [True, False, False, False, True]
    assert result.reward[0] == pytest.approx(0.5 * 4 / 9 + 0.5 * 0.5)


def test_cohort_fallback_brand_then_organization_then_defaults():
    # Organization o1: brand b1 with 22 matured TRAFFIC ads, b2 with 5; organization o2: b3 with 5.
    n1, n2, n3 = 22, 5, 5
    clicks = np.concatenate([50 + 5 * np.arange(n1), [60, 70, 80, 90, 100], [60, 70, 80, 90, 100]])
    data = ads(n1 + n2 + n3, clicks=clicks, brand=["b1"] * n1 + ["b2"] * n2 + ["b3"] * n3,
               organization=["o1"] * (n1 + n2) + ["o2"] * n3)
    result = performance_rewards(**data)
    sources = result.source[:, CTR]
    assert np.all(sources[:n1] == BaselineSource.BRAND)
    assert np.all(sources[n1:n1 + n2] == BaselineSource.ORGANIZATION)   # b2 borrows o1's 27 ads
    assert np.all(sources[n1 + n2:] == BaselineSource.DEFAULT)          # o2 has only 5
    org_p25 = np.percentile(clicks[:n1 + n2] / 10_000, 25)
    assert result.p25[n1, CTR] == pytest.approx(org_p25)
    assert result.explain(n1)["contributions"]["ctr"]["baseline"] == "organization"


def test_cohorts_are_per_objective_and_need_spread():
    # 25 TRAFFIC ads and 25 AWARENESS ads of one brand with different CTR ranges.
    traffic = 50 + 2 * np.arange(25)
    awareness = 200 + 4 * np.arange(25)
    result = performance_rewards(**ads(50, clicks=np.concatenate([traffic, awareness]),
                                       objective=[int(Objective.TRAFFIC)] * 25 + [int(Objective.AWARENESS)] * 25))
    assert result.p25[0, CTR] == pytest.approx(np.percentile(traffic / 10_000, 25))
    assert result.p25[30, CTR] == pytest.approx(np.percentile(awareness / 10_000, 25))
    # Every ad with the same CTR: no spread, the cohort cannot rank → the shipped defaults.
    flat = performance_rewards(**ads(30, clicks=100))
    assert np.all(flat.source[:, CTR] == BaselineSource.DEFAULT)


def test_group_quantiles_match_numpy_per_group():
    rng = np.random.default_rng(3)
    values, groups = rng.random(500), rng.integers(0, 7, 500)
    mask = rng.random(500) < 0.7
    q, counts = group_quantiles(values, mask, groups, 8, (0.25, 0.75))
    for g in range(7):
        chosen = values[mask & (groups == g)]
        assert counts[g] == len(chosen)
        assert q[g] == pytest.approx(np.percentile(chosen, [25, 75]))
    assert counts[7] == 0 and np.isnan(q[7]).all()


@pytest.mark.parametrize("column, value", [("impressions", -1), ("spend", np.nan), ("objective", 9)])
def test_bad_aggregates_are_refused(column, value):
    data = ads(3)
    data[column] = np.array([0, value, 0], dtype=float) if column != "objective" else np.array([0, value, 0])
    with pytest.raises(ValueError):
        performance_rewards(**data)


def test_review_rewards_human_first_then_ai():
    result = review_rewards(
        human_status=["approved", "rejected", None, None, None, None, None],
        ai_status=["rejected", "approved", "approved", "rejected", "flagged", "review_failed", "generated"],
        meta_brand=False)
    assert result.reward[:4].tolist() == [1.0, 0.0, 1.0, 0.0]
    assert np.isnan(result.reward[4:]).all()          # flagged and unreviewed: no outcome yet
    assert result.weight.tolist() == [1.0, 1.0, 0.5, 0.5, 0.0, 0.0, 0.0]
    assert result.source.tolist() == [RewardSource.HUMAN_REVIEW] * 2 + [RewardSource.AI_REVIEW] * 2 + [
        RewardSource.NONE] * 3
    assert set(AI_STATUS_REWARD) == {"pending", "generated", "generation_failed", "approved", "rejected",
                                     "flagged", "review_failed"}


def test_review_rewards_of_a_meta_brand_weigh_less():
    result = review_rewards(human_status=["approved", None], ai_status=["flagged", "approved"], meta_brand=[True, True])
    assert result.weight.tolist() == [0.25, 0.125]


def test_unknown_review_values_are_refused():
    with pytest.raises(ValueError, match="unknown value 'approve'"):
        review_rewards(human_status=["approve"], ai_status=["approved"], meta_brand=False)
    with pytest.raises(ValueError, match="ai_status"):
        review_rewards(human_status=[None], ai_status=["great"], meta_brand=False)


def test_combine_performance_for_launched_and_review_for_the_rest():
    review = review_rewards(human_status=[None, "rejected", None], ai_status=["approved"] * 3, meta_brand=True)
    reward, weight, source = combine_rewards(np.array([0.8, 0.1, np.nan]), review, launched=[True, False, True])
    assert reward[:2].tolist() == [0.8, 0.0] and np.isnan(reward[2])
    assert weight.tolist() == [1.0, 0.25, 0.0]
    assert source.tolist() == [RewardSource.PERFORMANCE, RewardSource.HUMAN_REVIEW, RewardSource.NONE]


def test_one_key_for_every_ad_may_be_a_scalar():
    data = ads(21, clicks=50 + 5 * np.arange(21))
    scalars = dict(data, brand="b1", organization="o1", objective=int(Objective.TRAFFIC), proxy_only=False)
    assert np.array_equal(performance_rewards(**scalars).reward, performance_rewards(**data).reward)
    with pytest.raises(ValueError, match="Objective codes"):
        performance_rewards(**dict(data, objective="OUTCOME_SALES"))
