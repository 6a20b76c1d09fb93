"""The Gemini and Claude review answers may carry a region per finding (issue 16 item 4): kept when
well formed, left out otherwise, and an answer without one still parses (backwards compatible)."""

import pytest

from adcreator.providers.base import DEFECT_TYPES, RUBRIC_CHECKS, Usage
from adcreator.providers.review_prompts import (
    CheckScoreAnswer, DefectFindingAnswer, DefectScanAnswer, RubricAnswer, answer_region, defect_scan_result,
    rubric_result,
)


@pytest.mark.parametrize("values,expected", [
    ([0.1, 0.2, 0.5, 0.9], (0.1, 0.2, 0.5, 0.9)),
    ([], None), ([0.1, 0.2, 0.5], None), ([0.5, 0.2, 0.1, 0.9], None), ([0, 0, 1.2, 1], None), ([0, 0, 0, 0], None),
])
def test_only_a_well_formed_box_inside_the_ad_is_kept(values, expected):
    assert answer_region(values) == expected


def test_regions_reach_the_findings_and_checks_and_old_answers_still_parse():
    scan = DefectScanAnswer.model_validate({"findings": [
        {"defect": d, "present": d == "TEXT_GARBLED", "confidence": 0.8, "evidence": "headline reads 'Smo0th'",
         **({"region": [0.1, 0.05, 0.9, 0.2]} if d == "TEXT_GARBLED" else {})} for d in DEFECT_TYPES]})
    result = defect_scan_result(scan, provider="gemini", model="m", usage=Usage())
    assert result.findings[0].region == (0.1, 0.05, 0.9, 0.2) and result.findings[1].region is None
    rubric = RubricAnswer(checks=[CheckScoreAnswer(check=c, score=8.0, reason="fine") for c in RUBRIC_CHECKS])
    assert all(c.region is None for c in rubric_result(rubric, provider="claude", model="m", usage=Usage()).checks)
    with_box = RubricAnswer.model_validate({"checks": [{"check": c, "score": 2.0 if c == "V1" else 8.0, "reason": "r",
                                                        "region": [0.2, 0.3, 0.6, 0.8] if c == "V1" else []}
                                                       for c in RUBRIC_CHECKS]})
    assert rubric_result(with_box, provider="claude", model="m", usage=Usage()).checks[0].region == (0.2, 0.3, 0.6, 0.8)
    assert DefectFindingAnswer.model_json_schema()["required"] == ["defect", "present", "confidence", "evidence"]
