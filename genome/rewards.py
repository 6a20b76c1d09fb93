"""Per-ad rewards (spec 10.3 and Non-Meta mode), set-based over numpy arrays: no per-ad loop.

Performance reward (`performance_rewards`), for ads that ran on Meta:
1. Metrics per ad from its aggregates (see `genome.objectives` for definitions and units); a
   metric whose denominator is 0 is not measured (NaN), never 0.
2. Maturation per metric: at least `min_days` distinct days with data and `min_impressions`
   impressions (ctr 3/500, conversion_rate 7/500, roas 10/500, cpm and cpc like ctr). Only
   measured metrics can mature. Recomputed at every update from the current aggregates.
3. Normalisation by percentiles: x at the cohort's p25 → 0, at p75 → 1, linear between,
   clamped to [0, 1]; for lower-is-better metrics (cpm, cpc) p25 → 1 and p75 → 0. The cohort is
   the matured ads of the same normalised objective, first of the ad's brand, then of its
   organization (all brands, this one included), then the shipped defaults. A cohort is used
   when it has at least `min_cohort` (20) matured ads for that metric and p75 > p25 (a cohort
   without spread cannot rank anything); the source is recorded per ad and metric.
4. Composite: Σ w·norm / Σ w over the metrics that matured and have weight > 0 for the ad's
   objective — an unmatured metric is left out and its weight shared among the matured ones in
   proportion. No contributing metric → no reward: NaN in `reward`, False in `has_reward`.

Review reward (`review_rewards`), for non-Meta brands and Meta brands' unlaunched ads:
- the latest human decision when there is one: approved → 1, rejected → 0, weight 1.0;
- else the AI's status: approved → 1, rejected → 0, weight 0.5 (the AI disagrees with humans
  often enough that calibration exists: its word counts half); flagged → no reward (the AI
  judged the ad borderline and handed the decision to a human: until one decides there is no
  outcome, and either 1 or 0 would be invented); pending, generated, generation_failed,
  review_failed → no reward (no review outcome at all);
- a Meta brand's unlaunched ad: those weights × 0.25 (`UNLAUNCHED_FACTOR`), because for such
  a brand review is a weak proxy next to the performance its launched ads show.
`combine_rewards` takes the performance reward for launched ads and the review reward for the
rest, with a weight per ad for the Beta update (`genome.beta`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import IntEnum

import numpy as np

from genome.objectives import LOWER_IS_BETTER, METRICS, PROXY_WEIGHTS, REWARD_WEIGHTS, Objective

MIN_COHORT_ADS = 20
# (min distinct days with data, min impressions) per metric, in METRICS order.
DEFAULT_MATURATION: dict[str, tuple[int, int]] = {
    "ctr": (3, 500), "conversion_rate": (7, 500), "roas": (10, 500), "cpm": (3, 500), "cpc": (3, 500),
}
# Shipped (p25, p75) per metric, used until a brand or organization cohort is big enough:
# rough Meta-wide figures; ctr and conversion_rate are ratios, roas a ratio of currency,
# cpm currency per 1,000 impressions and cpc currency per click (USD-like currencies).
DEFAULT_BASELINES: dict[str, tuple[float, float]] = {
    "ctr": (0.006, 0.015), "conversion_rate": (0.01, 0.04), "roas": (1.0, 3.0),
    "cpm": (6.0, 15.0), "cpc": (0.5, 1.5),
}


class BaselineSource(IntEnum):
    NONE = 0          # the metric did not contribute
    BRAND = 1
    ORGANIZATION = 2
    DEFAULT = 3


def _array(name: str, values, n: int | None = None) -> np.ndarray:
    out = np.asarray(values, dtype=float)
    if out.ndim != 1:
        raise ValueError(f"{name} must be a one-dimensional per-ad array")
    if n is not None and len(out) != n:
        raise ValueError(f"{name} has {len(out)} values for {n} ads")
    if not np.all(np.isfinite(out)) or np.any(out < 0):
        raise ValueError(f"{name} must be finite and ≥ 0")
    return out


def _codes(name: str, keys, n: int) -> tuple[np.ndarray, int]:
    """Dense codes 0..k−1 for per-ad keys (one key for every ad may be given as a scalar)."""
    if np.ndim(keys) == 0:
        keys = np.full(n, keys, dtype=object)
    keys = np.asarray(keys, dtype=object) if not isinstance(keys, np.ndarray) else keys
    if keys.shape != (n,):
        raise ValueError(f"{name} needs one key per ad")
    try:
        _, inverse = np.unique(keys, return_inverse=True)
    except TypeError as exc:
        raise ValueError(f"{name} keys must be comparable (all ints, or all strings / UUIDs)") from exc
    inverse = inverse.reshape(-1)
    return inverse, int(inverse.max()) + 1 if n else 0


def group_quantiles(values: np.ndarray, mask: np.ndarray, groups: np.ndarray, n_groups: int,
                    quantiles: Sequence[float]) -> tuple[np.ndarray, np.ndarray]:
    """Quantiles of `values[mask]` within each group, numpy's 'linear' method, vectorised.

    Returns (n_groups, len(quantiles)) quantiles (NaN for an empty group) and the group counts.
    """
    v, g = values[mask], groups[mask]
    order = np.lexsort((v, g))
    v, g = v[order], g[order]
    counts = np.bincount(g, minlength=n_groups)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    out = np.full((n_groups, len(quantiles)), np.nan)
    present = counts > 0
    for column, q in enumerate(quantiles):
        h = (counts[present] - 1) * q
        low = np.floor(h).astype(np.int64)
        high = np.minimum(low + 1, counts[present] - 1)
        lo_v, hi_v = v[starts[present] + low], v[starts[present] + high]
        out[present, column] = lo_v + (h - low) * (hi_v - lo_v)
    return out, counts


@dataclass(frozen=True)
class PerformanceRewards:
    """Per-ad arrays; (n, M) arrays have one column per metric in `genome.objectives.METRICS`."""

    reward: np.ndarray          # (n,) composite in [0, 1]; NaN = no reward yet
    has_reward: np.ndarray      # (n,) bool
    objective: np.ndarray       # (n,) Objective codes
    values: np.ndarray          # (n, M) metric values; NaN = not measured
    matured: np.ndarray         # (n, M) bool
    contributed: np.ndarray     # (n, M) bool: matured and weighted for the ad's objective
    normalised: np.ndarray      # (n, M) in [0, 1]; NaN where not contributing
    weights: np.ndarray         # (n, M) effective weights; rows sum to 1 where has_reward
    source: np.ndarray          # (n, M) BaselineSource codes
    p25: np.ndarray             # (n, M) the percentiles used; NaN where not contributing
    p75: np.ndarray

    def explain(self, ad: int) -> dict:
        """One ad's reward as the API shows it: {"score", "objective", "matured", "contributions"}."""
        contributions = {
            metric: {"value": float(self.values[ad, m]), "normalised": float(self.normalised[ad, m]),
                     "weight": float(self.weights[ad, m]), "baseline": BaselineSource(self.source[ad, m]).name.lower(),
                     "p25": float(self.p25[ad, m]), "p75": float(self.p75[ad, m])}
            for m, metric in enumerate(METRICS) if self.contributed[ad, m]}
        return {"score": float(self.reward[ad]) if self.has_reward[ad] else None,
                "objective": Objective(int(self.objective[ad])).name,
                "matured": {metric: bool(self.matured[ad, m]) for m, metric in enumerate(METRICS)},
                "contributions": contributions}


def metric_values(impressions: np.ndarray, clicks: np.ndarray, conversions: np.ndarray,
                  conversion_value: np.ndarray, spend: np.ndarray) -> np.ndarray:
    """(n, M) metric values; NaN where the denominator is 0 (not measured)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        columns = {
            "ctr": np.where(impressions > 0, clicks / impressions, np.nan),
            "conversion_rate": np.where(clicks > 0, conversions / clicks, np.nan),
            "roas": np.where(spend > 0, conversion_value / spend, np.nan),
            "cpm": np.where(impressions > 0, spend / impressions * 1000.0, np.nan),
            "cpc": np.where(clicks > 0, spend / clicks, np.nan),
        }
    return np.column_stack([columns[metric] for metric in METRICS])


def performance_rewards(*, impressions, clicks, conversions, conversion_value, spend, days_with_data,
                        objective, brand, organization, proxy_only=None,
                        maturation: dict[str, tuple[int, int]] = DEFAULT_MATURATION,
                        defaults: dict[str, tuple[float, float]] = DEFAULT_BASELINES,
                        min_cohort: int = MIN_COHORT_ADS) -> PerformanceRewards:
    """Composite rewards for every ad given, with the cohorts built from those same ads.

    Per-ad aggregates over the sync's window: counts (impressions, clicks, conversions),
    currency (conversion_value, spend), distinct days with data, objective codes
    (`genome.objectives.objective_codes`), brand and organization keys (ints, strings or
    UUIDs). Pass every ad of every organization being updated: the organization fallback only
    sees the ads it is given. `proxy_only` (bool per ad): the brand is at cold-start level 1, so
    its ads are scored on the proxy weights (ctr, cpc) only. Objective, brand, organization and
    `proxy_only` may each be one scalar for all ads.
    """
    impressions = _array("impressions", impressions)
    n = len(impressions)
    clicks = _array("clicks", clicks, n)
    conversions = _array("conversions", conversions, n)
    conversion_value = _array("conversion_value", conversion_value, n)
    spend = _array("spend", spend, n)
    days = _array("days_with_data", days_with_data, n)
    try:
        objective = np.broadcast_to(np.asarray(objective, dtype=np.int64), (n,))
    except (TypeError, ValueError) as exc:
        raise ValueError("objective needs Objective codes (see genome.objectives.objective_codes)") from exc
    if np.any(objective < 0) or np.any(objective >= len(Objective)):
        raise ValueError("objective needs one Objective code per ad")
    brand_code, n_brands = _codes("brand", brand, n)
    org_code, n_orgs = _codes("organization", organization, n)
    try:
        proxy = np.broadcast_to(np.asarray(False if proxy_only is None else proxy_only, dtype=bool), (n,))
    except ValueError as exc:
        raise ValueError("proxy_only needs one flag per ad (or one for all)") from exc
    if set(maturation) != set(METRICS) or set(defaults) != set(METRICS):
        raise ValueError(f"maturation and defaults need every metric: {METRICS}")

    values = metric_values(impressions, clicks, conversions, conversion_value, spend)
    min_days = np.array([maturation[m][0] for m in METRICS])
    min_impressions = np.array([maturation[m][1] for m in METRICS])
    matured = ~np.isnan(values) & (days[:, None] >= min_days) & (impressions[:, None] >= min_impressions)

    n_obj = len(Objective)
    p25 = np.full((n, len(METRICS)), np.nan)
    p75 = np.full((n, len(METRICS)), np.nan)
    source = np.full((n, len(METRICS)), int(BaselineSource.DEFAULT), dtype=np.int8)
    for m, metric in enumerate(METRICS):  # a handful of metrics, each step vectorised over ads
        p25[:, m], p75[:, m] = defaults[metric]
        # Organization first, then brand, so the brand's cohort overrides where it qualifies.
        for code, n_keys, level in ((org_code, n_orgs, BaselineSource.ORGANIZATION),
                                    (brand_code, n_brands, BaselineSource.BRAND)):
            group = code * n_obj + objective
            q, counts = group_quantiles(values[:, m], matured[:, m], group, n_keys * n_obj, (0.25, 0.75))
            usable = (counts >= min_cohort) & (q[:, 1] > q[:, 0])
            take = usable[group]
            p25[take, m], p75[take, m] = q[group[take], 0], q[group[take], 1]
            source[take, m] = int(level)

    spread = p75 - p25
    with np.errstate(invalid="ignore"):
        normalised = (values - p25) / spread
    lower = np.array([metric in LOWER_IS_BETTER for metric in METRICS])
    normalised[:, lower] = 1.0 - normalised[:, lower]
    normalised = np.clip(normalised, 0.0, 1.0)

    base_weights = np.where(proxy[:, None], PROXY_WEIGHTS[None, :], REWARD_WEIGHTS[objective])
    contributed = matured & (base_weights > 0)
    used = np.where(contributed, base_weights, 0.0)
    total = used.sum(axis=1)
    has_reward = total > 0
    weights = np.divide(used, total[:, None], out=np.zeros_like(used), where=has_reward[:, None])
    reward = np.where(has_reward, np.nansum(np.where(contributed, normalised, 0.0) * weights, axis=1), np.nan)
    masked = ~contributed
    normalised[masked] = np.nan
    p25[masked], p75[masked] = np.nan, np.nan
    source[masked] = int(BaselineSource.NONE)
    return PerformanceRewards(reward=reward, has_reward=has_reward, objective=objective.astype(np.int8),
                              values=values, matured=matured, contributed=contributed, normalised=normalised,
                              weights=weights, source=source, p25=p25, p75=p75)


# --------------------------------------------------------------------------- review-based rewards

class RewardSource(IntEnum):
    NONE = 0
    PERFORMANCE = 1
    HUMAN_REVIEW = 2
    AI_REVIEW = 3


HUMAN_DECISION_REWARD: dict[str, float] = {"approved": 1.0, "rejected": 0.0}
AI_STATUS_REWARD: dict[str, float | None] = {
    "approved": 1.0, "rejected": 0.0,
    "flagged": None, "pending": None, "generated": None, "generation_failed": None, "review_failed": None,
}
SOURCE_WEIGHT: dict[RewardSource, float] = {
    RewardSource.PERFORMANCE: 1.0, RewardSource.HUMAN_REVIEW: 1.0, RewardSource.AI_REVIEW: 0.5,
}
UNLAUNCHED_FACTOR = 0.25


@dataclass(frozen=True)
class ReviewRewards:
    reward: np.ndarray   # (n,) 1.0 / 0.0; NaN = no review outcome
    weight: np.ndarray   # (n,) weight for the Beta update; 0 where no reward
    source: np.ndarray   # (n,) RewardSource codes


def text_keys(values) -> np.ndarray:
    """Per-ad optional strings as an object array with "" for None, ready for np.unique."""
    keys = np.array(values, dtype=object).reshape(-1)
    keys[np.equal(keys, None)] = ""
    return keys


def _lookup(name: str, values, table: dict[str, float | None], allow_empty: bool) -> np.ndarray:
    """Map per-ad strings through `table` (one lookup per distinct value); NaN for None entries."""
    keys = text_keys(values)
    if keys.size == 0:
        return np.zeros(0)
    distinct, inverse = np.unique(keys, return_inverse=True)
    mapped = np.empty(len(distinct))
    for index, key in enumerate(distinct):
        if key == "" and allow_empty:
            mapped[index] = np.nan
        elif key in table:
            mapped[index] = np.nan if table[key] is None else table[key]
        else:
            expected = sorted(table) + (["None"] if allow_empty else [])
            raise ValueError(f"{name}: unknown value {key!r}; expected one of {expected}")
    return mapped[inverse.reshape(-1)]


def review_rewards(*, human_status: Sequence[str | None], ai_status: Sequence[str],
                   meta_brand) -> ReviewRewards:
    """Rewards from review for each ad: the latest human decision, else the AI's status.

    `human_status`: the status the ad got from its latest human decision ("approved",
    "rejected"), None when no human decided. `ai_status`: the AI review's status (the ad
    statuses: approved, rejected, flagged, pending, generated, generation_failed,
    review_failed). `meta_brand`: per ad, whether its brand is Meta-connected (then the ad is
    an unlaunched one and its weight is scaled by UNLAUNCHED_FACTOR).
    """
    n = len(ai_status)
    if len(human_status) != n:
        raise ValueError("human_status and ai_status need one value per ad")
    meta = np.broadcast_to(np.asarray(meta_brand, dtype=bool), (n,))
    human = _lookup("human_status", human_status, HUMAN_DECISION_REWARD, allow_empty=True)
    ai = _lookup("ai_status", ai_status, AI_STATUS_REWARD, allow_empty=False)
    from_human = ~np.isnan(human)
    reward = np.where(from_human, human, ai)
    source = np.where(from_human, int(RewardSource.HUMAN_REVIEW),
                      np.where(np.isnan(ai), int(RewardSource.NONE), int(RewardSource.AI_REVIEW))).astype(np.int8)
    weight = np.select([source == RewardSource.HUMAN_REVIEW, source == RewardSource.AI_REVIEW],
                       [SOURCE_WEIGHT[RewardSource.HUMAN_REVIEW], SOURCE_WEIGHT[RewardSource.AI_REVIEW]], 0.0)
    weight = np.where(meta, weight * UNLAUNCHED_FACTOR, weight)
    return ReviewRewards(reward=reward, weight=weight, source=source)


def combine_rewards(performance_reward: np.ndarray, review: ReviewRewards,
                    launched) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(reward, weight, source) per ad: performance for launched ads, review for the others.

    A launched ad whose metrics have not matured has no reward yet (its review does not stand
    in: it is being measured).
    """
    launched = np.asarray(launched, dtype=bool)
    performance_reward = np.asarray(performance_reward, dtype=float)
    if launched.shape != performance_reward.shape or launched.shape != review.reward.shape:
        raise ValueError("performance rewards, review rewards and launched need one value per ad")
    has_performance = launched & ~np.isnan(performance_reward)
    reward = np.where(launched, performance_reward, review.reward)
    weight = np.where(launched, np.where(has_performance, SOURCE_WEIGHT[RewardSource.PERFORMANCE], 0.0),
                      review.weight)
    source = np.where(launched, np.where(has_performance, int(RewardSource.PERFORMANCE), int(RewardSource.NONE)),
                      review.source).astype(np.int8)
    return reward, weight, source
