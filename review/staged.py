"""The three review stages for one ad (spec 6a): defect scan → rubric → conditional second opinion.

No Django here: it takes judges and a scoring config, returns a ReviewOutcome with every
attempt recorded for the ledger. Fail closed: an error or an unreadable answer at any stage
ends in `review_failed`, never in an approval.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from adcreator.providers.base import ReviewRequest, VisionJudge
from adcreator.providers.calls import PendingCall, tracked_call
from adcreator.providers.retry import RetryPolicy
from review.decision import (
    CHECKS,
    Decision,
    ReviewerOpinion,
    ScoringConfig,
    Status,
    UnusableScores,
    decide,
    defect_decision,
    error_decision,
    needs_second_opinion,
    opinion,
)


@dataclass
class ReviewOutcome:
    status: Status
    stage_reached: int
    defect_scan: dict | None = None
    check_scores: dict[str, float | None] | None = None
    weighted_score: float | None = None
    first_opinion: dict | None = None
    second_opinion: dict | None = None
    error: str = ""
    calls: list[PendingCall] = field(default_factory=list)
    # The rule that decided; None only on outcomes built outside review_staged before it existed.
    decision: Decision | None = None

    def __post_init__(self) -> None:
        if self.decision is None and self.status == "review_failed":
            self.decision = error_decision(self.stage_reached, self.error or "no answer")

    def as_json(self) -> dict:
        return {
            "status": self.status, "stage_reached": self.stage_reached, "defect_scan": self.defect_scan,
            "check_scores": self.check_scores, "weighted_score": self.weighted_score,
            "first_opinion": self.first_opinion, "second_opinion": self.second_opinion, "error": self.error,
            "decision": self.decision.as_json() if self.decision else None,
        }


def _opinion_json(op: ReviewerOpinion, provider: str, model: str, scores: dict, checks=()) -> dict:
    """`checks`: the rubric's CheckScore answers, kept with their reasons and regions."""
    return {"verdict": op.verdict, "weighted_score": op.weighted_score, "measured_checks": op.measured_checks,
            "in_band": op.in_band, "below_floor": op.below_floor, "provider": provider, "model": model,
            "scores": scores, "checks": [c.model_dump(mode="json") for c in checks]}


def _with_check_reason(decision: Decision, checks) -> Decision:
    """A floor decision carries the floored check's own reason and region."""
    answer = next((c for c in checks if c.check == decision.code), None)
    if answer is None:
        return decision
    reason = decision.reason + (f" — {answer.reason}" if answer.reason else "")
    return replace(decision, reason=reason, region=tuple(answer.region) if answer.region else None)


def review_staged(*, request: ReviewRequest, config: ScoringConfig, judge: VisionJudge,
                  second_judge: VisionJudge, policy: RetryPolicy) -> ReviewOutcome:
    calls: list[PendingCall] = []

    # Stage 1: the cheap defect scan. Any defect rejects; an error fails the review.
    scan, error, attempts = tracked_call(lambda: judge.defect_scan(request), purpose="defect_scan",
                                         provider=judge.provider_name, model=judge.model_name, policy=policy)
    calls += attempts
    if scan is None:
        return ReviewOutcome("review_failed", 1, error=f"defect scan: {error}", calls=calls)
    defect_json = {"passed": not scan.has_critical_defect, "defects": scan.defects_found,
                   "findings": [f.model_dump() for f in scan.findings], "not_measured": list(scan.not_measured),
                   "provider": judge.provider_name, "model": scan.model or judge.model_name}
    found = {f.defect for f in scan.findings}
    if len(found) != 5:
        return ReviewOutcome("review_failed", 1, defect_json, error="defect scan answered incomplete findings",
                             calls=calls)
    if scan.has_critical_defect:
        worst = max((f for f in scan.findings if f.present), key=lambda f: f.confidence)
        return ReviewOutcome("rejected", 1, defect_json, calls=calls,
                             decision=defect_decision(worst.defect, worst.evidence, worst.region))

    # Stage 2: the 15-check rubric on one reviewer.
    rubric, error, attempts = tracked_call(lambda: judge.rubric_review(request), purpose="rubric_review",
                                           provider=judge.provider_name, model=judge.model_name, policy=policy)
    calls += attempts
    if rubric is None:
        return ReviewOutcome("review_failed", 2, defect_json, error=f"rubric review: {error}", calls=calls)
    scores = rubric.as_scores()
    try:
        first = opinion(scores, config)
    except UnusableScores as exc:
        return ReviewOutcome("review_failed", 2, defect_json, scores, error=f"rubric review: {exc}", calls=calls)
    check_scores = {check: scores[check] for check in CHECKS}
    first_json = _opinion_json(first, judge.provider_name, rubric.model or judge.model_name, check_scores,
                               rubric.checks)
    if not needs_second_opinion(first):
        decision = _with_check_reason(decide(first, None, config=config, first_scores=scores), rubric.checks)
        return ReviewOutcome(decision.status, 2, defect_json, check_scores, first.weighted_score, first_json,
                             calls=calls, decision=decision)

    # Stage 3: a second opinion on the other provider, OR logic.
    second_rubric, error, attempts = tracked_call(
        lambda: second_judge.rubric_review(request), purpose="second_opinion",
        provider=second_judge.provider_name, model=second_judge.model_name, policy=policy,
    )
    calls += attempts
    if second_rubric is None:
        return ReviewOutcome("review_failed", 3, defect_json, check_scores, first.weighted_score, first_json,
                             error=f"second opinion: {error}", calls=calls)
    second_scores = second_rubric.as_scores()
    try:
        second = opinion(second_scores, config)
    except UnusableScores as exc:
        return ReviewOutcome("review_failed", 3, defect_json, check_scores, first.weighted_score, first_json,
                             error=f"second opinion: {exc}", calls=calls)
    second_json = _opinion_json(second, second_judge.provider_name, second_rubric.model or second_judge.model_name,
                                {check: second_scores[check] for check in CHECKS}, second_rubric.checks)
    decision = decide(first, second, config=config, first_scores=scores, second_scores=second_scores)
    if decision.rule == "floor":
        decision = _with_check_reason(decision, second_rubric.checks if decision.stage == 3 else rubric.checks)
    return ReviewOutcome(decision.status, 3, defect_json, check_scores, first.weighted_score, first_json,
                         second_json, calls=calls, decision=decision)
