"""P(best), power, SRM and effects, against hand-computed values (no database)."""

import math

import numpy as np
import pytest
from scipy import integrate
from scipy import stats as sps

from experiments.stats import (
    click_dispersion,
    grade_effect,
    normal_prob_best,
    prob_b_beats_a,
    prob_best,
    prob_best_exact_two,
    prob_best_with_error,
    required_impressions,
    required_spend,
    sample_ratio_mismatch,
    treatment_effects,
)


# --------------------------------------------------------------------------- exact two-arm P(best)

def test_exact_two_arm_hand_cases():
    # No data on either side: Beta(1,1) vs Beta(1,1) → 1/2 each.
    assert prob_best_exact_two([(0, 0), (0, 0)]) == pytest.approx([0.5, 0.5], abs=1e-12)
    # (1 success of 1) vs (0 of 0): Beta(2,1) (density 2x) vs uniform: ∫ 2x · x dx = 2/3.
    assert prob_best_exact_two([(1, 1), (0, 0)]) == pytest.approx([2 / 3, 1 / 3], abs=1e-12)
    # Beta(2,1) vs Beta(1,2) (cdf 2x − x²): ∫ 2x (2x − x²) dx = 4/3 − 1/2 = 5/6.
    assert prob_best_exact_two([(1, 1), (0, 1)]) == pytest.approx([5 / 6, 1 / 6], abs=1e-12)


@pytest.mark.parametrize("a", [(3.0, 5.0), (2.5, 3.3), (701.0, 69300.0), (480.3, 45000.2), (0.6, 0.8),
                               (5001.0, 495000.0)])
@pytest.mark.parametrize("b", [(4.0, 2.0), (3.1, 2.2), (760.0, 69241.0), (560.7, 44900.1), (2500.5, 247000.5)])
def test_exact_form_agrees_with_direct_integration(a, b):
    # Independent check: ∫ f_B(x) F_A(x) dx by quadrature over where f_B lives (the integrand is 0
    # elsewhere), so a narrow posterior is not missed.
    lo, hi = sps.beta.ppf(1e-14, *b), sps.beta.isf(1e-14, *b)
    direct, _ = integrate.quad(lambda x: sps.beta.pdf(x, *b) * sps.beta.cdf(x, *a), lo, hi, limit=500)
    assert prob_b_beats_a(*a, *b) == pytest.approx(direct, abs=1e-7)
    # Symmetry: P(B > A) + P(A > B) = 1 for continuous posteriors.
    assert prob_b_beats_a(*a, *b) + prob_b_beats_a(*b, *a) == pytest.approx(1.0, abs=1e-9)


# --------------------------------------------------------------------------- Monte Carlo P(best)

TWO_ARM_CASES = [
    [(0, 0), (0, 0)], [(1, 1), (0, 0)], [(1, 1), (0, 1)], [(10, 100), (15, 100)],
    [(700, 70_000), (740, 70_000)], [(700, 70_000), (790, 70_000)], [(80, 10_000), (96, 10_000)],
]


@pytest.mark.parametrize("arms", TWO_ARM_CASES)
def test_monte_carlo_two_arms_against_the_exact_integral(arms):
    exact = prob_best_exact_two(arms)
    runs = [prob_best_with_error(arms, draws=10_000, seed=seed) for seed in range(10)]
    for run in runs:
        assert sum(run.p) == pytest.approx(1.0)
        # The Monte Carlo standard error is sqrt(p(1 − p)/draws): 0.005 at p = 0.5.
        assert run.mc_error[1] == pytest.approx(math.sqrt(run.p[1] * (1 - run.p[1]) / 10_000))
        # Each run within 4 standard errors of the exact value (that fails once in ~16,000 runs).
        assert abs(run.p[1] - exact[1]) <= 4 * math.sqrt(exact[1] * (1 - exact[1]) / 10_000) + 1e-12
        # The bound |difference| ≤ 0.005 holds run by run where 0.005 is ≥ 2.5 standard errors…
        if exact[1] * (1 - exact[1]) <= 0.04:
            assert abs(run.p[1] - exact[1]) <= 0.005
    # … and for every case on the mean of the ten 10,000-draw runs (standard error ≤ 0.0016).
    assert abs(np.mean([run.p[1] for run in runs]) - exact[1]) <= 0.005


def test_seeded_draws_reproduce_and_four_arms_rank():
    arms = [(700, 70_000), (720, 70_000), (800, 70_000), (690, 70_000)]
    assert prob_best(arms, seed=42) == prob_best(arms, seed=42)
    p = prob_best(arms, seed=42)
    assert sum(p) == pytest.approx(1.0) and int(np.argmax(p)) == 2 and p[2] > 0.95


@pytest.mark.parametrize("arms", [[(5, 3)], [(-1, 10), (1, 10)], [("x", 1), (1, 2)], []])
def test_bad_arms_are_refused_with_a_clear_error(arms):
    with pytest.raises(ValueError):
        prob_best(arms)


# --------------------------------------------------------------------------- normal model (CPA / ROAS)

def test_normal_model_is_direction_aware():
    cheap, dear = [10, 11, 9, 10, 10.5], [20, 21, 19, 20, 20.5]
    lower = normal_prob_best([cheap, dear], lower_is_better=True, seed=1)
    higher = normal_prob_best([cheap, dear], lower_is_better=False, seed=1)
    assert lower.p[0] > 0.999 and higher.p[1] > 0.999


def test_normal_model_against_the_normal_approximation():
    # 200 days alternating m ± d: mean m, s = d·sqrt(n/(n−1)). With 199 df, t ≈ normal, so
    # P(A > B) ≈ Φ((m_A − m_B) / sqrt(s_A²/n + s_B²/n)), computed here by hand.
    n, d = 200, 1.0
    a = [3.1 + (d if i % 2 else -d) for i in range(n)]
    b = [3.0 + (d if i % 2 else -d) for i in range(n)]
    s = d * math.sqrt(n / (n - 1))
    expected = 0.5 * (1 + math.erf((0.1 / math.sqrt(2 * s * s / n)) / math.sqrt(2)))   # ≈ 0.760
    result = normal_prob_best([a, b], lower_is_better=False, draws=200_000, seed=3)
    assert result.p[0] == pytest.approx(expected, abs=0.006)


def test_normal_model_drops_missing_days_and_needs_two():
    # Two values each: the posterior of a mean is x̄ + (s/√2)·t(1), a Cauchy. A: 1.5 + 0.5·C,
    # B: 3.5 + 0.5·C, so A − B = −2 + C(scale 1) and P(A lower) = 1/2 + arctan(2)/π = 0.85242.
    result = normal_prob_best([[1.0, np.nan, 2.0], [3.0, 4.0]], lower_is_better=True, draws=100_000, seed=0)
    assert result.p[0] == pytest.approx(0.5 + math.atan(2) / math.pi, abs=0.005)
    with pytest.raises(ValueError, match="at least 2"):
        normal_prob_best([[1.0, np.nan], [3.0, 4.0]], lower_is_better=True)


# --------------------------------------------------------------------------- power and budget

def test_required_impressions_matches_the_textbook_formula_by_hand():
    # p1 = 0.008, p2 = 0.008 × 1.2 = 0.0096, p̄ = 0.0088; z(0.975) = 1.959964, z(0.80) = 0.841621.
    # √(2 · 0.0088 · 0.9912) = 0.1320800;  √(0.008 · 0.992 + 0.0096 · 0.9904) = 0.1320751
    # n = (1.959964 · 0.1320800 + 0.841621 · 0.1320751)² / 0.0016² = 0.3700279² / 2.56e-6 ≈ 53,485.4
    by_hand = (1.959964 * 0.1320800 + 0.841621 * 0.1320751) ** 2 / 0.0016 ** 2
    n = required_impressions(0.008, 0.20)
    assert abs(n - by_hand) <= 2
    assert 10_000 < n < 100_000           # tens of thousands per arm, not a floor of 1,000
    assert n == 53_486                    # the ceiling of 53,485.4…


def test_required_impressions_moves_the_right_way():
    base = required_impressions(0.01, 0.20)
    assert required_impressions(0.01, 0.20, power=0.9) > base
    assert required_impressions(0.01, 0.20, alpha=0.01) > base
    assert required_impressions(0.01, 0.40) < base
    assert required_impressions(0.02, 0.20) < base


@pytest.mark.parametrize("args", [(0.0, 0.2), (1.5, 0.2), (0.8, 0.5), (0.01, 0.0), (0.01, -0.1)])
def test_required_impressions_refuses_non_ratios(args):
    with pytest.raises(ValueError):
        required_impressions(*args)


def test_required_spend_at_a_cpm():
    # 53,486 impressions × 2 arms at a CPM of 12 (currency per 1,000) = 106,972 / 1,000 × 12.
    assert required_spend(53_486, 2, 12.0) == pytest.approx(1283.664)


# --------------------------------------------------------------------------- sample-ratio mismatch

def test_srm_by_hand():
    even = sample_ratio_mismatch([5000, 5000])
    assert even.chi2 == 0 and even.p_value == pytest.approx(1.0) and not even.blocks
    # Expected 5,200 each: χ² = 2 · 200² / 5,200 = 15.385; df 1: p = erfc(√(χ²/2)) ≈ 8.8e-5 < 0.001.
    skewed = sample_ratio_mismatch([5000, 5400])
    assert skewed.chi2 == pytest.approx(2 * 200 ** 2 / 5200)
    assert skewed.p_value == pytest.approx(math.erfc(math.sqrt(skewed.chi2 / 2)), rel=1e-9)
    assert skewed.blocks
    # A mild imbalance: χ² = 2 · 50² / 5,050 = 0.99, p ≈ 0.32: delivery is fine.
    assert not sample_ratio_mismatch([5000, 5100]).blocks


def test_srm_against_an_unequal_intended_split_and_no_delivery():
    assert not sample_ratio_mismatch([3340, 6660], [1, 2]).blocks
    assert sample_ratio_mismatch([5000, 5000], [1, 2]).blocks
    nothing = sample_ratio_mismatch([0, 0])
    assert nothing.p_value is None and not nothing.blocks
    with pytest.raises(ValueError):
        sample_ratio_mismatch([100, 100], [1, 0])


# --------------------------------------------------------------------------- effects and grades

def test_treatment_effect_against_the_normal_approximation_by_hand():
    # Posterior means 101/10,002 = 0.0100980 and 151/10,002 = 0.0150970: difference 0.0049990.
    # sd ≈ √(0.0101·0.9899/10,002 + 0.0151·0.9849/10,002) = √(0.9996e-6 + 1.4869e-6) = 0.0015769,
    # so the 95 % interval is about 0.0049990 ± 1.96 · 0.0015769 = [0.001908, 0.008090].
    (effect,) = treatment_effects([(100, 10_000), (150, 10_000)], draws=200_000, seed=5)
    assert effect.arm == 1 and effect.control == 0
    assert effect.absolute == pytest.approx(0.0049990, abs=0.00002)
    assert effect.absolute_ci[0] == pytest.approx(0.001908, abs=0.0001)
    assert effect.absolute_ci[1] == pytest.approx(0.008090, abs=0.0001)
    assert effect.relative == pytest.approx(0.4950, abs=0.01)   # 0.015097 / 0.010098 − 1
    assert effect.prob_positive > 0.99 and effect.excludes_zero


def test_grades():
    (clear,) = treatment_effects([(100, 10_000), (150, 10_000)], seed=1)
    (null,) = treatment_effects([(100, 10_000), (101, 10_000)], seed=1)
    assert grade_effect("winner", clear) == "causal"
    assert grade_effect("inconclusive", clear) == "suggestive"
    assert grade_effect("winner", null) == "inconclusive"
    assert grade_effect("inconclusive", null) == "inconclusive"
    assert grade_effect("winner", clear, srm_blocked=True) == "inconclusive"


# --------------------------------------------------------------------------- overdispersion

def test_dispersion_by_hand():
    # 2 days × 2 arms, 1,000 impressions per cell, clicks [[10, 20], [20, 10]]: every margin is 30,
    # so the day × arm model expects 15 everywhere. χ² = 4 · 5² / 15 = 6.667 on (2−1)(2−1) = 1 df.
    d = click_dispersion([[1000, 1000], [1000, 1000]], [[10, 20], [20, 10]], prior_df=0)
    assert d.chi2 == pytest.approx(100 / 15) and d.df == 1 and d.phi == pytest.approx(100 / 15)
    # Shrunk with 8 pseudo degrees of freedom at φ = 1: (6.667 + 8) / (1 + 8) = 1.6296.
    assert click_dispersion([[1000, 1000], [1000, 1000]], [[10, 20], [20, 10]]).phi == pytest.approx(
        (100 / 15 + 8) / 9)


def test_a_day_good_for_every_arm_is_not_noise():
    # Day 2 has three times the CTR of day 1 in both arms, arm 1 twice arm 0 each day: the
    # multiplicative model fits exactly, χ² = 0, φ = 1.
    d = click_dispersion([[1000, 1000], [1000, 1000], [0, 0]], [[10, 20], [30, 60], [0, 0]], prior_df=0)
    assert d.chi2 == pytest.approx(0.0, abs=1e-9) and d.phi == 1.0 and d.df == 1   # the empty day is skipped
    single = click_dispersion([[1000, 1000]], [[10, 20]])
    assert single.phi == 1.0 and single.estimate is None and single.df == 0


def test_dispersion_widens_the_effect_interval():
    (plain,) = treatment_effects([(100, 10_000), (150, 10_000)], draws=100_000, seed=2)
    (noisy,) = treatment_effects([(100, 10_000), (150, 10_000)], dispersion=4.0, draws=100_000, seed=2)
    width = lambda e: e.absolute_ci[1] - e.absolute_ci[0]  # noqa: E731
    assert width(noisy) / width(plain) == pytest.approx(2.0, rel=0.03)   # sd grows like √φ
    with pytest.raises(ValueError):
        treatment_effects([(1, 10), (2, 10)], dispersion=0.5)
