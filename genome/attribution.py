"""Stratified attribution (spec 10.5): element effects compared within strata, never only pooled.

For one dimension and each of its values v, over the ads with a reward that carry the dimension:
- pooled effect: mean reward of the ads with v − mean reward of the ads with another value;
- within each stratum s where both sides are present, d_s = the same difference inside s;
- stratified effect: Σ w_s·d_s / Σ w_s with the Mantel-Haenszel weight for a difference,
  w_s = n1·n0 / (n1 + n0) (n1, n0: ads with v and with another value in s);
- reported only when at least 3 strata (`MIN_AGREEING_STRATA`) have d_s of the stratified
  effect's sign and they outnumber the strata of the opposite sign;
- Simpson's paradox flagged when the pooled and the stratified effects have opposite signs.
Every result is labelled "correlational": these are observational comparisons, not experiments.

Strata are whatever the caller passes (one key per ad); `stratum_keys` combines awareness stage
× audience × spend bucket × ISO week columns into one code, `spend_buckets` and `iso_week` help
build two of them. Units: effects are differences of rewards (reward units, in [−1, 1]).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from genome.rewards import text_keys

LABEL = "correlational"
MIN_AGREEING_STRATA = 3


@dataclass(frozen=True)
class ElementEffect:
    dimension: str
    value: str
    n_ads: int                       # ads with this value and a reward
    pooled_effect: float | None      # None: no ad with another value
    stratified_effect: float | None  # None: no stratum holds both sides
    strata_compared: int
    strata_agreeing: int
    strata_disagreeing: int
    reported: bool
    simpson: bool
    label: str = LABEL


def stratum_keys(*columns: Sequence) -> np.ndarray:
    """One int code per ad for the combination of its keys in every column (None is a key too)."""
    if not columns:
        raise ValueError("at least one stratum column is needed")
    codes = []
    for column in columns:
        keys = text_keys(column).astype(str)
        _, inverse = np.unique(keys, return_inverse=True)
        codes.append(inverse.reshape(-1))
    if len({len(c) for c in codes}) != 1:
        raise ValueError("every stratum column needs one key per ad")
    _, combined = np.unique(np.stack(codes, axis=1), axis=0, return_inverse=True)
    return combined.reshape(-1)


def spend_buckets(spend, edges: Sequence[float] | None = None, n_buckets: int = 3) -> np.ndarray:
    """Bucket index per ad: by the given currency `edges`, else by the ads' own spend quantiles."""
    spend = np.asarray(spend, dtype=float)
    if edges is None:
        edges = np.quantile(spend, np.linspace(0, 1, n_buckets + 1)[1:-1]) if len(spend) else []
    return np.digitize(spend, np.asarray(edges, dtype=float))


def iso_week(dates) -> np.ndarray:
    """ISO year·100 + ISO week per date (datetime64[D] or dates), e.g. 2025-01-01 → 202501."""
    days = np.asarray(dates, dtype="datetime64[D]").astype(np.int64)
    weekday = (days + 3) % 7                      # Monday = 0 (1970-01-01 was a Thursday)
    thursday = days - weekday + 3                 # the ISO year is the year of the week's Thursday
    year = thursday.astype("datetime64[D]").astype("datetime64[Y]")
    week = (thursday - year.astype("datetime64[D]").astype(np.int64)) // 7 + 1
    return (year.astype(np.int64) + 1970) * 100 + week


def stratified_effects(dimension: str, values: Sequence, reward, strata) -> list[ElementEffect]:
    """Effects of every value of one dimension (see the module doc), one entry per value."""
    reward = np.asarray(reward, dtype=float)
    keys = text_keys(values).astype(str)
    strata = np.asarray(strata).reshape(-1)
    if not (len(keys) == len(reward) == len(strata)):
        raise ValueError("values, reward and strata need one entry per ad")
    keep = ~np.isnan(reward) & (keys != "")
    names, v = np.unique(keys[keep], return_inverse=True)
    _, s = np.unique(strata[keep], return_inverse=True)
    v, s, r = v.reshape(-1), s.reshape(-1), reward[keep]
    n_values, n_strata = len(names), int(s.max()) + 1 if len(s) else 0
    cells = s * n_values + v
    count = np.bincount(cells, minlength=n_strata * n_values).reshape(n_strata, n_values).astype(float)
    total = np.bincount(cells, weights=r, minlength=n_strata * n_values).reshape(n_strata, n_values)
    rest_count = count.sum(axis=1, keepdims=True) - count
    rest_total = total.sum(axis=1, keepdims=True) - total
    both = (count > 0) & (rest_count > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        diff = np.where(both, total / count - rest_total / rest_count, 0.0)
        mh = np.where(both, count * rest_count / (count + rest_count), 0.0)
        weight_sum = mh.sum(axis=0)
        stratified = np.where(weight_sum > 0, (mh * diff).sum(axis=0) / weight_sum, np.nan)
        n_value, r_value = count.sum(axis=0), total.sum(axis=0)
        n_rest, r_rest = len(r) - n_value, r.sum() - r_value
        pooled = np.where(n_rest > 0, r_value / n_value - r_rest / n_rest, np.nan)
    sign = np.sign(stratified)
    agreeing = (both & (np.sign(diff) == sign) & (sign != 0)).sum(axis=0)
    disagreeing = (both & (np.sign(diff) == -sign) & (sign != 0)).sum(axis=0)
    compared = both.sum(axis=0)
    effects = []
    for index, name in enumerate(names):  # one per value of the dimension
        has_both = not (np.isnan(pooled[index]) or np.isnan(stratified[index]))
        effects.append(ElementEffect(
            dimension=dimension, value=str(name), n_ads=int(n_value[index]),
            pooled_effect=None if np.isnan(pooled[index]) else float(pooled[index]),
            stratified_effect=None if np.isnan(stratified[index]) else float(stratified[index]),
            strata_compared=int(compared[index]), strata_agreeing=int(agreeing[index]),
            strata_disagreeing=int(disagreeing[index]),
            reported=bool(agreeing[index] >= MIN_AGREEING_STRATA and agreeing[index] > disagreeing[index]),
            simpson=bool(has_both and np.sign(pooled[index]) * np.sign(stratified[index]) < 0)))
    return effects


def all_stratified_effects(tags: Mapping[str, Sequence], reward, strata) -> list[ElementEffect]:
    """`stratified_effects` for every dimension in `tags`."""
    return [effect for dimension, values in tags.items()
            for effect in stratified_effects(dimension, values, reward, strata)]
