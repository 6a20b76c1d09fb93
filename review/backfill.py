"""Reasons for ads reviewed before reasons were stored, rebuilt from their stored review (pure).

The stored review holds the defect findings with their evidence, each reviewer's opinion and
scores, and the config version it used, so the deciding rule can be computed again exactly as
review.decision.decide computes it. The checks' own sentences were not kept then: those
findings get an empty reason, never a made-up one. A review whose rebuilt status disagrees with
the stored one (numbers that no longer match) is left without a decision rather than guessed.
"""

from __future__ import annotations

from review.decision import CHECKS, Decision, ReviewerOpinion, ScoringConfig, decide, defect_decision, error_decision


def _opinion(data: dict) -> ReviewerOpinion:
    return ReviewerOpinion(data["verdict"], float(data["weighted_score"]), int(data["measured_checks"]),
                           list(data.get("in_band") or []), list(data.get("below_floor") or []))


def _failed(check: str, score, config: ScoringConfig) -> bool:
    return score is not None and (score < config.borderline_low or score < config.auto_reject.get(check, -1.0))


def rebuild(review: dict, config: ScoringConfig | None) -> tuple[Decision | None, list[dict]]:
    """(the decision, the findings as AdReviewFinding field dicts) of one stored review."""
    status, stage = review.get("status"), int(review.get("stage_reached") or 0)
    scan = review.get("defect_scan") or {}
    present = [f for f in scan.get("findings") or [] if f.get("present")]
    decision: Decision | None = None
    try:
        if status == "review_failed":
            decision = error_decision(stage, review.get("error") or "no answer")
        elif stage == 1 and status == "rejected" and present:
            worst = max(present, key=lambda f: f.get("confidence") or 0)
            decision = defect_decision(worst["defect"], worst.get("evidence") or "", worst.get("region"))
        elif stage >= 2 and config is not None and review.get("first_opinion"):
            first, second = review["first_opinion"], review.get("second_opinion")
            rebuilt = decide(_opinion(first), _opinion(second) if second else None, config=config,
                             first_scores=first["scores"], second_scores=second["scores"] if second else None)
            decision = rebuilt if rebuilt.status == status else None
    except (KeyError, TypeError, ValueError):
        decision = None
    findings = [{"stage": 1, "code": f["defect"], "score": None, "confidence": f.get("confidence"),
                 "failed": bool(f.get("present")), "reason": f.get("evidence") or "", "region": f.get("region"),
                 "provider": scan.get("provider") or "",
                 "decisive": bool(decision and decision.rule == "defect" and decision.code == f["defect"])}
                for f in scan.get("findings") or [] if f.get("defect")]
    for number, key in ((2, "first_opinion"), (3, "second_opinion")):
        opinion = review.get(key) or {}
        for check in CHECKS:
            if check not in (opinion.get("scores") or {}):
                continue
            score = opinion["scores"][check]
            findings.append({"stage": number, "code": check, "score": score, "confidence": None,
                             "failed": bool(config) and _failed(check, score, config), "reason": "", "region": None,
                             "provider": opinion.get("provider") or "",
                             "decisive": bool(decision and decision.rule == "floor" and decision.stage == number
                                              and decision.code == check)})
    return decision, findings
