"""Issue acceptance: the three stages on the real google-genai and anthropic SDKs, against
local servers that speak their REST APIs — Gemini for stages 1–2, Claude for stage 3."""

import pytest

from adcreator.providers.claude import ClaudeVisionJudge
from adcreator.providers.gemini import GeminiVisionJudge
from adcreator.providers.retry import RetryPolicy
from review.decision import ScoringConfig
from review.models import DEFAULT_AUTO_REJECT, DEFAULT_WEIGHTS
from review.staged import review_staged
from tests.fakes import scenarios
from tests.fakes.anthropic_server import ANTHROPIC_TEST_KEY
from tests.fakes.fixtures import (  # noqa: F401
    anthropic_server, anthropic_server_for_module, gemini_server, gemini_server_for_module, sample_review_request,
)
from tests.fakes.gemini_server import GEMINI_TEST_KEY
from tests.fakes.review_answers import all_high_rubric, borderline_rubric, defect_payload, rubric_missing, rubric_payload

CONFIG = ScoringConfig(weights=DEFAULT_WEIGHTS, auto_reject=DEFAULT_AUTO_REJECT)
POLICY = RetryPolicy(max_attempts=2, base_delay=0.0)


@pytest.fixture
def judges(gemini_server, anthropic_server):
    gemini = GeminiVisionJudge(api_key=GEMINI_TEST_KEY, base_url=gemini_server.base_url, timeout_seconds=1)
    claude = ClaudeVisionJudge(api_key=ANTHROPIC_TEST_KEY, base_url=anthropic_server.base_url, timeout_seconds=1)
    return gemini, claude, gemini_server, anthropic_server


def review(judges):
    gemini, claude, *_ = judges
    return review_staged(request=sample_review_request(), config=CONFIG, judge=gemini, second_judge=claude, policy=POLICY)


def test_a_defect_rejects_with_no_stage_two_call(judges):
    _, _, g, a = judges
    g.queue(scenarios.structured(defect_payload({"TEXT_GARBLED": "headline letters melt"})))
    outcome = review(judges)
    assert outcome.status == "rejected" and outcome.stage_reached == 1
    assert len(g.requests) == 1 and len(a.requests) == 0
    assert outcome.defect_scan["defects"] == ["TEXT_GARBLED"]


def test_clean_and_high_approves_with_no_stage_three_call(judges):
    _, _, g, a = judges
    g.queue(scenarios.structured(defect_payload()), scenarios.structured(all_high_rubric()))
    outcome = review(judges)
    assert outcome.status == "approved" and len(g.requests) == 2 and len(a.requests) == 0
    assert set(outcome.check_scores) == set(DEFAULT_WEIGHTS) and outcome.weighted_score == pytest.approx(9.2)


def test_borderline_calls_claude_and_or_logic_approves(judges):
    _, _, g, a = judges
    g.queue(scenarios.structured(defect_payload()), scenarios.structured(borderline_rubric()))
    a.queue(scenarios.structured(all_high_rubric()))
    outcome = review(judges)
    assert outcome.status == "approved" and outcome.stage_reached == 3
    assert len(a.requests) == 1 and a.requests[0].body["tool_choice"]["type"] == "tool"
    assert outcome.second_opinion["provider"] == "claude" and outcome.second_opinion["verdict"] == "approve"


def test_both_borderline_is_flagged(judges):
    _, _, g, a = judges
    borderline_average = rubric_payload(default=6.0)
    g.queue(scenarios.structured(defect_payload()), scenarios.structured(borderline_average))
    a.queue(scenarios.structured(borderline_average))
    outcome = review(judges)
    assert outcome.status == "flagged"


@pytest.mark.parametrize("stage", [1, 2, 3])
@pytest.mark.parametrize("failure", ["500", "timeout", "unreadable"])
def test_failures_at_every_stage_end_review_failed_never_approved(judges, stage, failure):
    _, _, g, a = judges
    bad = {"500": lambda: scenarios.server_error(500), "timeout": lambda: scenarios.slow(1.6),
           "unreadable": lambda: scenarios.malformed_json()}[failure]
    if stage == 1:
        g.queue(bad(), bad())
    elif stage == 2:
        g.queue(scenarios.structured(defect_payload()), bad(), bad())
    else:
        g.queue(scenarios.structured(defect_payload()), scenarios.structured(borderline_rubric()))
        a.queue(bad(), bad())
    outcome = review(judges)
    assert outcome.status == "review_failed"
    assert outcome.stage_reached == stage and outcome.error


def test_a_rubric_missing_a_check_is_retried_then_fails_closed(judges):
    _, _, g, _ = judges
    # An unreadable answer is worth one more try (models are stochastic); twice is a failure.
    g.queue(scenarios.structured(defect_payload()), scenarios.structured(rubric_missing("G2")),
            scenarios.structured(rubric_missing("G2")))
    outcome = review(judges)
    assert outcome.status == "review_failed" and "G2" in outcome.error
    assert len(outcome.calls) == 3
