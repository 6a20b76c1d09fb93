"""Genome validation (spec 10.7): prediction accuracy and week-over-week drift of element scores.

- `prediction_accuracy(predicted, actual)`: Pearson and Spearman correlation over the ads where
  both are known (NaN/None pairs dropped). None — not 0 — when fewer than 3 pairs remain or either
  side does not vary: a correlation is then not measured. The spec's success metric is the
  correlation of pre_gen_score with CTR > 0.3 after 4+ weeks.
- `score_drift(previous, current)`: for every (dimension, value) in both weeks' element scores,
  the shift of the posterior mean, the total-variation distance ½∫|p − q| between the two Beta
  posteriors (in [0, 1]: 0 identical, 1 disjoint) and KL(current ‖ previous) in nats; values that
  appeared or disappeared are listed apart.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from scipy import special
from scipy import stats as sps

MIN_PAIRS = 3
_GRID = 2001
_TAIL = 1e-10


@dataclass(frozen=True)
class Correlation:
    pearson: float | None
    spearman: float | None
    n: int          # pairs used


def _floats(values) -> np.ndarray:
    """Per-ad numbers with None (not measured) as NaN."""
    out = np.array(values, dtype=object).reshape(-1)
    out[np.equal(out, None)] = np.nan
    return out.astype(float)


def prediction_accuracy(predicted, actual) -> Correlation:
    """Correlation of predictions with outcomes (e.g. pre_gen_score vs reward, or vs CTR)."""
    x, y = _floats(predicted), _floats(actual)
    if x.shape != y.shape:
        raise ValueError("predicted and actual need one value per ad")
    both = ~np.isnan(x) & ~np.isnan(y)
    x, y = x[both], y[both]
    n = len(x)
    if n < MIN_PAIRS or np.ptp(x) == 0 or np.ptp(y) == 0:
        return Correlation(None, None, n)
    return Correlation(pearson=float(np.corrcoef(x, y)[0, 1]), spearman=float(sps.spearmanr(x, y).statistic), n=n)


def beta_kl(alpha_p, beta_p, alpha_q, beta_q) -> np.ndarray:
    """KL(Beta(α_p, β_p) ‖ Beta(α_q, β_q)) in nats, closed form, vectorised."""
    ap, bp, aq, bq = (np.asarray(v, dtype=float) for v in (alpha_p, beta_p, alpha_q, beta_q))
    return (special.betaln(aq, bq) - special.betaln(ap, bp) + (ap - aq) * special.digamma(ap)
            + (bp - bq) * special.digamma(bp) + (aq - ap + bq - bp) * special.digamma(ap + bp))


def beta_total_variation(alpha_p, beta_p, alpha_q, beta_q) -> np.ndarray:
    """½∫|p − q| for pairs of Beta densities, by the trapezoid rule on a grid per pair that
    spans both distributions' central 1 − 2·10⁻¹⁰ mass (so narrow posteriors are resolved)."""
    ap, bp, aq, bq = (np.atleast_1d(np.asarray(v, dtype=float)) for v in (alpha_p, beta_p, alpha_q, beta_q))
    lo = np.minimum(sps.beta.ppf(_TAIL, ap, bp), sps.beta.ppf(_TAIL, aq, bq))
    hi = np.maximum(sps.beta.isf(_TAIL, ap, bp), sps.beta.isf(_TAIL, aq, bq))
    x = lo[:, None] + (hi - lo)[:, None] * np.linspace(0.0, 1.0, _GRID)[None, :]
    gap = np.abs(sps.beta.pdf(x, ap[:, None], bp[:, None]) - sps.beta.pdf(x, aq[:, None], bq[:, None]))
    gap = np.where(np.isfinite(gap), gap, 0.0)  # a density that is infinite at 0 or 1 (α or β < 1)
    return np.clip(0.5 * np.trapezoid(gap, x, axis=1), 0.0, 1.0)


@dataclass(frozen=True)
class ScoreDrift:
    keys: list[tuple[str, str]]          # (dimension, value) present in both weeks
    mean_shift: np.ndarray               # current mean − previous mean
    total_variation: np.ndarray
    kl: np.ndarray                       # KL(current ‖ previous), nats
    appeared: list[tuple[str, str]]
    disappeared: list[tuple[str, str]]

    def summary(self) -> dict:
        if not self.keys:
            return {"compared": 0, "max_abs_shift": None, "mean_abs_shift": None, "max_tv": None,
                    "mean_tv": None, "appeared": len(self.appeared), "disappeared": len(self.disappeared)}
        return {"compared": len(self.keys), "max_abs_shift": float(np.abs(self.mean_shift).max()),
                "mean_abs_shift": float(np.abs(self.mean_shift).mean()),
                "max_tv": float(self.total_variation.max()), "mean_tv": float(self.total_variation.mean()),
                "appeared": len(self.appeared), "disappeared": len(self.disappeared)}


def score_drift(previous: Mapping[tuple[str, str], tuple[float, float]],
                current: Mapping[tuple[str, str], tuple[float, float]]) -> ScoreDrift:
    """Drift between two weeks' {(dimension, value): (α, β)} lookups (`ElementScores.lookup()`)."""
    keys = sorted(set(previous) & set(current))
    prev = np.array([previous[k] for k in keys], dtype=float).reshape(-1, 2)
    curr = np.array([current[k] for k in keys], dtype=float).reshape(-1, 2)
    if len(keys):
        shift = curr[:, 0] / curr.sum(axis=1) - prev[:, 0] / prev.sum(axis=1)
        tv = beta_total_variation(curr[:, 0], curr[:, 1], prev[:, 0], prev[:, 1])
        kl = beta_kl(curr[:, 0], curr[:, 1], prev[:, 0], prev[:, 1])
    else:
        shift = tv = kl = np.zeros(0)
    return ScoreDrift(keys=keys, mean_shift=shift, total_variation=tv, kl=kl,
                      appeared=sorted(set(current) - set(previous)), disappeared=sorted(set(previous) - set(current)))
