"""The experiment decision rule (spec 12c) with honest stopping, over the arms' daily history.

Take it through `experiments.stats`. The rule looks once per day at the cumulative impressions
and clicks of the experiment's own dates (the caller passes one row per calendar day since the
start, zeros on a day without delivery) and gives a structured `Verdict` with its reasons.

Verdicts: "collecting" (the planned minimum sample is not reached yet), "running", "winner",
"futile" (no treatment arm can still win: every one has P(best) < 0.05), "inconclusive" (day 14
reached without a winner), "blocked" (a sample-ratio mismatch, p < 0.001 against the intended
split: no verdict can be trusted until delivery is explained). Per arm, P(best) < 0.05 after the
planned sample is a recommendation to pause that arm (`futile_arms`).

Honest stopping — why the A/A false-winner rate stays at or below 5 % by design:
1. The spec's test alone (P(best) > 0.90) is far too loose for daily looks: with two identical
   arms one look crosses it about 20 % of the time, and 6–12 counted daily looks on cumulative
   data 32–54 % of the time (bench/experiment_aa.py). P(best) > 0.90 stays
   a necessary condition, shown on the page, but it does not decide alone.
2. No look counts before every arm has its planned minimum impressions (`required_impressions`
   at planning time). Before that, P(best) is computed for the chart and decides nothing.
3. A winner must also beat every other arm pairwise: the exact posterior probability
   P(θ_winner > θ_j) ≥ q with q = 1 − α / (K · L), where α is `false_winner_target` (0.05),
   K the number of arms and L the number of looks that can count (max_days − first counted day
   + 1, fixed at that first counted look so the bar does not drift). Under identical arms, with
   the uniform prior and counts of this size, that posterior probability is, to a close
   approximation, one minus the one-sided p-value of the two-proportion z test; a false winner
   needs at least one of K · L such events (some arm beating one fixed other arm at some
   look), each of probability at most α / (K · L), so the union bound caps the false-winner
   rate at α — whatever the traffic and whichever day the planned sample is reached. The bound
   is conservative (looks on cumulative data are strongly correlated, and a winner must beat
   every arm, not one): the bench measures 1.5 % for two arms at 5,000 impressions per arm and
   day, 0.5 % at 20,000, 0 % for four arms.
4. The evidence is counted honestly: real daily CTRs swing more than binomial noise (an arm's
   delivery drifts between audiences and auctions), which makes binomial posteriors too narrow
   and inflates false winners (measured without the correction: 4–5.5 % with a 10 % arm-day
   CTR swing; with it, 3.1 %). Each look estimates the overdispersion φ ≥ 1 from the daily clicks against a
   day × arm model (`click_dispersion`: a day good for every arm is not noise) and divides the
   counts by φ before computing P(best) and the pairwise probabilities.
5. Delivery is counted honestly too. Arms run as ad sets with equal budgets, not as a random
   split of one audience: each arm's impressions are its spend at its own CPM, which moves from
   day to day and arm to arm (auction noise of several per cent), so the daily impression shares
   vary far more than a multinomial split would. Against raw counts the chi-square would call
   that a sample-ratio mismatch on nearly every day at tens of thousands of impressions. Each
   look therefore estimates the delivery overdispersion φ_d ≥ 1 the same way as for clicks
   (`click_dispersion` on each day's impressions against the day's total: an arm × day
   independence model) and divides the impressions by φ_d in the sample-ratio check only. An
   arm that is starved day after day still fails the check (a steady bias does not inflate φ_d);
   day-to-day spend noise does not.
The price is power: the bench reports it for a true 20 % relative lift at realistic traffic.
Futility stops never create a winner, so they do not spend α.

Monte Carlo draws are seeded per look (`numpy.random.default_rng([seed, day])`), so the verdict
of a given day is reproducible whatever else ran before.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from experiments.inference import (
    DEFAULT_DRAWS,
    DISPERSION_PRIOR_DF,
    SRM_P_THRESHOLD,
    SampleRatioCheck,
    click_dispersion,
    prob_b_beats_a,
    prob_best_with_error,
    sample_ratio_mismatch,
)

Status = Literal["collecting", "running", "winner", "futile", "inconclusive", "blocked"]
FINAL_STATUSES = frozenset({"winner", "futile", "inconclusive"})


@dataclass(frozen=True)
class DecisionRule:
    """The rule's parameters (spec 12c defaults). Probabilities are ratios in (0, 1)."""

    win_threshold: float = 0.90          # P(best) must exceed this (necessary, spec)
    futility_threshold: float = 0.05     # P(best) below this: recommend pausing the arm
    max_days: int = 14                   # inconclusive when reached without a winner
    false_winner_target: float = 0.05    # α spent over arms × counted looks (union bound)
    srm_p_threshold: float = SRM_P_THRESHOLD
    draws: int = DEFAULT_DRAWS
    # Pseudo degrees of freedom shrinking the overdispersion factor φ towards 1; None: assume
    # binomial noise (φ = 1) whatever the daily data show.
    dispersion_prior_df: float | None = DISPERSION_PRIOR_DF
    # The same for the daily impression shares in the sample-ratio check (point 5); None: the
    # split is taken as a multinomial draw (φ_d = 1), as in a randomised audience split.
    delivery_dispersion_prior_df: float | None = DISPERSION_PRIOR_DF

    def pairwise_required(self, arms: int, looks_allowed: int) -> float:
        """q = 1 − α / (K · L): the pairwise posterior probability a winner needs."""
        return 1.0 - self.false_winner_target / (arms * max(1, looks_allowed))


SHIPPED_RULE = DecisionRule()


@dataclass(frozen=True)
class Verdict:
    """What the rule says on `day` (1-based) about the cumulative data up to that day."""

    status: Status
    day: int
    final: bool                          # the experiment ends with this verdict
    winner: int | None
    leader: int                          # the arm with the highest P(best)
    prob_best: list[float]
    mc_error: list[float]                # Monte Carlo standard error of each P(best)
    pairwise: list[float | None]         # exact P(θ_leader > θ_j); None at the leader
    pairwise_required: float | None      # q; None before the first counted look
    dispersion: float                    # φ ≥ 1: clicks and impressions were divided by it
    counted_looks: int                   # looks so far that could decide (0 while collecting)
    looks_allowed: int | None            # L, fixed at the first counted look
    futile_arms: list[int]
    impressions: list[int]
    clicks: list[int]
    min_impressions: list[int]
    srm: SampleRatioCheck
    reasons: list[str] = field(default_factory=list)
    delivery_dispersion: float = 1.0     # φ_d ≥ 1: the sample-ratio check divided impressions by it


def _as_history(daily_impressions, daily_clicks) -> tuple[np.ndarray, np.ndarray]:
    impressions = np.asarray(daily_impressions, dtype=float)
    clicks = np.asarray(daily_clicks, dtype=float)
    if impressions.ndim != 2 or impressions.shape != clicks.shape:
        raise ValueError("daily impressions and clicks must be (days, arms) arrays of the same shape")
    days, arms = impressions.shape
    if days < 1 or arms < 2:
        raise ValueError("the history needs at least one day and two arms")
    if not (np.all(np.isfinite(impressions)) and np.all(np.isfinite(clicks))):
        raise ValueError("daily impressions and clicks must be finite")
    if np.any(impressions < 0) or np.any(clicks < 0) or np.any(clicks > impressions):
        raise ValueError("daily counts must be ≥ 0 with clicks ≤ impressions")
    if np.any(impressions != np.round(impressions)) or np.any(clicks != np.round(clicks)):
        raise ValueError("daily impressions and clicks are whole counts")
    return impressions.astype(np.int64), clicks.astype(np.int64)


def replay(daily_impressions, daily_clicks, *, min_impressions: int | Sequence[int], control: int = 0,
           intended_split: Sequence[float] | None = None, rule: DecisionRule = SHIPPED_RULE,
           seed: int = 0, stop_at_final: bool = True) -> list[Verdict]:
    """The verdict of every daily look, as the daily job saw it (stopping at the first final one).

    `daily_impressions`, `daily_clicks`: (days, arms) counts, day 1 first. `min_impressions`:
    the planned minimum per arm (one number for all arms, or one per arm).
    """
    impressions, clicks = _as_history(daily_impressions, daily_clicks)
    days, arms = impressions.shape
    if not 0 <= control < arms:
        raise ValueError("control must be the index of an arm")
    planned = np.broadcast_to(np.asarray(min_impressions, dtype=np.int64), (arms,)).copy()
    if np.any(planned < 0):
        raise ValueError("min_impressions must be ≥ 0")
    horizon = min(days, rule.max_days)
    cum_impressions = impressions[:horizon].cumsum(axis=0)
    cum_clicks = clicks[:horizon].cumsum(axis=0)
    reached = np.all(cum_impressions >= planned, axis=1)
    first_counted = int(np.argmax(reached)) if reached.any() else None  # 0-based day index
    looks_allowed = rule.max_days - first_counted if first_counted is not None else None
    verdicts = []
    for index in range(horizon):
        if rule.dispersion_prior_df is None:
            phi = 1.0
        else:
            phi = click_dispersion(impressions[:index + 1], clicks[:index + 1], prior_df=rule.dispersion_prior_df).phi
        phi_delivery = delivery_dispersion(impressions[:index + 1], rule.delivery_dispersion_prior_df)
        verdict = _look(index, cum_impressions[index], cum_clicks[index], phi, planned, first_counted,
                        looks_allowed, control, intended_split, rule, seed, phi_delivery)
        if index == horizon - 1 and days > rule.max_days:
            verdict.reasons.append(f"{days - rule.max_days} day(s) after day {rule.max_days} are ignored")
        verdicts.append(verdict)
        if stop_at_final and verdict.final:
            break
    return verdicts


def delivery_dispersion(daily_impressions: np.ndarray, prior_df: float | None) -> float:
    """φ_d ≥ 1 of the daily impression shares: `click_dispersion` with each arm's impressions as
    the counts and the day's total as every arm's exposure (expected = day total × arm share)."""
    if prior_df is None:
        return 1.0
    totals = np.repeat(daily_impressions.sum(axis=1, keepdims=True), daily_impressions.shape[1], axis=1)
    return click_dispersion(totals, daily_impressions, prior_df=prior_df).phi


def decide(daily_impressions, daily_clicks, *, min_impressions: int | Sequence[int], control: int = 0,
           intended_split: Sequence[float] | None = None, rule: DecisionRule = SHIPPED_RULE,
           seed: int = 0) -> Verdict:
    """The experiment's verdict now: the first final verdict of the history, else the latest look."""
    return replay(daily_impressions, daily_clicks, min_impressions=min_impressions, control=control,
                  intended_split=intended_split, rule=rule, seed=seed)[-1]


def _look(index: int, impressions: np.ndarray, clicks: np.ndarray, phi: float, planned: np.ndarray,
          first_counted: int | None, looks_allowed: int | None, control: int,
          intended_split: Sequence[float] | None, rule: DecisionRule, seed: int, phi_delivery: float = 1.0) -> Verdict:
    day, arms = index + 1, len(impressions)
    last_day = day >= rule.max_days
    srm = sample_ratio_mismatch(impressions / phi_delivery, intended_split, threshold=rule.srm_p_threshold)
    # The evidence the data really carry: counts divided by the overdispersion factor.
    best = prob_best_with_error(list(zip(clicks / phi, impressions / phi)), draws=rule.draws,
                                seed=np.random.default_rng([seed, day]))
    leader = int(np.argmax(best.p))
    alpha, beta = 1.0 + clicks / phi, 1.0 + (impressions - clicks) / phi
    pairwise = [None if arm == leader else prob_b_beats_a(alpha[arm], beta[arm], alpha[leader], beta[leader])
                for arm in range(arms)]
    counted = first_counted is not None and index >= first_counted
    required = rule.pairwise_required(arms, looks_allowed) if counted else None
    reasons: list[str] = []
    winner, futile_arms, status = None, [], "running"

    if srm.blocks:
        status = "blocked"
        reasons.append(f"sample-ratio mismatch: impressions {impressions.tolist()} against the intended "
                       f"split give p = {srm.p_value:.2g} < {rule.srm_p_threshold}; no verdict until "
                       "delivery is explained")
    elif not counted:
        short = [f"arm {arm}: {impressions[arm]:,} of {planned[arm]:,}" for arm in range(arms)
                 if impressions[arm] < planned[arm]]
        reasons.append("planned minimum impressions not reached (" + "; ".join(short) + "); no look counts yet")
        status = "inconclusive" if last_day else "collecting"
        if last_day:
            reasons.append(f"day {rule.max_days} reached without the planned sample")
    else:
        futile_arms = [arm for arm in range(arms) if best.p[arm] < rule.futility_threshold]
        beats_all = all(p is None or p >= required for p in pairwise)
        if best.p[leader] > rule.win_threshold and beats_all:
            status, winner = "winner", leader
            reasons.append(f"arm {leader}: P(best) {best.p[leader]:.3f} > {rule.win_threshold} and beats every "
                           f"other arm with posterior probability ≥ {required:.4f}")
        else:
            if best.p[leader] <= rule.win_threshold:
                reasons.append(f"leader arm {leader}: P(best) {best.p[leader]:.3f} ≤ {rule.win_threshold}")
            else:
                weakest = min(p for p in pairwise if p is not None)
                reasons.append(f"leader arm {leader}: P(best) {best.p[leader]:.3f} > {rule.win_threshold} but "
                               f"beats its closest rival with probability {weakest:.4f} < {required:.4f} "
                               f"(honest-stopping bar for {arms} arms × {looks_allowed} looks)")
            treatments = [arm for arm in range(arms) if arm != control]
            if all(arm in futile_arms for arm in treatments):
                status = "futile"
                reasons.append(f"every treatment arm has P(best) < {rule.futility_threshold}: none can still win")
            elif last_day:
                status = "inconclusive"
                reasons.append(f"day {rule.max_days} reached without a winner")
        for arm in futile_arms:
            if status not in ("futile", "winner"):
                reasons.append(f"arm {arm}: P(best) {best.p[arm]:.3f} < {rule.futility_threshold}; "
                               "recommend pausing it")
    if phi > 1.05:
        reasons.append(f"daily CTRs vary {phi:.2f}× more than binomial noise: the evidence counts as "
                       f"1/{phi:.2f} of the raw clicks and impressions")
    if phi_delivery > 1.05:
        reasons.append(f"daily delivery shares vary {phi_delivery:.1f}× more than a random split: the sample-ratio "
                       f"check counts 1/{phi_delivery:.1f} of the impressions")
    final = status in FINAL_STATUSES or (status == "blocked" and last_day)
    return Verdict(
        status=status, day=day, final=final, winner=winner, leader=leader, prob_best=best.p,
        mc_error=best.mc_error, pairwise=pairwise, pairwise_required=required, dispersion=phi,
        counted_looks=(index - first_counted + 1) if counted else 0,
        looks_allowed=looks_allowed if counted else None, futile_arms=futile_arms,
        impressions=impressions.tolist(), clicks=clicks.tolist(), min_impressions=planned.tolist(),
        srm=srm, reasons=reasons, delivery_dispersion=phi_delivery)
