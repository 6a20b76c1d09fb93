"""Element scores (spec 10.4): Beta(α, β) per (scope, dimension, value), rebuilt from rewards.

An ad counts for every dimension it is tagged with. A reward ≥ 0.5 is a success, below 0.5 a
failure (`SUCCESS_THRESHOLD`); each ad adds its weight (performance 1.0, review rewards less —
see `genome.rewards`), so a lower-weighted source adds fractional counts. Ads without a reward
(NaN) or with weight 0 add nothing. The table is rebuilt from all current rewards at every
update, so the update is idempotent.

    α = a0 + successes + λ·(α_prior − a0),  β = b0 + failures + λ·(β_prior − b0)

with the neutral base Beta(a0, b0) = Beta(1, 1), an optional prior per (dimension, value) (the
cold-start category priors, `genome.coldstart`) and its weight λ (`prior_weight`, 1 at levels
0–1, falling to 0 over level 2, 0 at level 3). Mean α/(α+β); the 90 % credible interval is the
equal-tailed one from scipy's beta.ppf.

Values are keyed as strings (UUIDs and integers are converted with str); None means "not
tagged" and is skipped. `scope` groups ads inside the call (e.g. product id, None for ads
without a product); call once with `scope=None` for the brand-wide rows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats as sps

from genome.rewards import text_keys

SUCCESS_THRESHOLD = 0.5
NEUTRAL_PRIOR = (1.0, 1.0)
CREDIBILITY = 0.90

PriorMapping = Mapping[tuple[str, str], tuple[float, float]]


def beta_summary(alpha, beta, credibility: float = CREDIBILITY) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(mean, ci_low, ci_high) of Beta(α, β) arrays; the interval is equal-tailed."""
    alpha, beta = np.asarray(alpha, dtype=float), np.asarray(beta, dtype=float)
    tail = (1 - credibility) / 2
    return alpha / (alpha + beta), sps.beta.ppf(tail, alpha, beta), sps.beta.ppf(1 - tail, alpha, beta)


@dataclass(frozen=True)
class ElementScores:
    """One row per (scope, dimension, value); all fields are (R,) arrays."""

    scope: np.ndarray        # the caller's scope key (object), None for the brand-wide call
    dimension: np.ndarray    # str
    value: np.ndarray        # str
    successes: np.ndarray    # weighted count of rewards ≥ 0.5
    failures: np.ndarray     # weighted count of rewards < 0.5
    n_ads: np.ndarray        # ads with a reward (unweighted): the API's "matured_ads"
    alpha: np.ndarray
    beta: np.ndarray
    mean: np.ndarray
    ci_low: np.ndarray
    ci_high: np.ndarray

    def __len__(self) -> int:
        return len(self.dimension)

    def rows(self) -> list[dict]:
        """Plain dicts for writing rows or answering the API."""
        return [{"scope": self.scope[i], "dimension": str(self.dimension[i]), "value": str(self.value[i]),
                 "alpha": float(self.alpha[i]), "beta": float(self.beta[i]), "mean": float(self.mean[i]),
                 "ci_low": float(self.ci_low[i]), "ci_high": float(self.ci_high[i]),
                 "matured_ads": int(self.n_ads[i]), "successes": float(self.successes[i]),
                 "failures": float(self.failures[i])} for i in range(len(self))]

    def lookup(self) -> dict[tuple[str, str], tuple[float, float]]:
        """{(dimension, value): (α, β)} — for one scope (raises if the table mixes scopes)."""
        if len({str(s) for s in self.scope}) > 1:
            raise ValueError("lookup() needs the rows of a single scope")
        return {(str(d), str(v)): (float(a), float(b))
                for d, v, a, b in zip(self.dimension, self.value, self.alpha, self.beta)}


def _scope_codes(scope, n: int) -> tuple[np.ndarray, np.ndarray]:
    if scope is None:
        return np.zeros(n, dtype=np.int64), np.array([None], dtype=object)
    original = np.array(scope, dtype=object).reshape(-1)
    if len(original) != n:
        raise ValueError("scope needs one key per ad")
    keys = text_keys(original).astype(str)
    _, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    labels = original[first]
    return inverse.reshape(-1), labels


def score_elements(tags: Mapping[str, Sequence], reward, *, weight=None, scope=None,
                   priors: PriorMapping | None = None, prior_weight: float = 1.0,
                   include_prior_only: bool = False, base_prior: tuple[float, float] = NEUTRAL_PRIOR,
                   credibility: float = CREDIBILITY) -> ElementScores:
    """Rebuild element scores from per-ad rewards.

    `tags`: dimension → per-ad values (None = not tagged), all of length n. `reward`: (n,) in
    [0, 1], NaN = no reward. `weight`: (n,) ≥ 0, default 1. `priors`: {(dimension, value):
    (α, β)} added with weight `prior_weight`. `include_prior_only` (brand-wide call only): also
    emit rows for prior values no rewarded ad carries yet.
    """
    reward = np.asarray(reward, dtype=float)
    n = len(reward)
    if reward.ndim != 1 or np.any((reward < 0) | (reward > 1)):
        raise ValueError("reward must be a per-ad array in [0, 1] (NaN = no reward)")
    weight = np.ones(n) if weight is None else np.asarray(weight, dtype=float)
    if weight.shape != (n,) or not np.all(np.isfinite(weight)) or np.any(weight < 0):
        raise ValueError("weight needs one finite value ≥ 0 per ad")
    if not 0 <= prior_weight <= 1:
        raise ValueError("prior_weight is in [0, 1]")
    if include_prior_only and scope is not None:
        raise ValueError("include_prior_only is for the brand-wide call (scope=None)")
    priors = {(str(d), str(v)): ab for (d, v), ab in (priors or {}).items()}
    scope_code, scope_labels = _scope_codes(scope, n)
    rewarded = ~np.isnan(reward) & (weight > 0)
    success = np.where(rewarded, reward >= SUCCESS_THRESHOLD, False)

    parts = []
    for dimension, values in tags.items():  # ~a dozen dimensions; each one vectorised over ads
        keys = text_keys(values).astype(str)
        if len(keys) != n:
            raise ValueError(f"tags[{dimension!r}] has {len(keys)} values for {n} ads")
        keep = rewarded & (keys != "")
        value_names, value_code = np.unique(keys[keep], return_inverse=True)
        combined = scope_code[keep] * max(1, len(value_names)) + value_code.reshape(-1)
        cells, cell = np.unique(combined, return_inverse=True)
        w = weight[keep]
        parts.append((
            np.full(len(cells), dimension, dtype=object),
            scope_labels[cells // max(1, len(value_names))],
            value_names[cells % max(1, len(value_names))].astype(object),
            np.bincount(cell, weights=w * success[keep], minlength=len(cells)),
            np.bincount(cell, weights=w * ~success[keep], minlength=len(cells)),
            np.bincount(cell, minlength=len(cells)),
        ))
    dims, scopes, vals, succ, fail, count = (
        [np.concatenate([p[i] for p in parts]) if parts else np.zeros(0) for i in range(6)])
    dims, scopes, vals = (np.asarray(a, dtype=object) for a in (dims, scopes, vals))

    if include_prior_only and priors:
        present = set(zip(dims.tolist(), vals.tolist()))
        extra = [key for key in priors if key not in present and key[0] in tags]
        if extra:
            dims = np.concatenate([dims, np.array([d for d, _ in extra], dtype=object)])
            vals = np.concatenate([vals, np.array([v for _, v in extra], dtype=object)])
            scopes = np.concatenate([scopes, np.full(len(extra), None, dtype=object)])
            succ, fail = np.concatenate([succ, np.zeros(len(extra))]), np.concatenate([fail, np.zeros(len(extra))])
            count = np.concatenate([count, np.zeros(len(extra), dtype=np.int64)])

    a0, b0 = base_prior
    prior_a = np.full(len(dims), a0)
    prior_b = np.full(len(dims), b0)
    if priors:
        for row, key in enumerate(zip(dims.tolist(), vals.tolist())):  # rows, not ads
            if key in priors:
                prior_a[row], prior_b[row] = priors[key]
    alpha = a0 + succ + prior_weight * (prior_a - a0)
    beta = b0 + fail + prior_weight * (prior_b - b0)
    mean, low, high = beta_summary(alpha, beta, credibility)
    order = np.lexsort((vals.astype(str), dims.astype(str), np.array([str(s) for s in scopes]))) if len(dims) else []
    return ElementScores(scope=scopes[order], dimension=dims[order], value=vals[order],
                         successes=succ[order], failures=fail[order], n_ads=count[order].astype(np.int64),
                         alpha=alpha[order], beta=beta[order], mean=mean[order], ci_low=low[order],
                         ci_high=high[order])
