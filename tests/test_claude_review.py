"""The Claude vision judge (spec 6a stage 3, second opinion) through the real anthropic SDK
against the fake /v1/messages: forced tools, image blocks, every failure classified."""

from __future__ import annotations

import pytest

from adcreator.providers.base import (
    DEFECT_TYPES,
    RUBRIC_CHECK_NAMES,
    RUBRIC_CHECKS,
    VisionJudge,
)
from adcreator.providers.claude import ClaudeVisionJudge
from adcreator.providers.errors import (
    ContentBlockedError,
    MalformedResponseError,
    ProviderMisconfiguredError,
    RetryableProviderError,
)
from tests.fakes import review_answers, scenarios
from tests.fakes.anthropic_server import ANTHROPIC_TEST_KEY, FakeAnthropicServer
from tests.fakes.fixtures import (  # noqa: F401 (fixtures)
    anthropic_server,
    anthropic_server_for_module,
    sample_prompt,
    sample_review_request,
)

_judges: dict[tuple, ClaudeVisionJudge] = {}


def judge(server: FakeAnthropicServer, **overrides) -> ClaudeVisionJudge:
    # Judges hold no per-call state, so tests share them (see the fixtures' note on cost).
    settings = {"api_key": ANTHROPIC_TEST_KEY, "base_url": server.base_url, "timeout_seconds": 5, **overrides}
    key = tuple(sorted(settings.items()))
    if key not in _judges:
        _judges[key] = ClaudeVisionJudge(**settings)
    return _judges[key]


def marked_request(marker: str):
    prompt = sample_prompt("4:5")
    prompt.product.description += f" {marker}"
    return sample_review_request(prompt)


def review(server: FakeAnthropicServer, method: str, **overrides):
    return getattr(judge(server, **overrides), method)(sample_review_request())


def forced_tool(server: FakeAnthropicServer) -> dict:
    body = server.last_request.body
    assert body["tool_choice"]["type"] == "tool"
    tool = FakeAnthropicServer.forced_tool(server.last_request)
    assert tool is not None and [t["name"] for t in body["tools"]] == [tool["name"]]
    return tool


def test_defect_scan_is_a_forced_tool_over_ad_and_product_images(anthropic_server):
    request = sample_review_request()
    result = judge(anthropic_server).defect_scan(request)

    assert [f.defect for f in result.findings] == list(DEFECT_TYPES) and not result.has_critical_defect
    assert result.model == "claude-sonnet-4-6" and result.usage.input_tokens >= 3 * 1600

    tool = forced_tool(anthropic_server)
    assert tool["name"] == "report_defects"
    assert "findings" in tool["input_schema"]["properties"]
    assert list(DEFECT_TYPES) in _enums(tool["input_schema"])
    assert FakeAnthropicServer.images(anthropic_server.last_request) == [
        ("image/png", request.image), ("image/jpeg", request.product_images[0]), ("image/png", request.product_images[1]),
    ]
    body = anthropic_server.last_request.body
    assert all(defect in body["system"] for defect in DEFECT_TYPES)
    assert anthropic_server.last_request.headers["x-stainless-retry-count"] == "0"


def test_rubric_is_a_forced_tool_over_ad_template_and_products(anthropic_server):
    request = sample_review_request()
    result = judge(anthropic_server, model="claude-opus-4-1").rubric_review(request)

    assert [c.check for c in result.checks] == list(RUBRIC_CHECKS)
    assert result.model == "claude-opus-4-1" and result.as_scores()["V4"] >= 9.0

    tool = forced_tool(anthropic_server)
    assert tool["name"] == "report_rubric_scores"
    assert list(RUBRIC_CHECKS) in _enums(tool["input_schema"])
    sent = anthropic_server.last_request
    assert sent.body["model"] == "claude-opus-4-1"
    images = FakeAnthropicServer.images(sent)
    assert [mime for mime, _ in images] == ["image/png", "image/png", "image/jpeg", "image/png"]
    assert [data for _, data in images] == [request.image, request.template_image, *request.product_images]
    # Each image is introduced by a text block naming it: the judge knows which one is the ad.
    kinds = [block["type"] for block in FakeAnthropicServer.content_blocks(sent)]
    assert kinds == ["text"] + ["text", "image"] * 4 + ["text"]
    assert all(name in sent.body["system"] for name in RUBRIC_CHECK_NAMES.values())
    text = FakeAnthropicServer.prompt_text(sent)
    assert '"Try it tonight"' in text and "Intended awareness stage 3" in text and "cures insomnia" in text


def test_markers_in_the_request_drive_the_default_answers(anthropic_server):
    model = judge(anthropic_server)
    assert model.defect_scan(marked_request("FAKE-DEFECT:ANATOMY_ERROR")).defects_found == ["ANATOMY_ERROR"]
    assert model.rubric_review(marked_request("FAKE-SCORE:C3=5.0")).as_scores()["C3"] == 5.0


def test_queued_defect_and_rubrics_are_reported(anthropic_server):
    anthropic_server.queue(
        scenarios.structured(review_answers.defect_payload({"PRODUCT_DISTORTION": "jar squashed"})),
        scenarios.structured(review_answers.all_high_rubric()),
        scenarios.structured(review_answers.borderline_rubric()),
    )
    model = judge(anthropic_server)
    scan = model.defect_scan(sample_review_request())
    assert scan.defects_found == ["PRODUCT_DISTORTION"] and scan.findings[4].evidence == "jar squashed"
    assert min(model.rubric_review(sample_review_request()).as_scores().values()) == 9.2
    borderline = model.rubric_review(sample_review_request()).as_scores()
    assert sorted(check for check, score in borderline.items() if 5.0 <= score <= 7.0) == ["C2", "V2", "V8"]


METHODS = ["defect_scan", "rubric_review"]


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("status", [500, 529])
def test_server_errors_and_overload_are_retryable(anthropic_server, method, status):
    anthropic_server.queue(scenarios.server_error(status))
    with pytest.raises(RetryableProviderError) as caught:
        review(anthropic_server, method)
    assert caught.value.status_code == status and len(anthropic_server.requests) == 1


@pytest.mark.parametrize("method", METHODS)
def test_rate_limit_is_retryable_with_hint(anthropic_server, method):
    anthropic_server.queue(scenarios.rate_limited(retry_after=6))
    with pytest.raises(RetryableProviderError) as caught:
        review(anthropic_server, method)
    assert caught.value.retry_after == 6


@pytest.mark.parametrize("method", METHODS)
def test_timeout_is_retryable(anthropic_server, method):
    anthropic_server.queue(scenarios.slow(2.0))
    with pytest.raises(RetryableProviderError, match="timed out"):
        review(anthropic_server, method, timeout_seconds=0.3)


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("behaviour", [scenarios.unauthorized(), scenarios.server_error(400)], ids=["auth", "bad-request"])
def test_auth_and_bad_request_are_misconfigured(anthropic_server, method, behaviour):
    anthropic_server.queue(behaviour)
    with pytest.raises(ProviderMisconfiguredError) as caught:
        review(anthropic_server, method)
    assert not caught.value.retryable


@pytest.mark.parametrize("method", METHODS)
def test_refusal_is_content_blocked(anthropic_server, method):
    anthropic_server.queue(scenarios.refusal("I can't assess this image."))
    with pytest.raises(ContentBlockedError, match="model refused: I can't assess"):
        review(anthropic_server, method)


@pytest.mark.parametrize(
    ("method", "behaviour", "message"),
    [
        ("defect_scan", scenarios.malformed_json(), "does not match DefectScanAnswer"),
        ("rubric_review", scenarios.malformed_json(), "does not match RubricAnswer"),
        ("rubric_review", scenarios.text_only("The ad looks good overall."), "no report_rubric_scores call"),
        ("rubric_review", scenarios.not_json(), "unreadable response"),
        ("rubric_review", scenarios.structured(review_answers.rubric_missing("V9")), "rubric left out V9"),
        ("rubric_review", scenarios.structured(review_answers.rubric_payload({"V5": -1})), "V5=-1.0 is outside"),
        ("defect_scan", scenarios.structured(review_answers.defect_payload() | {"findings": []}), "left out TEXT_GARBLED"),
    ],
    ids=["defect-off-schema", "rubric-off-schema", "no-tool-call", "not-json", "missing-check", "out-of-range",
         "no-findings"],
)
def test_unusable_answers_are_malformed(anthropic_server, method, behaviour, message):
    anthropic_server.queue(behaviour)
    with pytest.raises(MalformedResponseError, match=message) as caught:
        review(anthropic_server, method)
    assert caught.value.retryable


def test_judge_satisfies_protocol_and_needs_a_key(anthropic_server):
    assert isinstance(judge(anthropic_server), VisionJudge)
    with pytest.raises(ProviderMisconfiguredError, match="ANTHROPIC_API_KEY"):
        ClaudeVisionJudge(api_key="")


def _enums(schema: object) -> list[list]:
    """Every `enum` list anywhere in a JSON schema."""
    if isinstance(schema, dict):
        found = [schema["enum"]] if "enum" in schema else []
        return found + [enum for value in schema.values() for enum in _enums(value)]
    if isinstance(schema, list):
        return [enum for value in schema for enum in _enums(value)]
    return []
