"""Winner criteria (spec 11, Non-Meta mode), pure: which ads qualify for winner evolution.

Meta-connected brands, from the ad's reward row as the last genome update computed it (so the
figures are the ad's data now, recomputed at every update, never frozen at maturity):
- at least `min_days` (7) days with data AND at least `min_impressions` (1,000) impressions;
- AND (reward ≥ `min_reward` (0.65) OR CTR in the top quartile OR ROAS in the top quartile of
  the brand's cohort). The cohort is the brand's launched ads that pass the first gate; a
  quartile needs at least `min_cohort` (8) of them with the metric measured — fewer, and that
  criterion is "not measured", never passed by default. CTR and ROAS are ratios (a CTR of
  1.2 % is 0.012; ROAS is conversion value / spend).
Brands without a Meta connection have no performance: an ad qualifies when it is approved —
by a human's decision or by the review (spec Non-Meta table: approval-only criteria).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np


@dataclass(frozen=True)
class WinnerCriteria:
    min_days: int = 7
    min_impressions: int = 1000
    min_reward: float = 0.65
    top_quantile: float = 0.75
    min_cohort: int = 8


DEFAULT_CRITERIA = WinnerCriteria()


@dataclass(frozen=True)
class AdEvidence:
    status: str                      # the ad's review status (approved, rejected …)
    meta_brand: bool
    reward: float | None = None
    reward_source: str | None = None  # genome RewardSource value; None: no reward row yet
    launched: bool = False
    days_with_data: int = 0
    impressions: int = 0
    ctr: float | None = None
    roas: float | None = None


@dataclass(frozen=True)
class WinnerCheck:
    qualifies: bool
    basis: Literal["performance", "approval"]
    reasons: list[str] = field(default_factory=list)
    days_with_data: int = 0
    impressions: int = 0
    reward: float | None = None
    ctr: float | None = None
    roas: float | None = None
    ctr_threshold: float | None = None   # the cohort's top-quartile cut; None: not measured
    roas_threshold: float | None = None


def in_cohort(days_with_data: int, impressions: int, launched: bool, criteria: WinnerCriteria = DEFAULT_CRITERIA) -> bool:
    return launched and days_with_data >= criteria.min_days and impressions >= criteria.min_impressions


def top_quartile_threshold(values: Sequence[float | None], criteria: WinnerCriteria = DEFAULT_CRITERIA) -> float | None:
    """The cohort's `top_quantile` cut of a metric, or None with too few measured values."""
    measured = np.array([v for v in values if v is not None and np.isfinite(v)], dtype=float)
    if len(measured) < criteria.min_cohort:
        return None
    return float(np.quantile(measured, criteria.top_quantile))


def winner_check(ad: AdEvidence, *, ctr_threshold: float | None, roas_threshold: float | None,
                 criteria: WinnerCriteria = DEFAULT_CRITERIA) -> WinnerCheck:
    if not ad.meta_brand:
        approved = ad.status == "approved"
        who = "a human" if ad.reward_source == "human_review" else "the review"
        reason = (f"approved by {who} (no Meta connection: approval-only criteria)" if approved
                  else f"not approved (status {ad.status}); without a Meta connection only approved ads qualify")
        return WinnerCheck(qualifies=approved, basis="approval", reasons=[reason], reward=ad.reward)
    reasons: list[str] = []
    if not ad.launched:
        reasons.append("no performance data: the ad has not run on Meta (or the genome has not been updated since)")
    matured = ad.days_with_data >= criteria.min_days and ad.impressions >= criteria.min_impressions
    if ad.launched and not matured:
        reasons.append(f"{ad.days_with_data} day(s) with data and {ad.impressions:,} impressions; at least "
                       f"{criteria.min_days} days and {criteria.min_impressions:,} impressions are needed")
    passes = []
    if ad.reward is not None and ad.reward >= criteria.min_reward:
        passes.append(f"reward {ad.reward:.2f} ≥ {criteria.min_reward:.2f}")
    if ad.ctr is not None and ctr_threshold is not None and ad.ctr >= ctr_threshold:
        passes.append(f"CTR {ad.ctr:.2%} in the brand's top quartile (≥ {ctr_threshold:.2%})")
    if ad.roas is not None and roas_threshold is not None and ad.roas >= roas_threshold:
        passes.append(f"ROAS {ad.roas:.2f} in the brand's top quartile (≥ {roas_threshold:.2f})")
    if ad.launched and matured and not passes:
        reward = "no reward yet" if ad.reward is None else f"reward {ad.reward:.2f} < {criteria.min_reward:.2f}"
        ctr = ("CTR quartile not measured (fewer than "
               f"{criteria.min_cohort} matured ads)" if ctr_threshold is None else
               f"CTR {'not measured' if ad.ctr is None else f'{ad.ctr:.2%}'} below the top quartile ({ctr_threshold:.2%})")
        roas = ("ROAS quartile not measured" if roas_threshold is None else
                f"ROAS {'not measured' if ad.roas is None else f'{ad.roas:.2f}'} below the top quartile "
                f"({roas_threshold:.2f})")
        reasons.append(f"{reward}; {ctr}; {roas}")
    qualifies = ad.launched and matured and bool(passes)
    if qualifies:
        reasons = [f"{ad.days_with_data} days and {ad.impressions:,} impressions of data; " + "; ".join(passes)]
    return WinnerCheck(qualifies=qualifies, basis="performance", reasons=reasons, days_with_data=ad.days_with_data,
                       impressions=ad.impressions, reward=ad.reward, ctr=ad.ctr, roas=ad.roas,
                       ctr_threshold=ctr_threshold, roas_threshold=roas_threshold)
