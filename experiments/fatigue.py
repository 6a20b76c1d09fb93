"""Reactive fatigue detection for the anti-fatigue refresh (spec 11c), pure (no Django).

A winner is fatiguing when its frequency is above 4.0 and its CTR fell more than 15 % week
over week. Both from cumulative counts over whole weeks (ratios of sums, never averages of
daily ratios):
- CTR of a week = Σ clicks / Σ impressions over its 7 days; the decline compares the last
  7 days with the 7 before (14 days of data needed);
- frequency: the sync stores one row per day, and daily reach does not add up (the same person
  seen on two days counts on both). Σ impressions / Σ daily reach is therefore a LOWER bound
  of the ad's cumulative frequency: when it exceeds the threshold the true frequency does too,
  so the trigger never fires on a guess. Reported as "at least" — it can miss real fatigue.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

FREQUENCY_THRESHOLD = 4.0
CTR_DECLINE_THRESHOLD = 0.15
WEEK = 7


@dataclass(frozen=True)
class FatigueCheck:
    fatigued: bool
    frequency_at_least: float | None  # None: no reach reported
    ctr_last_week: float | None
    ctr_previous_week: float | None
    ctr_decline: float | None        # 1 − last/previous; None: not measurable
    reasons: list[str]


def _week_ctr(days: Sequence[dict]) -> float | None:
    impressions = sum(d.get("impressions") or 0 for d in days)
    clicks = sum(d.get("clicks") or 0 for d in days)
    return clicks / impressions if impressions else None


def fatigue_check(days: Sequence[dict], *, frequency_threshold: float = FREQUENCY_THRESHOLD,
                  decline_threshold: float = CTR_DECLINE_THRESHOLD) -> FatigueCheck:
    """`days`: the ad's daily rows in date order, each with impressions, clicks and reach (None = not reported)."""
    reasons: list[str] = []
    with_reach = [d for d in days if d.get("reach")]
    frequency = (sum(d.get("impressions") or 0 for d in with_reach) / sum(d["reach"] for d in with_reach)
                 if with_reach else None)
    last, previous = list(days[-WEEK:]), list(days[-2 * WEEK:-WEEK])
    ctr_last = _week_ctr(last) if len(days) >= 2 * WEEK else None
    ctr_previous = _week_ctr(previous) if len(days) >= 2 * WEEK else None
    decline = 1 - ctr_last / ctr_previous if ctr_last is not None and ctr_previous else None
    if frequency is None:
        reasons.append("frequency not measured: no reach reported")
    elif frequency <= frequency_threshold:
        reasons.append(f"frequency at least {frequency:.2f}, not above {frequency_threshold:.1f}")
    if decline is None:
        reasons.append(f"week-over-week CTR not measured: {len(days)} day(s) of data, {2 * WEEK} needed")
    elif decline <= decline_threshold:
        reasons.append(f"CTR changed {-decline:+.1%} week over week (a fall of more than "
                       f"{decline_threshold:.0%} is needed)")
    fatigued = (frequency is not None and frequency > frequency_threshold
                and decline is not None and decline > decline_threshold)
    if fatigued:
        reasons = [f"frequency at least {frequency:.2f} > {frequency_threshold:.1f} and CTR down {decline:.1%} "
                   f"week over week (> {decline_threshold:.0%})"]
    return FatigueCheck(fatigued=fatigued, frequency_at_least=frequency, ctr_last_week=ctr_last,
                        ctr_previous_week=ctr_previous, ctr_decline=decline, reasons=reasons)
