"""pre_gen_score: the genome's prediction for an element combination, stored before generation.

The score is the plain mean, over the combination's dimensions that have evidence, of the
posterior mean α/(α+β) of that dimension's value — each one an estimate of P(reward ≥ 0.5) for
ads carrying the value, so the score is in the same unit: a probability of success in [0, 1]
(validation correlates it with the reward and with CTR, which is insensitive to the unit).
A value "has evidence" when its Beta carries more than the neutral Beta(1, 1) (α + β > 2:
the brand's rewards or a cold-start prior). Dimensions without evidence are left out, never
counted as 0.5; with no dimension left, the score is None (not measured).

Why a mean and not a naive-Bayes product of odds: the dimensions are far from independent
(visual style and template category are written from the same template; hooks follow personas),
and multiplying correlated odds overstates confidence; the mean stays within the range of its
parts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from genome.rewards import text_keys

ScoreLookup = Mapping[tuple[str, str], tuple[float, float]]
_NEUTRAL_EVIDENCE = 2.0


def pre_gen_score(combination: Mapping[str, object], scores: ScoreLookup) -> float | None:
    """Predicted P(success) for one ad's element tags, from {(dimension, value): (α, β)}."""
    means = []
    for dimension, value in combination.items():
        if value is None:
            continue
        ab = scores.get((str(dimension), str(value)))
        if ab is not None and ab[0] + ab[1] > _NEUTRAL_EVIDENCE:
            means.append(ab[0] / (ab[0] + ab[1]))
    return float(np.mean(means)) if means else None


def pre_gen_scores(tags: Mapping[str, Sequence], scores: ScoreLookup) -> np.ndarray:
    """The same for many ads: dimension → per-ad values; NaN where no dimension has evidence."""
    n = len(next(iter(tags.values()))) if tags else 0
    total, count = np.zeros(n), np.zeros(n)
    for dimension, values in tags.items():  # dimensions, each vectorised over ads
        keys = text_keys(values).astype(str)
        if len(keys) != n:
            raise ValueError(f"tags[{dimension!r}] has {len(keys)} values for {n} ads")
        distinct, inverse = np.unique(keys, return_inverse=True)
        mean = np.full(len(distinct), np.nan)
        for index, value in enumerate(distinct):
            ab = scores.get((str(dimension), value)) if value != "" else None
            if ab is not None and ab[0] + ab[1] > _NEUTRAL_EVIDENCE:
                mean[index] = ab[0] / (ab[0] + ab[1])
        per_ad = mean[inverse.reshape(-1)]
        known = ~np.isnan(per_ad)
        total[known] += per_ad[known]
        count[known] += 1
    return np.divide(total, count, out=np.full(n, np.nan), where=count > 0)
