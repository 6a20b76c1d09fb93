"""The staged-review decision (spec 6a, P2-1) as pure functions: no Django, no providers.

Statuses: approved / rejected / flagged / review_failed. Fail closed: every path that did not
get a complete, readable answer ends in review_failed, and nothing here can approve an ad
without a stage-2 verdict computed from real scores.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Literal

Verdict = Literal["approve", "borderline", "reject"]
Status = Literal["approved", "rejected", "flagged", "review_failed"]
# Which rule decided an ad's status: a stage-1 defect, a check below its auto-reject floor, the
# weighted score against the pass threshold, the second opinion (OR logic), both reviewers
# borderline, or a review that could not finish.
Rule = Literal["defect", "floor", "pass_threshold", "below_threshold", "second_opinion", "both_borderline",
               "review_error"]

CHECKS: tuple[str, ...] = ("V1", "V2", "V3", "V4", "V5", "V6", "V7", "V8", "V9", "C1", "C2", "C3", "C4", "G1", "G2")


@dataclass(frozen=True)
class ScoringConfig:
    """The numbers of one QualityScoringConfig version."""

    weights: dict[str, float]
    pass_threshold: float = 7.0
    borderline_low: float = 5.0
    borderline_high: float = 7.0
    # check → floor: a measured score below its floor rejects the ad whatever the average.
    auto_reject: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for check, weight in self.weights.items():
            if check not in CHECKS:
                raise ValueError(f"unknown check {check!r}")
            if not (isinstance(weight, (int, float)) and math.isfinite(weight) and weight >= 0):
                raise ValueError(f"weight of {check} must be a finite number >= 0, got {weight!r}")
        if not 0 <= self.borderline_low <= self.borderline_high <= 10:
            raise ValueError("borderline band must satisfy 0 <= low <= high <= 10")
        if not 0 <= self.pass_threshold <= 10:
            raise ValueError("pass_threshold must be within 0..10")
        for check in self.auto_reject:
            if check not in CHECKS:
                raise ValueError(f"unknown auto-reject check {check!r}")


@dataclass(frozen=True)
class ReviewerOpinion:
    verdict: Verdict
    weighted_score: float
    measured_checks: int
    in_band: list[str]
    below_floor: list[str]


class UnusableScores(ValueError):
    """The scores cannot support a decision (missing checks, nothing measured)."""


def weighted_score(scores: dict[str, float | None], weights: dict[str, float]) -> tuple[float, int]:
    """Σ w·s / Σ w over the checks that were measured; unmeasured checks are left out."""
    missing = [check for check in CHECKS if check not in scores]
    if missing:
        raise UnusableScores(f"rubric answer lacks checks {missing}")
    total = weight_sum = 0.0
    measured = 0
    for check in CHECKS:
        score = scores[check]
        if score is None:
            continue
        if not (isinstance(score, (int, float)) and math.isfinite(score) and 0 <= score <= 10):
            raise UnusableScores(f"{check} score {score!r} is not within 0..10")
        measured += 1
        weight = weights.get(check, 0.0)
        total += weight * score
        weight_sum += weight
    if measured == 0 or weight_sum == 0:
        raise UnusableScores("no weighted check was measured")
    return total / weight_sum, measured


def opinion(scores: dict[str, float | None], config: ScoringConfig) -> ReviewerOpinion:
    score, measured = weighted_score(scores, config.weights)
    in_band = [c for c in CHECKS if scores[c] is not None and config.borderline_low <= scores[c] <= config.borderline_high]
    below_floor = [c for c, floor in config.auto_reject.items() if scores.get(c) is not None and scores[c] < floor]
    if below_floor:
        verdict: Verdict = "reject"
    elif score >= config.pass_threshold:
        verdict = "approve"
    elif score >= config.borderline_low:
        verdict = "borderline"
    else:
        verdict = "reject"
    return ReviewerOpinion(verdict, round(score, 4), measured, in_band, below_floor)


def needs_second_opinion(first: ReviewerOpinion) -> bool:
    """Stage 3 runs only when stage 2 is borderline: a check inside the band, or a weighted
    score between the band's floor and the pass threshold. An auto-reject floor is final."""
    if first.below_floor:
        return False
    return bool(first.in_band) or first.verdict == "borderline"


def combine(first: ReviewerOpinion, second: ReviewerOpinion | None) -> Status:
    """OR logic (spec 6a): either reviewer approving approves; flagged only when both are
    borderline (P2-1); anything else rejects."""
    if second is None:
        return "approved" if first.verdict == "approve" else "rejected"
    if first.below_floor:
        return "rejected"
    if "approve" in (first.verdict, second.verdict) and not second.below_floor:
        return "approved"
    if first.verdict == "borderline" and second.verdict == "borderline":
        return "flagged"
    return "rejected"


@dataclass(frozen=True)
class Decision:
    """The status and the one rule that decided it, with what a person needs to see why:
    the check or defect (`code`), its score against the limit it missed or met, a sentence."""

    status: Status
    rule: Rule
    stage: int
    code: str = ""
    score: float | None = None
    limit: float | None = None
    reason: str = ""
    region: tuple[float, float, float, float] | None = None

    def as_json(self) -> dict:
        return {"status": self.status, "rule": self.rule, "stage": self.stage, "code": self.code, "score": self.score,
                "limit": self.limit, "reason": self.reason, "region": list(self.region) if self.region else None}


def _lowest_floor_miss(op: ReviewerOpinion, scores: dict[str, float | None], config: ScoringConfig) -> tuple[str, float, float]:
    """The floor breach that decided: the one furthest below its floor."""
    check = min(op.below_floor, key=lambda c: (scores[c] - config.auto_reject[c], CHECKS.index(c)))
    return check, scores[check], config.auto_reject[check]


def _floor(op: ReviewerOpinion, scores, config: ScoringConfig, stage: int, who: str) -> Decision:
    check, score, floor = _lowest_floor_miss(op, scores, config)
    return Decision("rejected", "floor", stage, check, score, floor,
                    f"{who}{check} scored {score:.1f}, below its auto-reject floor of {floor:.1f}: rejected whatever "
                    f"the average ({op.weighted_score:.1f})")


def decide(first: ReviewerOpinion, second: ReviewerOpinion | None, *, config: ScoringConfig,
           first_scores: dict[str, float | None], second_scores: dict[str, float | None] | None = None) -> Decision:
    """`combine`, saying which rule decided. Its status is always `combine`'s."""
    status = combine(first, second)
    if first.below_floor:
        decision = _floor(first, first_scores, config, 2, "")
    elif second is None:
        rule: Rule = "pass_threshold" if status == "approved" else "below_threshold"
        relation = "at or above" if status == "approved" else "below"
        decision = Decision(status, rule, 2, "", first.weighted_score, config.pass_threshold,
                            f"Weighted score {first.weighted_score:.1f} is {relation} the pass threshold "
                            f"{config.pass_threshold:.1f}")
    elif status == "approved":
        approver = "first" if first.verdict == "approve" else "second"
        op = first if approver == "first" else second
        decision = Decision(status, "second_opinion" if approver == "second" else "pass_threshold", 3, "",
                            op.weighted_score, config.pass_threshold,
                            f"The {approver} reviewer approved ({op.weighted_score:.1f} ≥ {config.pass_threshold:.1f}); "
                            "either reviewer approving approves")
    elif status == "flagged":
        decision = Decision(status, "both_borderline", 3, "", second.weighted_score, config.pass_threshold,
                            f"Both reviewers were borderline ({first.weighted_score:.1f} and "
                            f"{second.weighted_score:.1f}, below the pass threshold {config.pass_threshold:.1f}): "
                            "a person decides")
    elif second.below_floor and second_scores is not None:
        decision = _floor(second, second_scores, config, 3, "Second opinion: ")
    else:
        low = min(first, second, key=lambda op: op.weighted_score)
        decision = Decision(status, "below_threshold", 3, "", low.weighted_score, config.borderline_low,
                            f"Neither reviewer approved ({first.weighted_score:.1f} and {second.weighted_score:.1f}, "
                            f"pass threshold {config.pass_threshold:.1f}) and not both were borderline")
    assert decision.status == status
    return decision


def defect_decision(defect: str, evidence: str, region) -> Decision:
    text = f"Defect scan found {defect}" + (f": {evidence}" if evidence else "")
    return Decision("rejected", "defect", 1, defect, None, None, text, tuple(region) if region else None)


def error_decision(stage: int, error: str) -> Decision:
    return Decision("review_failed", "review_error", stage, "", None, None,
                    f"The review could not finish ({error}): failed closed, never approved")


# --- human decisions on a decided ad --------------------------------------------------------

# A flag asks a person to decide; confirming it keeps the borderline ad, so it becomes approved.
CONFIRMED_STATUS: dict[str, str] = {"approved": "approved", "rejected": "rejected", "flagged": "approved"}
ACTION_STATUS: dict[str, str] = {"override_approve": "approved", "override_reject": "rejected"}


def status_after(action: str, ai_status: str) -> str | None:
    """The ad's status after a human action; None when the action means nothing here (confirming
    a review that failed: there is no AI decision to agree with)."""
    if action == "confirm":
        return CONFIRMED_STATUS.get(ai_status)
    return ACTION_STATUS.get(action)


def useful_actions(*, status: str, ai_status: str, human_decided: bool) -> list[str]:
    """The human actions that change something on this ad, in the order a card offers them.
    Confirm records agreement, so it is offered once (not after a human already decided); an
    approve or reject that leaves the status as it is, or repeats what Confirm would do, is not."""
    if not ai_status:
        return []
    actions = []
    confirmed = status_after("confirm", ai_status)
    if confirmed is not None and not human_decided:
        actions.append("confirm")
    for action in ("override_approve", "override_reject"):
        result = ACTION_STATUS[action]
        if result != status and not ("confirm" in actions and confirmed == result and status == ai_status):
            actions.append(action)
    return actions
