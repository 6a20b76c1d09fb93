"""Thompson Sampling where the user delegates a choice (spec 10.4), and the winner-evolution
variable choice (spec 11a). Pure, seeded: the same seed replays the same choice.

`thompson_select`: each pick draws θ ~ Beta(α, β) for every arm; with probability
ε = max(0.05, 0.30·exp(−matured_ads/100)) the pick explores — an arm chosen uniformly — else it
takes the arm with the highest draw. `matured_ads` is the brand's number of ads with a reward.
Picks of several distinct arms (k hooks for one job) draw afresh for each pick among the arms
not yet chosen. Every draw and every explore decision is returned for the record.

`choose_variable` (which single element a winner's next iteration changes), for each
candidate dimension d with the winner's current value c and its alternatives:
- uncertainty U_d = mean over the dimension's arms of sd(Beta(α, β)) / sd(Beta(1, 1)), in
  (0, 1]: 1 when nothing is known, falling like 1/√n — the information still to gain there;
- a Thompson draw of the lift L_d = max over alternatives of θ_a − θ_c;
- weight w_d = priority_d · causal_d · U_d, with the spec's priorities (belief angle 1.0 >
  hook type 0.9 > awareness stage 0.85 > visual style 0.7 > template category 0.6 > colour
  mode 0.4) and the causal factor from the experiments' knowledge of that dimension
  (`CAUSAL_FACTOR`: a dimension with a causal effect found ×1.5 — changing it is known to move
  the reward; suggestive ×1.2; an experiment that found nothing ×0.6 — iterating there is
  likely wasted; untested ×1.0);
- score_d = w_d · max(L_d, 0): the dimension whose sampled improvement, weighted, is largest.
When no dimension's draw shows an improvement, the one with the largest weight is chosen (the
most to learn, at the highest priority).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

EXPLORATION_FLOOR = 0.05
EXPLORATION_START = 0.30
EXPLORATION_SCALE_ADS = 100.0

EVOLUTION_PRIORITY: dict[str, float] = {
    "belief_angle_id": 1.0, "hook_type": 0.9, "awareness_stage": 0.85,
    "visual_style": 0.7, "template_category": 0.6, "color_mode": 0.4,
}
CAUSAL_FACTOR: dict[str, float] = {"causal": 1.5, "suggestive": 1.2, "inconclusive": 0.6}
_UNIFORM_SD = math.sqrt(1 / 12)


def exploration_rate(matured_ads: int) -> float:
    """ε = max(0.05, 0.30·exp(−matured_ads/100)): the share of picks that explore."""
    if matured_ads < 0:
        raise ValueError("matured_ads must be ≥ 0")
    return max(EXPLORATION_FLOOR, EXPLORATION_START * math.exp(-matured_ads / EXPLORATION_SCALE_ADS))


def resolve_seed(seed: int | None) -> int:
    """The seed to record: the given one, or a fresh one drawn from entropy (so it can be replayed)."""
    if seed is None:
        return int(np.random.default_rng().integers(0, 2**63 - 1))
    if not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError("seed must be a non-negative integer")
    return int(seed)


def _arms(alpha, beta) -> tuple[np.ndarray, np.ndarray]:
    alpha, beta = np.asarray(alpha, dtype=float), np.asarray(beta, dtype=float)
    if alpha.ndim != 1 or alpha.shape != beta.shape or len(alpha) == 0:
        raise ValueError("alpha and beta need one value per arm (at least one arm)")
    if not (np.all(np.isfinite(alpha)) and np.all(np.isfinite(beta))) or np.any(alpha <= 0) or np.any(beta <= 0):
        raise ValueError("Beta parameters must be finite and > 0")
    return alpha, beta


@dataclass(frozen=True)
class ThompsonChoice:
    chosen: list[int]            # arm indices, in pick order
    draws: np.ndarray            # (picks, arms) the θ draws of each pick
    explored: list[bool]         # whether each pick explored (uniform) instead of taking the best draw
    exploration_rate: float
    seed: int


def thompson_select(alpha, beta, *, matured_ads: int, k: int = 1, distinct: bool = True,
                    seed: int | None = None) -> ThompsonChoice:
    """Pick `k` arms (distinct unless `distinct=False`) by Thompson Sampling with exploration."""
    alpha, beta = _arms(alpha, beta)
    arms = len(alpha)
    if k < 1 or (distinct and k > arms):
        raise ValueError(f"cannot pick {k} distinct arms out of {arms}")
    seed = resolve_seed(seed)
    rng = np.random.default_rng(seed)
    epsilon = exploration_rate(matured_ads)
    draws = rng.beta(alpha, beta, size=(k, arms))
    explore = rng.random(k) < epsilon
    uniform = rng.random(k)
    chosen: list[int] = []
    for pick in range(k):  # k picks (a job's hooks), not ads
        available = np.array([a for a in range(arms) if not (distinct and a in chosen)])
        if explore[pick]:
            arm = int(available[int(uniform[pick] * len(available))])
        else:
            arm = int(available[np.argmax(draws[pick, available])])
        chosen.append(arm)
    return ThompsonChoice(chosen=chosen, draws=draws, explored=explore.tolist(), exploration_rate=epsilon, seed=seed)


def relative_uncertainty(alpha, beta) -> np.ndarray:
    """sd(Beta(α, β)) / sd(Beta(1, 1)) per arm: 1 = nothing known, → 0 with evidence."""
    alpha, beta = _arms(alpha, beta)
    total = alpha + beta
    return np.sqrt(alpha * beta / (total ** 2 * (total + 1))) / _UNIFORM_SD


@dataclass(frozen=True)
class DimensionArms:
    """A candidate dimension for a winner's iteration: its arms and the winner's current value."""

    current: str | None
    values: Sequence[str]
    alpha: Sequence[float]
    beta: Sequence[float]


@dataclass(frozen=True)
class VariableChoice:
    dimension: str | None              # None: no dimension has an alternative value
    scores: dict[str, float]
    weights: dict[str, float]
    uncertainty: dict[str, float]
    lifts: dict[str, float]
    fallback: bool                     # True: no draw showed an improvement, chosen by weight
    seed: int
    draws: dict[str, list[float]] = field(default_factory=dict)


def choose_variable(candidates: Mapping[str, DimensionArms], *, causal: Mapping[str, str] | None = None,
                    priorities: Mapping[str, float] = EVOLUTION_PRIORITY, seed: int | None = None) -> VariableChoice:
    """Which dimension a winner's next single-variable iteration changes (see the module doc).

    Dimensions without a priority, or without a value other than the current one, are not
    candidates. `causal`: dimension → the best grade the causal knowledge base holds for it.
    """
    seed = resolve_seed(seed)
    rng = np.random.default_rng(seed)
    causal = causal or {}
    scores, weights, uncertainty, lifts, draws = {}, {}, {}, {}, {}
    for dimension in sorted(candidates, key=lambda d: (-priorities.get(d, 0.0), d)):
        arms = candidates[dimension]
        priority = priorities.get(dimension, 0.0)
        alpha, beta = _arms(arms.alpha, arms.beta) if len(arms.values) else (np.zeros(0), np.zeros(0))
        if len(alpha) != len(arms.values):
            raise ValueError(f"{dimension}: one (α, β) per value is needed")
        alternatives = np.array([str(v) != str(arms.current) for v in arms.values], dtype=bool)
        if priority <= 0 or not alternatives.any():
            continue
        if grade := causal.get(dimension):
            if grade not in CAUSAL_FACTOR:
                raise ValueError(f"{dimension}: unknown causal grade {grade!r}")
        factor = CAUSAL_FACTOR.get(grade, 1.0) if grade else 1.0
        theta = rng.beta(alpha, beta)
        # The current value without a score of its own is judged by the neutral prior.
        theta_current = theta[~alternatives][0] if (~alternatives).any() else rng.beta(1.0, 1.0)
        lift = float(theta[alternatives].max() - theta_current)
        u = float(relative_uncertainty(alpha, beta).mean())
        weights[dimension] = priority * factor * u
        uncertainty[dimension], lifts[dimension] = u, lift
        scores[dimension] = weights[dimension] * max(lift, 0.0)
        draws[dimension] = theta.tolist()
    if not scores:
        return VariableChoice(None, {}, {}, {}, {}, fallback=False, seed=seed)
    best = max(scores, key=lambda d: scores[d])
    fallback = scores[best] <= 0
    if fallback:
        best = max(weights, key=lambda d: weights[d])
    return VariableChoice(best, scores, weights, uncertainty, lifts, fallback=fallback, seed=seed, draws=draws)
