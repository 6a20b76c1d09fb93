"""Campaign objectives and the reward weights per objective (spec 10.3, P1-4, Non-Meta mode).

Meta reports a campaign's objective either in the legacy vocabulary (CONVERSIONS, LINK_CLICKS,
BRAND_AWARENESS …, still returned for campaigns created before Marketing API v17) or in the
outcome-driven one (OUTCOME_SALES, OUTCOME_TRAFFIC …). `normalise_objective` folds both into
one of seven `Objective`s; anything else — missing, misspelt, a future value — is UNKNOWN, which
has its own (equal) weights, never a guess.

Metrics (`METRICS`, the column order of every per-ad metric array in `genome.rewards`):
- ctr: clicks / impressions;
- conversion_rate: conversions / clicks (the objective's result action: purchases for SALES,
  leads for LEADS, installs for APP_PROMOTION — whatever the sync stores as conversions);
- roas: conversion_value / spend;
- cpm: spend / impressions × 1,000 (currency per 1,000 impressions), lower is better;
- cpc: spend / clicks (currency per click), lower is better.

Weights (each objective's weights sum to 1; a metric with weight 0 never contributes):
| objective     | ctr  | conversion_rate | roas | cpm (inverted) |
| SALES         | 0.2  | 0.3             | 0.5  | —              |  spec 10.3 (CONVERSIONS)
| TRAFFIC       | 0.7  | 0.1             | 0.2  | —              |  spec 10.3
| AWARENESS     | 0.5  | —               | —    | 0.5            |  spec 10.3 (BRAND_AWARENESS)
| LEADS         | 0.3  | 0.7             | —    | —              |  ours: a lead is the conversion, and
|               |      |                 |      |                |  lead forms carry no purchase value
| APP_PROMOTION | 0.3  | 0.7             | —    | —              |  ours: the install is the conversion
| ENGAGEMENT    | 0.7  | —               | —    | 0.3            |  ours: the stored signal of engagement
|               |      |                 |      |                |  is the click; CPM prices the attention
| UNKNOWN       | 1/3  | 1/3             | 1/3  | —              |  spec (Non-Meta mode: equal weights)
Level-1 cold start (genome.coldstart) uses `PROXY_WEIGHTS` instead, whatever the objective:
ctr 0.5 and inverted cpc 0.5 — the metrics that exist before conversions do.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import IntEnum

import numpy as np


class Objective(IntEnum):
    """Normalised campaign objective; the integer is the code used in per-ad arrays."""

    UNKNOWN = 0
    SALES = 1
    TRAFFIC = 2
    AWARENESS = 3
    ENGAGEMENT = 4
    LEADS = 5
    APP_PROMOTION = 6


METRICS: tuple[str, ...] = ("ctr", "conversion_rate", "roas", "cpm", "cpc")
LOWER_IS_BETTER: frozenset[str] = frozenset({"cpm", "cpc"})

_META_OBJECTIVES: dict[str, Objective] = {
    # Outcome-driven (ODAX, Marketing API ≥ v17) and the normalised names themselves.
    "OUTCOME_SALES": Objective.SALES, "OUTCOME_TRAFFIC": Objective.TRAFFIC,
    "OUTCOME_AWARENESS": Objective.AWARENESS, "OUTCOME_ENGAGEMENT": Objective.ENGAGEMENT,
    "OUTCOME_LEADS": Objective.LEADS, "OUTCOME_APP_PROMOTION": Objective.APP_PROMOTION,
    **{objective.name: objective for objective in Objective},
    # Legacy objectives, folded as Meta's own guide to the simplified objectives does.
    "CONVERSIONS": Objective.SALES, "PRODUCT_CATALOG_SALES": Objective.SALES,
    "OFFSITE_CONVERSIONS": Objective.SALES,
    "LINK_CLICKS": Objective.TRAFFIC,
    "BRAND_AWARENESS": Objective.AWARENESS, "REACH": Objective.AWARENESS,
    "LOCAL_AWARENESS": Objective.AWARENESS, "STORE_VISITS": Objective.AWARENESS,
    "POST_ENGAGEMENT": Objective.ENGAGEMENT, "PAGE_LIKES": Objective.ENGAGEMENT,
    "EVENT_RESPONSES": Objective.ENGAGEMENT, "VIDEO_VIEWS": Objective.ENGAGEMENT,
    "MESSAGES": Objective.ENGAGEMENT, "OFFER_CLAIMS": Objective.ENGAGEMENT,
    "LEAD_GENERATION": Objective.LEADS,
    "APP_INSTALLS": Objective.APP_PROMOTION, "MOBILE_APP_INSTALLS": Objective.APP_PROMOTION,
}


def normalise_objective(raw: str | None) -> Objective:
    """One Meta objective string (any case, legacy or outcome-driven) → `Objective`; else UNKNOWN."""
    if not isinstance(raw, str):
        return Objective.UNKNOWN
    return _META_OBJECTIVES.get(raw.strip().upper(), Objective.UNKNOWN)


def objective_codes(raws: Iterable[str | None]) -> np.ndarray:
    """Per-ad objective strings → an int8 array of `Objective` codes (one lookup per distinct value)."""
    keys = np.array(list(raws) if not isinstance(raws, np.ndarray) else raws, dtype=object).reshape(-1)
    if keys.size == 0:
        return np.zeros(0, dtype=np.int8)
    keys[np.equal(keys, None)] = ""
    distinct, inverse = np.unique(keys.astype(str), return_inverse=True)
    codes = np.array([int(normalise_objective(v)) for v in distinct], dtype=np.int8)
    return codes[inverse.reshape(-1)]


def _row(**weights: float) -> list[float]:
    return [float(weights.get(metric, 0.0)) for metric in METRICS]


# (objectives, metrics) matrix: REWARD_WEIGHTS[objective code, metric index].
REWARD_WEIGHTS: np.ndarray = np.array([
    _row(ctr=1 / 3, conversion_rate=1 / 3, roas=1 / 3),          # UNKNOWN (and non-Meta brands)
    _row(ctr=0.2, conversion_rate=0.3, roas=0.5),                # SALES
    _row(ctr=0.7, conversion_rate=0.1, roas=0.2),                # TRAFFIC
    _row(ctr=0.5, cpm=0.5),                                      # AWARENESS
    _row(ctr=0.7, cpm=0.3),                                      # ENGAGEMENT
    _row(ctr=0.3, conversion_rate=0.7),                          # LEADS
    _row(ctr=0.3, conversion_rate=0.7),                          # APP_PROMOTION
])
REWARD_WEIGHTS.setflags(write=False)

PROXY_WEIGHTS: np.ndarray = np.array(_row(ctr=0.5, cpc=0.5))
PROXY_WEIGHTS.setflags(write=False)


def reward_weights(objective: Objective | str | None) -> dict[str, float]:
    """The weights of one objective (a normalised `Objective` or any Meta string) as {metric: weight}."""
    code = objective if isinstance(objective, Objective) else normalise_objective(objective)
    return {metric: float(w) for metric, w in zip(METRICS, REWARD_WEIGHTS[code]) if w > 0}
