"""Cold start (spec 10.6): the level of a brand's genome and the priors it leans on.

Levels, by the brand's days of data (distinct days with performance data for a Meta brand,
with review decisions for a non-Meta brand):
| level | days   | rewards                          | element scores                          |
| 0     | 0      | none                             | the category priors (or neutral)        |
| 1     | 1–13   | proxy metrics only: ctr, cpc     | brand evidence + the full prior (λ = 1) |
| 2     | 14–29  | the objective's weights          | brand evidence + λ·prior, λ = (30 − days)/16, |
|       |        |                                  | from 1 at day 14 down to 1/16 at day 29 |
| 3     | 30+    | the objective's weights          | brand evidence only (λ = 0)             |
(The spec's "days 1–14" and "14–30" overlap at the edges: day 14 starts level 2, day 30 level 3.)
The blend is on pseudo-counts (see `genome.beta`), so the prior fades continuously into the
brand's own evidence rather than switching at a boundary.

Level-0 priors come from the organization's *other* brands of the same category, never from
another organization: per (dimension, value), their evidence is summed and shrunk by 0.3,

    α_prior = 1 + 0.3 · Σ_b (α_b − 1),   β_prior = 1 + 0.3 · Σ_b (β_b − 1)

i.e. α_prior = 1 + 0.3·(α_agg − 1) with α_agg = 1 + Σ(α_b − 1), the aggregated Beta of the
brands' brand-wide scores over the neutral Beta(1, 1). A value no such brand has scored — or a
brand without a category, or the organization's only brand — gets the neutral Beta(1, 1).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from genome.beta import NEUTRAL_PRIOR
from genome.rewards import text_keys

SHRINKAGE = 0.3
LEVEL_2_FROM_DAY = 14
LEVEL_3_FROM_DAY = 30


def coldstart_level(days_of_data):
    """Level 0–3 for a number of days (an int gives an int, an array gives an int array)."""
    days = np.asarray(days_of_data)
    if np.any(days < 0):
        raise ValueError("days of data must be ≥ 0")
    level = np.select([days >= LEVEL_3_FROM_DAY, days >= LEVEL_2_FROM_DAY, days >= 1], [3, 2, 1], 0)
    return int(level) if level.ndim == 0 else level.astype(np.int8)


def prior_weight(days_of_data):
    """λ: the weight of the category prior in the element scores (1 → 0 across level 2)."""
    days = np.asarray(days_of_data, dtype=float)
    if np.any(days < 0):
        raise ValueError("days of data must be ≥ 0")
    span = LEVEL_3_FROM_DAY - LEVEL_2_FROM_DAY
    weight = np.clip((LEVEL_3_FROM_DAY - days) / span, 0.0, 1.0)
    return float(weight) if weight.ndim == 0 else weight


def uses_proxy_metrics(level) -> bool | np.ndarray:
    """Level 1 scores ads on the proxy metrics (ctr, cpc) only."""
    level = np.asarray(level)
    result = level == 1
    return bool(result) if result.ndim == 0 else result


@dataclass(frozen=True)
class ColdStart:
    level: int
    prior_weight: float
    proxy_only: bool
    note: str


_NOTES = {
    0: "no data yet: scores are the organization's category priors (or neutral)",
    1: "first two weeks: rewards from CTR and CPC only, scores lean fully on the category priors",
    2: "weeks 3–4: the brand's own evidence blended with the fading category priors",
    3: "30+ days of data: the brand's own Creative Genome",
}


def coldstart(days_of_data: int) -> ColdStart:
    """Everything the genome update and the pages need to know about a brand's cold-start state."""
    level = coldstart_level(int(days_of_data))
    return ColdStart(level=level, prior_weight=prior_weight(days_of_data), proxy_only=level == 1,
                     note=_NOTES[level])


@dataclass(frozen=True)
class PriorTable:
    """Category priors per (dimension, value), all (R,) arrays."""

    dimension: np.ndarray
    value: np.ndarray
    alpha: np.ndarray
    beta: np.ndarray
    brands: np.ndarray     # how many other brands contributed

    def as_mapping(self) -> dict[tuple[str, str], tuple[float, float]]:
        """{(dimension, value): (α, β)}, the `priors` argument of `genome.beta.score_elements`."""
        return {(str(d), str(v)): (float(a), float(b))
                for d, v, a, b in zip(self.dimension, self.value, self.alpha, self.beta)}


def category_priors(*, dimension: Sequence[str], value: Sequence, alpha, beta, row_brand: Sequence,
                    row_organization: Sequence, row_category: Sequence, brand, organization,
                    category: str | None, shrinkage: float = SHRINKAGE) -> PriorTable:
    """Level-0 priors for `brand` from brand-wide score rows of any brands.

    Each row is one brand-wide element score (dimension, value, α, β) of `row_brand`, which
    belongs to `row_organization` and has `row_category`. Only rows of the same organization
    and category and another brand count; rows of any other organization are ignored here,
    whatever the caller passed.
    """
    if not 0 <= shrinkage <= 1:
        raise ValueError("shrinkage is in [0, 1]")
    alpha, beta = np.asarray(alpha, dtype=float), np.asarray(beta, dtype=float)
    n = len(alpha)
    columns = [text_keys(c).astype(str) for c in (dimension, value, row_brand, row_organization, row_category)]
    if any(len(c) != n for c in columns) or beta.shape != (n,):
        raise ValueError("every score-row column needs one value per row")
    dims, vals, brands, orgs, cats = columns
    a0, b0 = NEUTRAL_PRIOR
    if np.any(alpha < a0) or np.any(beta < b0):
        raise ValueError("score rows must include the neutral Beta(1, 1) (α ≥ 1, β ≥ 1)")
    same = (orgs == str(organization)) & (brands != str(brand))
    same &= (cats == str(category)) if category not in (None, "") else np.zeros(n, bool)
    keys = np.char.add(np.char.add(dims[same], "\x1f"), vals[same]) if same.any() else np.zeros(0, str)
    cells, cell = np.unique(keys, return_inverse=True)
    cell = cell.reshape(-1)
    evidence_a = np.bincount(cell, weights=alpha[same] - a0, minlength=len(cells))
    evidence_b = np.bincount(cell, weights=beta[same] - b0, minlength=len(cells))
    contributors = np.bincount(cell, minlength=len(cells))
    split = [str(c).split("\x1f", 1) for c in cells]  # one per (dimension, value), not per ad
    return PriorTable(dimension=np.array([d for d, _ in split], dtype=object),
                      value=np.array([v for _, v in split], dtype=object),
                      alpha=a0 + shrinkage * evidence_a, beta=b0 + shrinkage * evidence_b,
                      brands=contributors.astype(np.int64))
