"""Claude adapters on the anthropic SDK: structured text answers and vision review, each
through a forced tool call.

The model is made to call one tool whose `input_schema` is the pydantic answer schema;
the tool's input is the answer. `_call_tool` takes arbitrary content blocks (use
`image_block` for pictures), which the vision judge uses. SDK retries are off
(`max_retries=0`): the caller's retry loop must see each failure. anthropic 2.x has no
`temperature` parameter on `messages.create` (checked on 2.14): the answer schema, not
sampling settings, is what keeps the output in shape.
"""

from __future__ import annotations

import base64
import json
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any, TypeVar

import anthropic
from pydantic import BaseModel, ValidationError

from adcreator.providers.base import (
    CongruenceRequest,
    CongruenceResult,
    DefectScanResult,
    HookAdaptationRequest,
    HookAdaptationResult,
    ReviewRequest,
    RubricResult,
    Usage,
)
from adcreator.providers.errors import (
    ContentBlockedError,
    MalformedResponseError,
    ProviderError,
    ProviderMisconfiguredError,
    RetryableProviderError,
)
from adcreator.providers.instructions import (
    CONGRUENCE_SYSTEM,
    HOOK_SYSTEM,
    CongruenceAnswer,
    HookAnswer,
    congruence_result,
    hook_result,
    input_json_text,
)
from adcreator.providers.review_prompts import (
    DEFECT_SCAN_SYSTEM,
    RUBRIC_REVIEW_SYSTEM,
    AttachedImage,
    DefectScanAnswer,
    RubricAnswer,
    Segment,
    defect_scan_result,
    defect_scan_segments,
    rubric_result,
    rubric_review_segments,
)

PROVIDER = "claude"
# claude-sonnet-4-5 reaches end of life on 2026-11-30 (anthropic 2.14 DEPRECATED_MODELS).
DEFAULT_MODEL = "claude-sonnet-4-6"
# Structured answers here are a few hundred tokens; the ceiling only stops a runaway answer.
DEFAULT_MAX_TOKENS = 2048

_Answer = TypeVar("_Answer", bound=BaseModel)


def text_block(text: str) -> dict[str, Any]:
    return {"type": "text", "text": text}


def image_block(data: bytes, media_type: str = "image/png") -> dict[str, Any]:
    return {
        "type": "image",
        "source": {"type": "base64", "media_type": media_type, "data": base64.b64encode(data).decode("ascii")},
    }


class _ClaudeAdapter:
    provider_name = PROVIDER

    def __init__(
        self,
        api_key: str,
        base_url: str | None = None,
        model: str = DEFAULT_MODEL,
        timeout_seconds: float = 60,
        max_tokens: int = DEFAULT_MAX_TOKENS,
    ) -> None:
        if not api_key:
            raise ProviderMisconfiguredError("ANTHROPIC_API_KEY is not set", provider=PROVIDER)
        self.model_name = model
        self.timeout_seconds = timeout_seconds
        self.max_tokens = max_tokens
        # api_key is always explicit: without it the 2.x SDK goes looking for credential files.
        self._client = anthropic.Anthropic(
            api_key=api_key, base_url=base_url, max_retries=0, timeout=timeout_seconds
        )

    def _call_tool(
        self,
        system: str,
        content_blocks: list[dict[str, Any]],
        tool_name: str,
        schema: type[_Answer],
    ) -> tuple[_Answer, Usage]:
        """Force `tool_name` with `schema` as its input schema; return the validated input."""
        tool = {
            "name": tool_name,
            "description": f"Report the answer. Input must match the {schema.__name__} schema.",
            "input_schema": schema.model_json_schema(),
        }
        try:
            message = self._client.messages.create(
                model=self.model_name,
                max_tokens=self.max_tokens,
                system=system,
                messages=[{"role": "user", "content": content_blocks}],
                tools=[tool],
                tool_choice={"type": "tool", "name": tool_name},
            )
        except anthropic.APIError as error:
            raise self._translate(error) from error
        except json.JSONDecodeError as error:
            # The SDK lets json.loads fail through on a 200 whose body is not JSON (checked on 2.14).
            raise MalformedResponseError(f"unreadable response: {error}", provider=PROVIDER) from error

        usage = Usage(input_tokens=message.usage.input_tokens, output_tokens=message.usage.output_tokens)
        text = " ".join(block.text for block in message.content if block.type == "text").strip()
        if message.stop_reason == "refusal":
            # Checked before the tool input: a refusal can cut a tool call off half-written.
            raise ContentBlockedError(f"model refused: {text[:200]}", provider=PROVIDER)
        tool_input = next(
            (block.input for block in message.content if block.type == "tool_use" and block.name == tool_name),
            None,
        )
        if tool_input is None:
            raise MalformedResponseError(
                f"no {tool_name} call (stop reason {message.stop_reason}); text: {text[:200]!r}", provider=PROVIDER
            )
        if message.stop_reason == "max_tokens":
            raise MalformedResponseError(f"answer cut off at max_tokens={self.max_tokens}", provider=PROVIDER)
        try:
            return schema.model_validate(tool_input), usage
        except ValidationError as error:
            raise MalformedResponseError(
                f"tool input does not match {schema.__name__}: {error.error_count()} error(s)", provider=PROVIDER
            ) from error

    def _translate(self, error: anthropic.APIError) -> ProviderError:
        # Order matters: APITimeoutError is an APIConnectionError, OverloadedError (529) and
        # ServiceUnavailableError (503) are InternalServerErrors.
        if isinstance(error, anthropic.APITimeoutError):
            return RetryableProviderError(f"timed out after {self.timeout_seconds:g}s", provider=PROVIDER)
        if isinstance(error, anthropic.APIConnectionError):
            return RetryableProviderError(f"connection failed: {error}", provider=PROVIDER)
        if isinstance(error, anthropic.APIResponseValidationError):
            return MalformedResponseError(f"unreadable response: {error}", provider=PROVIDER)
        if isinstance(error, anthropic.APIStatusError):
            status = error.status_code
            message = _error_message(error)
            # 408 and 409 are what the SDK itself would retry; 429 and 5xx (incl. 529 overloaded).
            if status in (408, 409, 429) or status >= 500:
                return RetryableProviderError(
                    message, provider=PROVIDER, status_code=status, retry_after=_retry_after(error.response.headers)
                )
            # 400/401/403/404/413/422: bad key, bad model, bad request — retrying cannot help.
            return ProviderMisconfiguredError(message, provider=PROVIDER, status_code=status)
        return ProviderMisconfiguredError(f"{type(error).__name__}: {error}", provider=PROVIDER)


class ClaudeTextModel(_ClaudeAdapter):
    """TextModel: congruence scoring and hook adaptation."""

    def score_congruence(self, request: CongruenceRequest) -> CongruenceResult:
        blocks = [text_block(input_json_text("Score this headline.", request))]
        answer, usage = self._call_tool(CONGRUENCE_SYSTEM, blocks, "report_congruence", CongruenceAnswer)
        return congruence_result(answer, request, provider=PROVIDER, model=self.model_name, usage=usage)

    def adapt_hook(self, request: HookAdaptationRequest) -> HookAdaptationResult:
        blocks = [text_block(input_json_text("Adapt this hook.", request))]
        answer, usage = self._call_tool(HOOK_SYSTEM, blocks, "report_adapted_hook", HookAnswer)
        return hook_result(answer, request, provider=PROVIDER, model=self.model_name, usage=usage)


class ClaudeVisionJudge(_ClaudeAdapter):
    """VisionJudge: defect scan and rubric review, each through a forced tool.

    Mainly the stage 3 second opinion: when stage 2 ran on Gemini, the other model family
    looks again, so one model's blind spots do not decide a borderline ad alone.
    """

    def defect_scan(self, request: ReviewRequest) -> DefectScanResult:
        blocks = _review_blocks(defect_scan_segments(request, provider=PROVIDER))
        answer, usage = self._call_tool(DEFECT_SCAN_SYSTEM, blocks, "report_defects", DefectScanAnswer)
        return defect_scan_result(answer, provider=PROVIDER, model=self.model_name, usage=usage)

    def rubric_review(self, request: ReviewRequest) -> RubricResult:
        blocks = _review_blocks(rubric_review_segments(request, provider=PROVIDER))
        answer, usage = self._call_tool(RUBRIC_REVIEW_SYSTEM, blocks, "report_rubric_scores", RubricAnswer)
        return rubric_result(answer, provider=PROVIDER, model=self.model_name, usage=usage)


def _review_blocks(segments: list[Segment]) -> list[dict[str, Any]]:
    return [
        image_block(segment.data, segment.mime_type) if isinstance(segment, AttachedImage) else text_block(segment)
        for segment in segments
    ]


def _error_message(error: anthropic.APIStatusError) -> str:
    body = error.body if isinstance(error.body, dict) else {}
    detail = body.get("error") if isinstance(body.get("error"), dict) else body
    kind = detail.get("type", "error") if isinstance(detail, dict) else "error"
    text = detail.get("message", error.message) if isinstance(detail, dict) else error.message
    return f"{kind}: {text}"


def _retry_after(headers: Any) -> float | None:
    """`retry-after-ms` (Anthropic's precise hint) first, then `retry-after` seconds or date."""
    milliseconds = headers.get("retry-after-ms")
    if milliseconds:
        try:
            return max(0.0, float(milliseconds) / 1000)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (moment - datetime.now(timezone.utc)).total_seconds())
