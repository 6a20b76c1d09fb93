"""Experiment inference (spec 12a–12d), pure: posteriors, P(best), power, sample ratio, effects.

Take these through `experiments.stats`, the one place pages, jobs and benchmarks import from.

Units: rates are ratios (a CTR of 0.8 % is 0.008), impressions and clicks are counts, a CPM is
currency per 1,000 impressions, spend is currency.

What is here:
- `prob_best` / `prob_best_with_error`: P(best) per arm for a Beta-Binomial CTR model (posterior
  Beta(1 + clicks, 1 + impressions − clicks), the uniform prior), from seeded Monte Carlo draws,
  with the Monte Carlo standard error sqrt(p(1 − p)/draws);
- `prob_b_beats_a` / `prob_best_exact_two`: the exact P(θ_B > θ_A) for two Beta posteriors (a
  finite sum for integer α, numerical integration otherwise), to check the Monte Carlo figure and
  for the decision rule's pairwise test;
- `normal_prob_best`: P(best) for a metric observed as one value per day (CPA, ROAS): the
  posterior of each arm's mean under a normal model with unknown within-arm variance and the
  reference prior is x̄ + s/√n · t(n − 1); direction-aware (`lower_is_better=True` for CPA);
- `required_impressions` (per arm) and `required_spend`: the two-proportion sample size;
- `sample_ratio_mismatch`: chi-square of the arms' impressions against the intended split;
- `click_dispersion`: how much more the daily CTRs vary than binomial noise (φ ≥ 1), so the
  decision rule can count the evidence it really has;
- `treatment_effects` and `grade_effect`: the ATE of each treatment arm against the control, with
  a credible interval, and its grade for the causal knowledge base;
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from scipy import integrate, special
from scipy import stats as sps

Seed = int | np.random.Generator | None
Grade = Literal["causal", "suggestive", "inconclusive"]

DEFAULT_DRAWS = 10_000
SRM_P_THRESHOLD = 0.001


def rng_from(seed: Seed) -> np.random.Generator:
    """A Generator from an int seed (reproducible), a Generator (used as is) or None (fresh entropy)."""
    return seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)


# --------------------------------------------------------------------------- Beta-Binomial P(best)

@dataclass(frozen=True)
class ProbBest:
    """P(best) per arm with its Monte Carlo standard error (both ratios in [0, 1])."""

    p: list[float]
    mc_error: list[float]
    draws: int


def _check_arms(arms: Sequence[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray]:
    if len(arms) < 1:
        raise ValueError("at least one arm is needed")
    try:
        pairs = np.asarray([(float(s), float(t)) for s, t in arms], dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError("arms must be (successes, trials) pairs of numbers") from exc
    successes, trials = pairs[:, 0], pairs[:, 1]
    if not np.all(np.isfinite(pairs)) or np.any(successes < 0) or np.any(trials < 0):
        raise ValueError("successes and trials must be finite and ≥ 0")
    if np.any(successes > trials):
        raise ValueError("an arm has more successes than trials")
    return successes, trials


def beta_posteriors(arms: Sequence[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray]:
    """(α, β) arrays of the Beta(1 + s, 1 + t − s) posteriors of (successes, trials) pairs."""
    successes, trials = _check_arms(arms)
    return 1.0 + successes, 1.0 + trials - successes


def beta_draws(alpha: np.ndarray, beta: np.ndarray, draws: int, rng: np.random.Generator) -> np.ndarray:
    """(arms, draws) samples; one scalar-parameter call per arm is the fastest numpy path."""
    out = np.empty((len(alpha), draws))
    for arm, (a, b) in enumerate(zip(alpha, beta)):
        out[arm] = rng.beta(a, b, draws)
    return out


def _share_of_max(samples: np.ndarray) -> np.ndarray:
    """Share of draws (columns) where each arm (row) is the largest; ties split the credit."""
    top = samples == samples.max(axis=0, keepdims=True)
    return (top / top.sum(axis=0, keepdims=True)).mean(axis=1)


def prob_best_with_error(arms: Sequence[tuple[int, int]], *, draws: int = DEFAULT_DRAWS,
                         seed: Seed = None) -> ProbBest:
    """P(best) per arm for (clicks, impressions) pairs, with the Monte Carlo standard error."""
    if draws < 1:
        raise ValueError("draws must be ≥ 1")
    alpha, beta = beta_posteriors(arms)
    samples = beta_draws(alpha, beta, draws, rng_from(seed))
    # Continuous draws do not tie, so argmax counts (fast) equal the tie-splitting share.
    p = np.bincount(samples.argmax(axis=0), minlength=len(alpha)) / draws
    return ProbBest(p=p.tolist(), mc_error=np.sqrt(p * (1 - p) / draws).tolist(), draws=draws)


def prob_best(arms: Sequence[tuple[int, int]], *, draws: int = DEFAULT_DRAWS, seed: Seed = None) -> list[float]:
    """P(best) per arm (a list summing to 1) for a list of (successes, trials) pairs."""
    return prob_best_with_error(arms, draws=draws, seed=seed).p


# Beyond this many terms the finite sum is slower than Gauss-Legendre integration (as exact).
_MAX_SUM_TERMS = 2000


def _is_integer(x: float) -> bool:
    return float(x).is_integer()


def _b_beats_a_sum(alpha_a: float, beta_a: float, alpha_b: float, beta_b: float) -> float:
    """Closed form for integer α_B: Σ_{i<α_B} B(α_A+i, β_A+β_B) / ((β_B+i) B(1+i, β_B) B(α_A, β_A))."""
    i = np.arange(int(alpha_b), dtype=float)
    log_terms = (special.betaln(alpha_a + i, beta_a + beta_b) - np.log(beta_b + i)
                 - special.betaln(1 + i, beta_b) - special.betaln(alpha_a, beta_a))
    return float(np.exp(special.logsumexp(log_terms)))


def prob_b_beats_a(alpha_a: float, beta_a: float, alpha_b: float, beta_b: float) -> float:
    """Exact P(θ_B > θ_A) for independent θ_A ~ Beta(α_A, β_A), θ_B ~ Beta(α_B, β_B).

    With an integer α on either side (up to 2,000), the finite sum over the smaller integer α
    (the other direction is 1 − P, the posteriors being continuous); otherwise ∫ f_B(x) F_A(x) dx
    by numerical integration (checked against adaptive quadrature to 1e-7 in the tests).
    """
    for value in (alpha_a, beta_a, alpha_b, beta_b):
        if not (math.isfinite(value) and value > 0):
            raise ValueError("Beta parameters must be finite and > 0")
    options = []
    if _is_integer(alpha_b):
        options.append((alpha_b, lambda: _b_beats_a_sum(alpha_a, beta_a, alpha_b, beta_b)))
    if _is_integer(alpha_a):
        options.append((alpha_a, lambda: 1.0 - _b_beats_a_sum(alpha_b, beta_b, alpha_a, beta_a)))
    terms, closed_form = min(options, key=lambda option: option[0]) if options else (math.inf, None)
    if terms <= _MAX_SUM_TERMS:
        return float(min(1.0, max(0.0, closed_form())))
    # Integrate against the narrower density, so the other's cdf is smooth across the nodes;
    # a density unbounded at an end (α or β < 1) cannot carry fixed nodes: then the other one.
    smooth_a, smooth_b = alpha_a >= 1 and beta_a >= 1, alpha_b >= 1 and beta_b >= 1
    a_narrower = _beta_sd(alpha_a, beta_a) < _beta_sd(alpha_b, beta_b)
    if smooth_b and (not smooth_a or not a_narrower):
        value = _b_beats_a_gauss(alpha_a, beta_a, alpha_b, beta_b)
    elif smooth_a:
        value = 1.0 - _b_beats_a_gauss(alpha_b, beta_b, alpha_a, beta_a)
    else:  # both unbounded at an end: only small parameters, where adaptive quadrature is quick
        value, _ = integrate.quad(lambda x: sps.beta.pdf(x, alpha_b, beta_b) * sps.beta.cdf(x, alpha_a, beta_a),
                                  0.0, 1.0, limit=200)
    return float(min(1.0, max(0.0, value)))


def _beta_sd(alpha: float, beta: float) -> float:
    total = alpha + beta
    return math.sqrt(alpha * beta / (total * total * (total + 1)))


_GAUSS_NODES, _GAUSS_WEIGHTS = np.polynomial.legendre.leggauss(256)


def _b_beats_a_gauss(alpha_a: float, beta_a: float, alpha_b: float, beta_b: float) -> float:
    """∫ f_B(x) F_A(x) dx by 256-point Gauss-Legendre over where f_B lives (its central
    1 − 2·10⁻¹³ mass; the integrand is 0 elsewhere): smooth for α_B, β_B ≥ 1, and fast."""
    lo, hi = special.betaincinv(alpha_b, beta_b, [1e-13, 1 - 1e-13])
    x = (hi - lo) / 2 * _GAUSS_NODES + (hi + lo) / 2
    log_pdf = (alpha_b - 1) * np.log(x) + (beta_b - 1) * np.log1p(-x) - special.betaln(alpha_b, beta_b)
    return float((hi - lo) / 2 * np.sum(_GAUSS_WEIGHTS * np.exp(log_pdf) * special.betainc(alpha_a, beta_a, x)))


def prob_best_exact_two(arms: Sequence[tuple[int, int]]) -> list[float]:
    """Exact [P(arm 0 best), P(arm 1 best)] for two (successes, trials) pairs."""
    if len(arms) != 2:
        raise ValueError("the exact form is for exactly two arms")
    alpha, beta = beta_posteriors(arms)
    p1 = prob_b_beats_a(alpha[0], beta[0], alpha[1], beta[1])
    return [1.0 - p1, p1]


# --------------------------------------------------------------------------- Normal model (CPA, ROAS)

def normal_prob_best(daily_values: Sequence[Sequence[float]], *, lower_is_better: bool,
                     draws: int = DEFAULT_DRAWS, seed: Seed = None) -> ProbBest:
    """P(best) per arm from each arm's daily values of a continuous metric (CPA, ROAS …).

    Each arm's mean has the posterior x̄ + (s/√n)·t(n − 1) (normal data, unknown variance,
    reference prior). Days without a value (NaN, e.g. a CPA on a day with no conversion) are
    dropped; an arm needs ≥ 2 values. Lower-is-better metrics (CPA) count the smallest draw as
    best. Arms whose values do not vary get a point posterior; exact ties split the credit.
    """
    if len(daily_values) < 1:
        raise ValueError("at least one arm is needed")
    rng = rng_from(seed)
    samples = np.empty((len(daily_values), draws))
    for arm, values in enumerate(daily_values):
        x = np.asarray(values, dtype=float)
        x = x[~np.isnan(x)]
        if len(x) < 2:
            raise ValueError(f"arm {arm} has {len(x)} daily values; the normal model needs at least 2")
        if not np.all(np.isfinite(x)):
            raise ValueError(f"arm {arm} has an infinite daily value")
        scale = x.std(ddof=1) / math.sqrt(len(x))
        samples[arm] = x.mean() + scale * rng.standard_t(len(x) - 1, draws)
    p = _share_of_max(-samples if lower_is_better else samples)
    return ProbBest(p=p.tolist(), mc_error=np.sqrt(p * (1 - p) / draws).tolist(), draws=draws)


# --------------------------------------------------------------------------- power and budget

def required_impressions(baseline_rate: float, relative_mde: float, *, power: float = 0.8,
                         alpha: float = 0.05) -> int:
    """Impressions per arm to detect a relative lift of the baseline CTR (two-sided test).

    n = [z(1−α/2)·√(2·p̄(1−p̄)) + z(power)·√(p1(1−p1) + p2(1−p2))]² / (p2 − p1)², with
    p1 = baseline_rate, p2 = p1·(1 + relative_mde), p̄ = (p1 + p2)/2 (pooled variance under the
    null, the textbook two-proportion formula without continuity correction). Ratio units:
    `baseline_rate=0.008` is a CTR of 0.8 %, `relative_mde=0.20` a lift of 20 % of it.
    With more than one treatment arm, pass `alpha` divided by the number of comparisons to
    keep the family-wise level (Bonferroni).
    """
    if not 0 < baseline_rate < 1:
        raise ValueError("baseline_rate is a ratio in (0, 1): a CTR of 0.8 % is 0.008")
    if not relative_mde > 0:
        raise ValueError("relative_mde must be > 0 (0.20 is a 20 % relative lift)")
    p1, p2 = baseline_rate, baseline_rate * (1 + relative_mde)
    if p2 >= 1:
        raise ValueError("baseline_rate × (1 + relative_mde) must stay below 1")
    if not 0 < power < 1 or not 0 < alpha < 1:
        raise ValueError("power and alpha are probabilities in (0, 1)")
    pooled = (p1 + p2) / 2
    z_alpha, z_power = sps.norm.ppf(1 - alpha / 2), sps.norm.ppf(power)
    root = z_alpha * math.sqrt(2 * pooled * (1 - pooled)) + z_power * math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))
    return math.ceil(root ** 2 / (p2 - p1) ** 2)


def required_spend(impressions_per_arm: int, arms: int, cpm: float) -> float:
    """Spend (currency) to buy `impressions_per_arm` in each of `arms` arms at a CPM (currency/1,000)."""
    if impressions_per_arm < 0 or arms < 1 or not (math.isfinite(cpm) and cpm >= 0):
        raise ValueError("impressions ≥ 0, arms ≥ 1 and a finite CPM ≥ 0 are needed")
    return impressions_per_arm * arms * cpm / 1000.0


# --------------------------------------------------------------------------- sample-ratio mismatch

@dataclass(frozen=True)
class SampleRatioCheck:
    """Chi-square of observed impressions against the intended split. `p_value` None: nothing delivered."""

    observed: list[float]
    expected: list[float]
    chi2: float | None
    p_value: float | None
    blocks: bool


def sample_ratio_mismatch(impressions: Sequence[float], intended_split: Sequence[float] | None = None, *,
                          threshold: float = SRM_P_THRESHOLD) -> SampleRatioCheck:
    """Does delivery match the intended split? p < `threshold` (0.001) blocks any verdict.

    `intended_split` is each arm's intended share (any positive numbers, normalised; equal
    shares when omitted).
    """
    observed = np.asarray(impressions, dtype=float)
    if observed.ndim != 1 or len(observed) < 2:
        raise ValueError("the check needs the impressions of at least two arms")
    if np.any(observed < 0) or not np.all(np.isfinite(observed)):
        raise ValueError("impressions must be finite and ≥ 0")
    split = np.ones(len(observed)) if intended_split is None else np.asarray(intended_split, dtype=float)
    if split.shape != observed.shape or np.any(split <= 0) or not np.all(np.isfinite(split)):
        raise ValueError("intended_split needs one positive share per arm")
    total = observed.sum()
    expected = total * split / split.sum()
    if total == 0:
        return SampleRatioCheck(observed.tolist(), expected.tolist(), None, None, blocks=False)
    chi2, p_value = sps.chisquare(observed, expected)
    return SampleRatioCheck(observed.tolist(), expected.tolist(), float(chi2), float(p_value),
                            blocks=bool(p_value < threshold))


# --------------------------------------------------------------------------- overdispersion

DISPERSION_PRIOR_DF = 8.0


@dataclass(frozen=True)
class Dispersion:
    """How much more the arms' daily CTRs vary than binomial noise allows.

    `phi` ≥ 1 is the factor to divide clicks and impressions by (an effective sample size);
    `estimate` the raw Pearson χ²/df (None without a degree of freedom)."""

    phi: float
    estimate: float | None
    chi2: float
    df: int


def click_dispersion(daily_impressions, daily_clicks, *, prior_df: float = DISPERSION_PRIOR_DF) -> Dispersion:
    """Overdispersion of daily clicks (days × arms) beyond a day × arm multiplicative model.

    Expected clicks E = impressions · a_day · b_arm (the Poisson model with a day effect and an
    arm effect, fitted by iterative proportional fitting): a day that is good for every arm
    (a weekend, an auction change) is absorbed by a_day and does not count as noise. Pearson
    χ² = Σ (clicks − E)²/E over the cells with E > 0, df = (days − 1)(arms − 1) over days with
    delivery. Under binomial noise χ²/df ≈ 1. The factor is shrunk towards 1 with `prior_df`
    pseudo degrees of freedom and floored at 1: φ = max(1, (χ² + prior_df) / (df + prior_df)).
    """
    impressions = np.asarray(daily_impressions, dtype=float)
    clicks = np.asarray(daily_clicks, dtype=float)
    if impressions.ndim != 2 or impressions.shape != clicks.shape:
        raise ValueError("daily impressions and clicks must be (days, arms) arrays of the same shape")
    delivered = impressions.sum(axis=1) > 0
    impressions, clicks = impressions[delivered], clicks[delivered]
    days, arms = impressions.shape
    df = (days - 1) * (arms - 1)
    if df < 1 or clicks.sum() == 0:
        return Dispersion(phi=1.0, estimate=None, chi2=0.0, df=max(df, 0))
    day_effect = clicks.sum(axis=1) / impressions.sum(axis=1)
    arm_effect = np.ones(arms)
    for _ in range(100):  # (days × arms) cells: converges in a few dozen sweeps
        arm_effect = np.divide(clicks.sum(axis=0), (impressions * day_effect[:, None]).sum(axis=0),
                               out=np.zeros(arms), where=clicks.sum(axis=0) > 0)
        previous = day_effect
        day_effect = np.divide(clicks.sum(axis=1), (impressions * arm_effect[None, :]).sum(axis=1),
                               out=np.zeros(days), where=clicks.sum(axis=1) > 0)
        if np.allclose(day_effect, previous, rtol=1e-10, atol=0):
            break
    expected = impressions * day_effect[:, None] * arm_effect[None, :]
    cells = expected > 0
    chi2 = float(((clicks[cells] - expected[cells]) ** 2 / expected[cells]).sum())
    phi = max(1.0, (chi2 + prior_df) / (df + prior_df))
    return Dispersion(phi=phi, estimate=chi2 / df, chi2=chi2, df=df)


# --------------------------------------------------------------------------- effects and grades

@dataclass(frozen=True)
class TreatmentEffect:
    """One treatment arm against the control, from the posterior draws: θ_t − θ_c (absolute, CTR
    ratio units; its posterior mean) and θ_t/θ_c − 1 (relative; its posterior median, the ratio
    being skewed), each with an equal-tailed credible interval at `credibility`."""

    arm: int
    control: int
    absolute: float
    absolute_ci: tuple[float, float]
    relative: float
    relative_ci: tuple[float, float]
    prob_positive: float
    credibility: float

    @property
    def excludes_zero(self) -> bool:
        return self.absolute_ci[0] > 0 or self.absolute_ci[1] < 0


def treatment_effects(arms: Sequence[tuple[int, int]], *, control: int = 0, credibility: float = 0.95,
                      dispersion: float = 1.0, draws: int = DEFAULT_DRAWS, seed: Seed = None) -> list[TreatmentEffect]:
    """ATE of every non-control arm against `control` from the Beta posteriors (Monte Carlo).

    `dispersion`: the verdict's φ (`click_dispersion`); counts are divided by it, widening the
    intervals as much as the daily data are noisier than binomial.
    """
    if not 0 < credibility < 1:
        raise ValueError("credibility is a probability in (0, 1)")
    if not (math.isfinite(dispersion) and dispersion >= 1):
        raise ValueError("dispersion is a factor ≥ 1")
    successes, trials = _check_arms(arms)
    alpha, beta = 1.0 + successes / dispersion, 1.0 + (trials - successes) / dispersion
    if not 0 <= control < len(alpha):
        raise ValueError("control must be the index of an arm")
    samples = beta_draws(alpha, beta, draws, rng_from(seed))
    tails = [(1 - credibility) / 2, 1 - (1 - credibility) / 2]
    effects = []
    for arm in range(len(alpha)):
        if arm == control:
            continue
        diff = samples[arm] - samples[control]
        lift = samples[arm] / samples[control] - 1
        d_lo, d_hi = np.quantile(diff, tails)
        r_lo, r_hi = np.quantile(lift, tails)
        effects.append(TreatmentEffect(
            arm=arm, control=control, absolute=float(diff.mean()), absolute_ci=(float(d_lo), float(d_hi)),
            relative=float(np.median(lift)), relative_ci=(float(r_lo), float(r_hi)),
            prob_positive=float((diff > 0).mean()), credibility=credibility))
    return effects


def grade_effect(status: str, effect: TreatmentEffect, *, srm_blocked: bool = False) -> Grade:
    """Grade for the causal knowledge base (12d).

    "causal": the experiment won (a verdict of the honest-stopping rule, randomisation intact)
    and this arm's credible interval excludes zero; "suggestive": the interval excludes zero
    but the experiment did not win (stopped, futile or out of time); otherwise "inconclusive".
    A sample-ratio mismatch means the randomisation is in doubt: never better than inconclusive.
    """
    if srm_blocked:
        return "inconclusive"
    if effect.excludes_zero:
        return "causal" if status == "winner" else "suggestive"
    return "inconclusive"
