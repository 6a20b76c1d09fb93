"""The three stages with scripted judges: which stages run, which status results, fail closed."""

import pytest

from adcreator.providers.base import DEFECT_TYPES, RUBRIC_CHECKS, CheckScore, DefectFinding, DefectScanResult, RubricResult, ReviewRequest
from adcreator.providers.errors import MalformedResponseError, ProviderMisconfiguredError, RetryableProviderError
from adcreator.providers.retry import RetryPolicy
from review.decision import ScoringConfig
from review.staged import review_staged
from tests.fakes.fixtures import sample_prompt

CONFIG = ScoringConfig(weights={c: 1.0 for c in RUBRIC_CHECKS}, auto_reject={"V9": 3.0})
POLICY = RetryPolicy(max_attempts=2, base_delay=0.0)


def rubric(value=8.0, **over):
    values = {c: value for c in RUBRIC_CHECKS} | over
    return RubricResult(checks=[CheckScore(check=c, score=values[c]) for c in RUBRIC_CHECKS], model="scripted")


def scan(*defects):
    return DefectScanResult(findings=[DefectFinding(defect=d, present=d in defects) for d in DEFECT_TYPES])


class ScriptedJudge:
    def __init__(self, name, scans=(), rubrics=()):
        self.provider_name, self.model_name = name, f"{name}-model"
        self.scans, self.rubrics = list(scans), list(rubrics)
        self.calls = []

    def _next(self, queue, kind):
        self.calls.append(kind)
        item = queue.pop(0)
        if isinstance(item, Exception):
            raise item
        return item

    def defect_scan(self, request):
        return self._next(self.scans, "defect_scan")

    def rubric_review(self, request):
        return self._next(self.rubrics, "rubric_review")


def run(first, second):
    request = ReviewRequest(image=b"png", prompt=sample_prompt())
    return review_staged(request=request, config=CONFIG, judge=first, second_judge=second, policy=POLICY)


def test_defect_rejects_without_stage_two():
    first, second = ScriptedJudge("gemini", [scan("TEXT_GARBLED")]), ScriptedJudge("claude")
    outcome = run(first, second)
    assert outcome.status == "rejected" and outcome.stage_reached == 1
    assert first.calls == ["defect_scan"] and second.calls == []
    assert outcome.defect_scan["defects"] == ["TEXT_GARBLED"] and not outcome.defect_scan["passed"]


def test_clean_and_high_approves_without_stage_three():
    first, second = ScriptedJudge("gemini", [scan()], [rubric(8.5)]), ScriptedJudge("claude")
    outcome = run(first, second)
    assert outcome.status == "approved" and outcome.stage_reached == 2 and second.calls == []
    assert set(outcome.check_scores) == set(RUBRIC_CHECKS) and outcome.weighted_score == pytest.approx(8.5)


def test_borderline_goes_to_the_other_provider_with_or_logic():
    first = ScriptedJudge("gemini", [scan()], [rubric(6.0)])
    second = ScriptedJudge("claude", rubrics=[rubric(8.0)])
    outcome = run(first, second)
    assert outcome.status == "approved" and outcome.stage_reached == 3 and second.calls == ["rubric_review"]
    assert outcome.first_opinion["verdict"] == "borderline" and outcome.second_opinion["verdict"] == "approve"
    assert [c.purpose for c in outcome.calls] == ["defect_scan", "rubric_review", "second_opinion"]


def test_both_borderline_is_flagged():
    outcome = run(ScriptedJudge("gemini", [scan()], [rubric(6.0)]), ScriptedJudge("claude", rubrics=[rubric(6.5)]))
    assert outcome.status == "flagged"


def test_both_reject_is_rejected():
    outcome = run(ScriptedJudge("gemini", [scan()], [rubric(6.0, V1=1.0, V2=1.0, V3=2.0)]),
                  ScriptedJudge("claude", rubrics=[rubric(3.0)]))
    assert outcome.status == "rejected"


@pytest.mark.parametrize("stage", ["defect", "rubric", "second"])
@pytest.mark.parametrize("error", [
    RetryableProviderError("503", provider="x", status_code=503),
    MalformedResponseError("unreadable JSON", provider="x"),
    ProviderMisconfiguredError("bad key", provider="x", status_code=401),
])
def test_every_error_at_every_stage_fails_closed(stage, error):
    scans = [error, error] if stage == "defect" else [scan()]
    rubrics = [error, error] if stage == "rubric" else [rubric(6.0)]
    seconds = [error, error] if stage == "second" else [rubric(9.0)]
    outcome = run(ScriptedJudge("gemini", scans, rubrics), ScriptedJudge("claude", rubrics=seconds))
    assert outcome.status == "review_failed"
    assert outcome.error
    # Retryable errors were retried (bounded), the others were not.
    failed = [c for c in outcome.calls if c.attempt.error is not None]
    assert len(failed) == (2 if error.retryable else 1)


def test_a_rubric_missing_checks_fails_closed():
    incomplete = RubricResult(checks=[CheckScore(check=c, score=9.0) for c in RUBRIC_CHECKS[:-1]])
    outcome = run(ScriptedJudge("gemini", [scan()], [incomplete]), ScriptedJudge("claude"))
    assert outcome.status == "review_failed" and "G2" in outcome.error


def test_a_scan_with_missing_findings_fails_closed():
    partial = DefectScanResult(findings=[DefectFinding(defect="TEXT_GARBLED", present=False)])
    outcome = run(ScriptedJudge("gemini", [partial]), ScriptedJudge("claude"))
    assert outcome.status == "review_failed"
