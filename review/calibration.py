"""Threshold calibration from human overrides (spec 6b Tier 2), as pure functions.

A sample is one ad with the AI's check scores and decision and the human's latest decision.
Per check, a score at or above the pass threshold is that check "passing" the ad:
- a false negative (FN) is a check passing an ad the human rejected (a bad ad let through);
- a false positive (FP) is a check failing an ad the human approved (a good ad held back).
False negatives cost twice as much (spec: bad ads reaching production is worse than
over-rejecting). The proposal re-weights checks by how well they agree with humans and moves
the pass threshold against the AI's own errors; it is a proposal, never activated here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from review.decision import CHECKS

HumanDecision = Literal["approve", "reject"]

FALSE_NEGATIVE_COST = 2.0
FALSE_POSITIVE_COST = 1.0
# A check needs this many human decisions on each side before its weight is touched: with
# fewer, one odd override would swing it.
MIN_SAMPLES_PER_SIDE = 3
# How far one calibration may move the pass threshold (0–10 scale) at full error rates.
THRESHOLD_STEP = 1.0
THRESHOLD_BOUNDS = (5.0, 9.5)


@dataclass(frozen=True)
class Sample:
    check_scores: dict[str, float | None]
    ai_status: str
    human: HumanDecision


@dataclass(frozen=True)
class CheckRates:
    check: str
    approved_samples: int
    rejected_samples: int
    false_positives: int
    false_negatives: int

    @property
    def fp_rate(self) -> float | None:
        return self.false_positives / self.approved_samples if self.approved_samples else None

    @property
    def fn_rate(self) -> float | None:
        return self.false_negatives / self.rejected_samples if self.rejected_samples else None

    @property
    def weighted_error(self) -> float | None:
        """(2·FN rate + FP rate) / 3, in [0, 1]; None until both sides have data."""
        if self.fp_rate is None or self.fn_rate is None:
            return None
        return (FALSE_NEGATIVE_COST * self.fn_rate + FALSE_POSITIVE_COST * self.fp_rate) / (
            FALSE_NEGATIVE_COST + FALSE_POSITIVE_COST)


@dataclass(frozen=True)
class Calibration:
    checks: dict[str, CheckRates]
    samples: int
    ai_false_negatives: int  # AI approved, human rejected
    ai_false_positives: int  # AI rejected, human approved
    human_rejected: int
    human_approved: int
    proposed_weights: dict[str, float]
    proposed_pass_threshold: float

    def rationale(self) -> dict:
        return {
            "samples": self.samples,
            "human_approved": self.human_approved,
            "human_rejected": self.human_rejected,
            "ai_false_negatives": self.ai_false_negatives,
            "ai_false_positives": self.ai_false_positives,
            "false_negative_cost": FALSE_NEGATIVE_COST,
            "checks": {
                c: {"fp_rate": r.fp_rate, "fn_rate": r.fn_rate, "weighted_error": r.weighted_error,
                    "approved_samples": r.approved_samples, "rejected_samples": r.rejected_samples}
                for c, r in self.checks.items()
            },
        }


def check_rates(samples: list[Sample], pass_threshold: float) -> dict[str, CheckRates]:
    rates = {}
    for check in CHECKS:
        approved = rejected = fp = fn = 0
        for sample in samples:
            score = sample.check_scores.get(check)
            if score is None:
                continue
            passes = score >= pass_threshold
            if sample.human == "approve":
                approved += 1
                fp += not passes
            else:
                rejected += 1
                fn += passes
        rates[check] = CheckRates(check, approved, rejected, fp, fn)
    return rates


def calibrate(samples: list[Sample], *, weights: dict[str, float], pass_threshold: float) -> Calibration:
    rates = check_rates(samples, pass_threshold)
    # Re-weight: a check that agrees with humans gains up to ×1.5, one that disagrees as
    # often as possible drops to ×0.5; then rescale so the total weight is unchanged.
    raw = {}
    for check in CHECKS:
        weight = weights.get(check, 0.0)
        r = rates[check]
        enough = r.approved_samples >= MIN_SAMPLES_PER_SIDE and r.rejected_samples >= MIN_SAMPLES_PER_SIDE
        raw[check] = weight * (1.5 - r.weighted_error) if enough and r.weighted_error is not None else weight
    total_before, total_after = sum(weights.get(c, 0.0) for c in CHECKS), sum(raw.values())
    scale = total_before / total_after if total_after else 1.0
    proposed = {c: round(raw[c] * scale, 4) for c in CHECKS}

    human_rejected = sum(1 for s in samples if s.human == "reject")
    human_approved = len(samples) - human_rejected
    ai_fn = sum(1 for s in samples if s.human == "reject" and s.ai_status == "approved")
    ai_fp = sum(1 for s in samples if s.human == "approve" and s.ai_status == "rejected")
    fn_rate = ai_fn / human_rejected if human_rejected else 0.0
    fp_rate = ai_fp / human_approved if human_approved else 0.0
    # Letting bad ads through raises the bar; holding good ads back lowers it, at half the pull.
    shift = THRESHOLD_STEP * (FALSE_NEGATIVE_COST * fn_rate - FALSE_POSITIVE_COST * fp_rate) / FALSE_NEGATIVE_COST
    low, high = THRESHOLD_BOUNDS
    threshold = round(min(high, max(low, pass_threshold + shift)), 3)
    return Calibration(rates, len(samples), ai_fn, ai_fp, human_rejected, human_approved, proposed, threshold)
