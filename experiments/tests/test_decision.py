"""The decision rule's branches on constructed daily histories (no database).

Every history gives each arm 5,000 impressions a day and a fixed number of clicks a day, with a
planned minimum of 42,000 impressions per arm: day 8 has 40,000 (collecting), day 9 has 45,000,
so day 9 is the first counted look and L = 14 − 9 + 1 = 6 looks can count; with two arms the
pairwise bar is q = 1 − 0.05 / (2 · 6) = 0.995833.
"""

import numpy as np
import pytest

from experiments.stats import SHIPPED_RULE, DecisionRule, decide, replay

PLANNED = 42_000


def history(clicks_per_day, days, impressions_per_day=5000):
    arms = len(clicks_per_day)
    impressions = np.full((days, arms), impressions_per_day)
    clicks = np.tile(np.asarray(clicks_per_day), (days, 1))
    return impressions, clicks


def test_the_pairwise_bar_by_hand():
    assert SHIPPED_RULE.pairwise_required(2, 6) == pytest.approx(1 - 0.05 / 12)
    assert SHIPPED_RULE.pairwise_required(4, 1) == pytest.approx(1 - 0.05 / 4)


def test_collecting_before_the_planned_sample():
    verdict = decide(*history([50, 60], days=8), min_impressions=PLANNED)
    assert verdict.status == "collecting" and not verdict.final and verdict.winner is None
    assert verdict.counted_looks == 0 and verdict.pairwise_required is None
    assert verdict.impressions == [40_000, 40_000]
    assert "arm 0: 40,000 of 42,000" in verdict.reasons[0]
    # P(best) is still computed for the chart (1.0 % vs 1.2 % over 40,000: arm 1 far ahead).
    assert verdict.prob_best[1] > 0.99


def test_winner_at_the_first_counted_look():
    # Day 9: 450 vs 540 clicks of 45,000: z ≈ 0.002 / 0.000695 = 2.88, P ≈ 0.998 > q = 0.99583.
    verdict = decide(*history([50, 60], days=14), min_impressions=PLANNED)
    assert verdict.status == "winner" and verdict.final and verdict.winner == 1 and verdict.day == 9
    assert verdict.looks_allowed == 6 and verdict.counted_looks == 1
    assert verdict.pairwise_required == pytest.approx(1 - 0.05 / 12)
    assert verdict.pairwise[0] >= verdict.pairwise_required and verdict.pairwise[1] is None
    assert "arm 1: P(best)" in verdict.reasons[0]


def test_p_best_above_090_is_not_enough_on_its_own():
    # 1.0 % vs 1.12 %: z ≈ 0.0012 / 0.000683 = 1.76 on day 9, P ≈ 0.96 > 0.90 but < q.
    verdict = decide(*history([50, 56], days=9), min_impressions=PLANNED)
    assert verdict.status == "running" and verdict.winner is None
    assert verdict.prob_best[1] > SHIPPED_RULE.win_threshold
    assert verdict.pairwise[0] < verdict.pairwise_required
    assert "honest-stopping bar for 2 arms × 6 looks" in verdict.reasons[0]


def test_futility_when_no_treatment_can_win():
    # 1.0 % vs 0.88 %: z ≈ 0.0012 / 0.000643 = 1.87, treatment P(best) ≈ 0.03 < 0.05 — and the
    # control's pairwise 0.97 is below q, so there is no winner: the experiment is futile.
    verdict = decide(*history([50, 44], days=9), min_impressions=PLANNED)
    assert verdict.status == "futile" and verdict.final and verdict.winner is None
    assert verdict.futile_arms == [1]
    assert "every treatment arm" in verdict.reasons[-1]


def test_one_futile_arm_of_three_is_a_recommendation():
    verdict = decide(*history([50, 50, 35], days=9), min_impressions=PLANNED)
    assert verdict.status == "running" and verdict.futile_arms == [2]
    assert any("arm 2" in reason and "recommend pausing" in reason for reason in verdict.reasons)


def test_inconclusive_at_day_14():
    verdicts = replay(*history([50, 50], days=14), min_impressions=PLANNED)
    assert [v.status for v in verdicts] == ["collecting"] * 8 + ["running"] * 5 + ["inconclusive"]
    assert verdicts[-1].final and verdicts[-1].day == 14 and verdicts[-1].counted_looks == 6


def test_inconclusive_when_the_planned_sample_never_arrives():
    verdict = decide(*history([20, 30], days=14, impressions_per_day=2000), min_impressions=PLANNED)
    assert verdict.status == "inconclusive" and verdict.final and verdict.winner is None
    assert "without the planned sample" in verdict.reasons[-1]


def test_sample_ratio_mismatch_blocks_every_verdict():
    impressions = np.tile([5000, 5600], (14, 1))
    clicks = np.tile([50, 90], (14, 1))  # arm 1 would win by far
    verdicts = replay(impressions, clicks, min_impressions=PLANNED)
    assert all(v.status == "blocked" for v in verdicts) and verdicts[-1].final and verdicts[-1].day == 14
    assert verdicts[-1].winner is None and verdicts[-1].srm.p_value < 0.001
    assert "sample-ratio mismatch" in verdicts[0].reasons[0]
    # The same delivery is fine when it is the intended split.
    assert decide(impressions, clicks, min_impressions=PLANNED, intended_split=[5000, 5600]).status == "winner"


def test_decide_returns_the_first_final_verdict_and_ignores_days_after_14():
    later = decide(*history([50, 60], days=20), min_impressions=PLANNED)
    assert later.status == "winner" and later.day == 9
    flat = decide(*history([50, 50], days=20), min_impressions=PLANNED)
    assert flat.status == "inconclusive" and flat.day == 14
    assert "6 day(s) after day 14 are ignored" in flat.reasons[-1]


def test_looks_are_seeded_per_day():
    a = replay(*history([50, 52], days=10), min_impressions=PLANNED, seed=11, stop_at_final=False)
    b = replay(*history([50, 52], days=10), min_impressions=PLANNED, seed=11, stop_at_final=False)
    assert [v.prob_best for v in a] == [v.prob_best for v in b]
    # The verdict of day 5 does not depend on how many days follow it.
    c = replay(*history([50, 52], days=5), min_impressions=PLANNED, seed=11)
    assert c[-1].prob_best == a[4].prob_best


def test_a_custom_rule_changes_the_bar():
    loose = DecisionRule(false_winner_target=0.5)
    assert decide(*history([50, 56], days=9), min_impressions=PLANNED, rule=loose).status == "winner"


@pytest.mark.parametrize("impressions, clicks", [
    ([[100, 100]], [[101, 1]]),          # more clicks than impressions
    ([[100]], [[1]]),                    # one arm
    ([[100, 100]], [[1.5, 1]]),          # fractional clicks
    ([[100, 100], [100, 100]], [[1, 1]]),  # shapes differ
])
def test_bad_histories_are_refused(impressions, clicks):
    with pytest.raises(ValueError):
        decide(impressions, clicks, min_impressions=10)


def test_overdispersed_days_count_as_less_evidence():
    # Arm 1 alternates 40 and 80 clicks a day around arm 0's steady 50–60: far more day-to-day
    # swing than binomial noise, so φ > 1 and the same totals are weaker evidence.
    impressions = np.full((9, 2), 5000)
    clicks = np.array([[50, 40], [60, 80]] * 4 + [[50, 40]])
    noisy = decide(impressions, clicks, min_impressions=PLANNED)
    assert noisy.dispersion > 1.5
    assert any("more than binomial noise" in reason for reason in noisy.reasons)
    binomial = decide(impressions, clicks, min_impressions=PLANNED, rule=DecisionRule(dispersion_prior_df=None))
    assert binomial.dispersion == 1.0
    assert noisy.pairwise[1 - noisy.leader] < binomial.pairwise[1 - binomial.leader]


def test_day_to_day_delivery_noise_is_not_a_sample_ratio_mismatch():
    # Two identical arms bought with equal budgets: each arm-day's impressions swing ±10 % with its
    # CPM (alternating 19,000 / 21,000 against 21,000 / 19,000). Raw counts give χ² ≈ 100 a day
    # (p ≈ 1e-23); against that day-to-day swing the cumulative split is unremarkable.
    impressions = np.array([[19_000, 21_000], [21_000, 19_000]] * 4 + [[19_000, 21_000]])
    clicks = (impressions * 0.01).astype(int)
    days = replay(impressions, clicks, min_impressions=PLANNED, stop_at_final=False)
    assert days[1].delivery_dispersion > 20 and not any(v.srm.blocks for v in days[1:])
    raw = replay(impressions, clicks, min_impressions=PLANNED, stop_at_final=False,
                 rule=DecisionRule(delivery_dispersion_prior_df=None))
    assert all(v.delivery_dispersion == 1.0 for v in raw) and raw[0].srm.blocks


def test_an_arm_starved_every_day_still_blocks():
    # The same noise around a steady 40 / 60 split: the bias does not inflate φ_d, so it is caught.
    impressions = np.array([[15_200, 24_800], [16_800, 23_200]] * 4 + [[15_200, 24_800]])
    clicks = (impressions * 0.01).astype(int)
    verdict = decide(impressions, clicks, min_impressions=PLANNED)
    assert verdict.status == "blocked" and verdict.srm.blocks
