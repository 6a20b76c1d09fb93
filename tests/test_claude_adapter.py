"""The Claude text adapter through the real anthropic SDK against a local fake of /v1/messages."""

from __future__ import annotations

import socket
import time

import pytest
from pydantic import BaseModel

from adcreator.providers.base import CongruenceRequest, HookAdaptationRequest, TextModel
from adcreator.providers.claude import (
    ClaudeTextModel,
    _retry_after,
    image_block,
    text_block,
)
from adcreator.providers.errors import (
    ContentBlockedError,
    MalformedResponseError,
    ProviderMisconfiguredError,
    RetryableProviderError,
)
from tests.fakes import scenarios
from tests.fakes.anthropic_server import ANTHROPIC_TEST_KEY, FakeAnthropicServer
from tests.fakes.fixtures import (  # noqa: F401 (fixtures)
    anthropic_server,
    anthropic_server_for_module,
    solid_png,
)

CONGRUENCE = CongruenceRequest(
    headline="Sleep better tonight, naturally",
    offer_core_message="Sleep better tonight",
    hero_headline="Naturally better sleep for everyone",
)


_adapters: dict[tuple, ClaudeTextModel] = {}


def claude(server: FakeAnthropicServer, **overrides) -> ClaudeTextModel:
    # Adapters hold no per-call state, so tests share them (see the fixtures' note on cost).
    settings = {"api_key": ANTHROPIC_TEST_KEY, "base_url": server.base_url, "timeout_seconds": 5, **overrides}
    key = tuple(sorted(settings.items()))
    if key not in _adapters:
        _adapters[key] = ClaudeTextModel(**settings)
    return _adapters[key]


def test_congruence_goes_through_a_forced_tool(anthropic_server):
    result = claude(anthropic_server).score_congruence(CONGRUENCE)

    # The fake scores by word overlap with each side: 3 words of 4, then 3 of 6.
    assert (result.offer_alignment, result.hero_alignment, result.belief_alignment) == (0.75, 0.5, None)
    assert result.overall_score == pytest.approx(0.625)
    assert result.model == "claude-sonnet-4-6"
    assert result.usage.input_tokens > 0 and result.usage.output_tokens > 0

    sent = anthropic_server.last_request
    assert sent.path == "/v1/messages"
    assert sent.headers["authorization"] == f"Bearer {ANTHROPIC_TEST_KEY}"
    assert sent.headers["x-stainless-retry-count"] == "0"
    body = sent.body
    assert body["model"] == "claude-sonnet-4-6"
    assert body["tool_choice"] == {"type": "tool", "name": "report_congruence"}
    assert [tool["name"] for tool in body["tools"]] == ["report_congruence"]
    assert "overall_score" in body["tools"][0]["input_schema"]["properties"]
    assert '"hero_headline": "Naturally better sleep for everyone"' in FakeAnthropicServer.prompt_text(sent)


def test_explicit_payload_is_validated_and_missing_inputs_stay_none(anthropic_server):
    anthropic_server.queue(scenarios.structured({
        "offer_alignment": 0.9, "hero_alignment": 0.8, "belief_alignment": 0.7, "overall_score": -0.01,
        "adapted_headline": None, "reasoning": "Aligned.",
    }))
    result = claude(anthropic_server).score_congruence(CongruenceRequest(headline="Sleep", offer_core_message="Sleep"))
    assert result.offer_alignment == 0.9
    assert result.hero_alignment is None and result.belief_alignment is None
    assert result.overall_score == 0.0  # a rounding slip below zero is clamped


def test_rate_limit_is_retryable_with_retry_after_and_next_call_succeeds(anthropic_server):
    anthropic_server.queue(scenarios.rate_limited(retry_after=7))
    model = claude(anthropic_server)

    with pytest.raises(RetryableProviderError) as caught:
        model.score_congruence(CONGRUENCE)
    assert caught.value.status_code == 429 and caught.value.retry_after == 7
    assert "rate_limit_error" in caught.value.message
    assert len(anthropic_server.requests) == 1  # max_retries=0: the SDK did not retry

    assert model.score_congruence(CONGRUENCE).overall_score > 0
    assert len(anthropic_server.requests) == 2


def test_retry_after_ms_wins_over_seconds():
    assert _retry_after({"retry-after-ms": "1500", "retry-after": "9"}) == 1.5
    assert _retry_after({"retry-after": "4"}) == 4.0
    assert _retry_after({}) is None


@pytest.mark.parametrize("status", [500, 503, 529])
def test_server_errors_and_overload_are_retryable(anthropic_server, status):
    anthropic_server.queue(scenarios.server_error(status))
    with pytest.raises(RetryableProviderError) as caught:
        claude(anthropic_server).score_congruence(CONGRUENCE)
    assert caught.value.status_code == status
    assert len(anthropic_server.requests) == 1


def test_slow_answer_times_out_as_retryable(anthropic_server):
    anthropic_server.queue(scenarios.slow(2.0))
    started = time.monotonic()
    with pytest.raises(RetryableProviderError, match="timed out"):
        claude(anthropic_server, timeout_seconds=0.3).score_congruence(CONGRUENCE)
    assert time.monotonic() - started < 1.5


def test_unreachable_server_is_retryable():
    with socket.socket() as probe:  # a port nobody listens on once the probe closes
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    model = ClaudeTextModel(api_key=ANTHROPIC_TEST_KEY, base_url=f"http://127.0.0.1:{port}", timeout_seconds=2)
    with pytest.raises(RetryableProviderError, match="connection failed"):
        model.score_congruence(CONGRUENCE)


def test_wrong_key_is_misconfigured(anthropic_server):
    with pytest.raises(ProviderMisconfiguredError) as caught:
        claude(anthropic_server, api_key="not-the-key").score_congruence(CONGRUENCE)
    assert caught.value.status_code == 401 and not caught.value.retryable
    assert "authentication_error" in caught.value.message


@pytest.mark.parametrize("status", [400, 403, 404])
def test_client_errors_are_misconfigured(anthropic_server, status):
    anthropic_server.queue(scenarios.server_error(status))
    with pytest.raises(ProviderMisconfiguredError) as caught:
        claude(anthropic_server).adapt_hook(HookAdaptationRequest(hook_text="Sleep again"))
    assert caught.value.status_code == status


def test_missing_key_is_misconfigured_before_any_call():
    with pytest.raises(ProviderMisconfiguredError, match="ANTHROPIC_API_KEY"):
        ClaudeTextModel(api_key="")


@pytest.mark.parametrize(
    "behaviour",
    [
        scenarios.malformed_json(),
        scenarios.text_only("Here is my analysis in prose instead."),
        scenarios.structured({"offer_alignment": None, "hero_alignment": None, "belief_alignment": None,
                              "overall_score": 80, "adapted_headline": None, "reasoning": "percent"}),
    ],
    ids=["tool-input-off-schema", "no-tool-call", "out-of-range"],
)
def test_unusable_answers_are_malformed(anthropic_server, behaviour):
    anthropic_server.queue(behaviour)
    with pytest.raises(MalformedResponseError) as caught:
        claude(anthropic_server).score_congruence(CONGRUENCE)
    assert caught.value.retryable


def test_hook_adaptation_default_and_limit(anthropic_server):
    request = HookAdaptationRequest(hook_text="Tired of waking up at 3am every single night?", persona_name="Tired parents",
                                    product_name="Calm Gummies", max_chars=30)
    model = claude(anthropic_server)
    result = model.adapt_hook(request)
    assert (result.headline, result.subheadline) == ("Tired of waking up at 3am", "Calm Gummies for Tired parents")
    assert anthropic_server.last_request.body["tool_choice"]["name"] == "report_adapted_hook"

    anthropic_server.queue(scenarios.structured({"headline": "A headline far longer than thirty characters", "subheadline": ""}))
    with pytest.raises(MalformedResponseError, match="limit 30"):
        model.adapt_hook(request)


def test_adapter_satisfies_protocol(anthropic_server):
    assert isinstance(claude(anthropic_server), TextModel)


class _Verdict(BaseModel):
    approved: bool
    issues: list[str]


def test_call_tool_carries_image_blocks_for_a_future_vision_review(anthropic_server):
    picture = solid_png((32, 48), (10, 20, 30))
    anthropic_server.queue(scenarios.structured({"approved": False, "issues": ["logo cropped"]}))
    verdict, usage = claude(anthropic_server)._call_tool(
        "Review this ad.", [text_block("Is it ready?"), image_block(picture)], "report_verdict", _Verdict
    )
    assert verdict == _Verdict(approved=False, issues=["logo cropped"])
    assert FakeAnthropicServer.images(anthropic_server.last_request) == [("image/png", picture)]
    assert usage.input_tokens >= 1600  # the fake bills images like the real API does: heavily


def test_refusal_is_content_blocked(anthropic_server):
    # A refusal has no Behaviour of its own: it is a text answer with stop_reason "refusal".
    class RefusingServer(FakeAnthropicServer):
        def handle(self, request, behaviour):
            reply = super().handle(request, scenarios.text_only("I can't help with that."))
            reply.body["stop_reason"] = "refusal"
            return reply

    with RefusingServer() as server:
        with pytest.raises(ContentBlockedError, match="model refused"):
            claude(server).score_congruence(CONGRUENCE)


def test_non_json_body_is_malformed(anthropic_server):
    anthropic_server.queue(scenarios.not_json())
    with pytest.raises(MalformedResponseError, match="unreadable response"):
        claude(anthropic_server).score_congruence(CONGRUENCE)
