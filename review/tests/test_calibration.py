"""Calibration with hand-computed rates (pass threshold 7.0)."""

import pytest

from review.calibration import Sample, calibrate, check_rates
from review.decision import CHECKS


def s(human, ai="approved", **scores):
    full = {c: None for c in CHECKS}
    full.update(scores)
    return Sample(check_scores=full, ai_status=ai, human=human)


SAMPLES = [
    # Human approved 4 ads: V1 failed (<7) one of them → FP(V1) = 1/4. V2 failed two → 2/4.
    s("approve", V1=8, V2=6),
    s("approve", V1=9, V2=8),
    s("approve", V1=6, V2=5, ai="rejected"),
    s("approve", V1=8, V2=9),
    # Human rejected 3 ads: V1 passed (>=7) two of them → FN(V1) = 2/3. V2 passed none → 0/3.
    s("reject", V1=8, V2=4),
    s("reject", V1=7, V2=3),
    s("reject", V1=2, V2=6, ai="rejected"),
]


def test_per_check_rates_by_hand():
    rates = check_rates(SAMPLES, pass_threshold=7.0)
    v1, v2 = rates["V1"], rates["V2"]
    assert (v1.approved_samples, v1.rejected_samples) == (4, 3)
    assert v1.fp_rate == pytest.approx(1 / 4) and v1.fn_rate == pytest.approx(2 / 3)
    assert v2.fp_rate == pytest.approx(2 / 4) and v2.fn_rate == pytest.approx(0.0)
    # Weighted error (2·FN + FP) / 3: false negatives count twice.
    assert v1.weighted_error == pytest.approx((2 * 2 / 3 + 1 / 4) / 3)
    assert v2.weighted_error == pytest.approx((0 + 2 / 4) / 3)
    assert rates["V3"].fp_rate is None and rates["V3"].weighted_error is None  # never measured


def test_proposal_moves_weight_to_the_check_that_agrees_with_humans():
    weights = {c: 1.0 for c in CHECKS}
    result = calibrate(SAMPLES, weights=weights, pass_threshold=7.0)
    raw_v1 = 1.5 - (2 * 2 / 3 + 1 / 4) / 3
    raw_v2 = 1.5 - (2 / 4) / 3
    scale = 15 / (13 + raw_v1 + raw_v2)
    assert result.proposed_weights["V1"] == pytest.approx(raw_v1 * scale, abs=1e-4)
    assert result.proposed_weights["V2"] == pytest.approx(raw_v2 * scale, abs=1e-4)
    assert result.proposed_weights["V2"] > result.proposed_weights["V1"]
    assert sum(result.proposed_weights.values()) == pytest.approx(15, abs=1e-3)


def test_threshold_rises_when_the_ai_lets_bad_ads_through():
    result = calibrate(SAMPLES, weights={c: 1.0 for c in CHECKS}, pass_threshold=7.0)
    # AI approved 2 of the 3 human rejects (FN 2/3) and rejected 1 of 4 human approvals (FP 1/4).
    assert (result.ai_false_negatives, result.ai_false_positives) == (2, 1)
    expected = 7.0 + 1.0 * (2 * (2 / 3) - 1 * (1 / 4)) / 2
    assert result.proposed_pass_threshold == pytest.approx(expected, abs=1e-3)


def test_too_few_samples_leave_weights_alone():
    result = calibrate(SAMPLES[:2] + SAMPLES[4:5], weights={c: 1.0 for c in CHECKS}, pass_threshold=7.0)
    assert result.proposed_weights == {c: 1.0 for c in CHECKS}
