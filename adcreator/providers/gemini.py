"""Gemini adapters on google-genai: image generation, structured text answers, template analysis,
vision review (defect scan and rubric).

Settings arrive as constructor arguments (the factory reads Django settings; this module
does not). SDK retries stay off — `HttpRetryOptions` is never set — because the caller's
retry loop must see every failure to back off, count attempts and write the call ledger.
Every SDK or transport exception is translated into a `ProviderError` subclass here.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any, TypeVar

import httpx2
from google import genai
from google.genai import errors as genai_errors
from google.genai import types
from pydantic import BaseModel, ValidationError

from adcreator.providers.base import (
    CongruenceRequest,
    CongruenceResult,
    DefectScanResult,
    GeneratedImage,
    HookAdaptationRequest,
    HookAdaptationResult,
    ImageRequest,
    ReviewRequest,
    RubricResult,
    TemplateAnalysisRequest,
    TemplateAnalysisResult,
    Usage,
)
from adcreator.providers.errors import (
    ContentBlockedError,
    MalformedResponseError,
    ProviderError,
    ProviderMisconfiguredError,
    RetryableProviderError,
)
from adcreator.providers.imaging import fit_to_canvas
from adcreator.providers.instructions import (
    CONGRUENCE_SYSTEM,
    HOOK_SYSTEM,
    TEMPLATE_ANALYSIS_SYSTEM,
    CongruenceAnswer,
    HookAnswer,
    TemplateElementsAnswer,
    congruence_result,
    hook_result,
    input_json_text,
    order_references,
    prompt_to_instructions,
    template_elements,
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

PROVIDER = "gemini"
DEFAULT_IMAGE_MODEL = "gemini-2.5-flash-image"
DEFAULT_TEXT_MODEL = "gemini-2.5-flash"
DETECTION_VERSION = "gemini-elements-v1"
# Scoring and extraction should be repeatable, not creative.
STRUCTURED_TEMPERATURE = 0.2
# Statuses worth retrying besides 5xx: request timeout and rate limit.
_RETRYABLE_STATUSES = {408, 429}
# Finish reasons meaning "withheld by policy" rather than "answered badly".
_POLICY_FINISH_REASONS = {
    "SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "MODEL_ARMOR",
    "IMAGE_SAFETY", "IMAGE_PROHIBITED_CONTENT", "IMAGE_RECITATION",
}

_Answer = TypeVar("_Answer", bound=BaseModel)


class _GeminiAdapter:
    provider_name = PROVIDER

    def __init__(
        self,
        api_key: str,
        base_url: str | None = None,
        image_model: str = DEFAULT_IMAGE_MODEL,
        text_model: str = DEFAULT_TEXT_MODEL,
        timeout_seconds: float = 60,
    ) -> None:
        if not api_key:
            raise ProviderMisconfiguredError("GEMINI_API_KEY is not set", provider=PROVIDER)
        self.image_model = image_model
        self.text_model = text_model
        self.timeout_seconds = timeout_seconds
        http_options = types.HttpOptions(
            base_url=base_url,
            api_version="v1beta",
            timeout=max(1, int(timeout_seconds * 1000)),  # the SDK takes milliseconds
        )
        # vertexai=False: an ambient GOOGLE_GENAI_USE_VERTEXAI must not reroute our calls.
        self._client = genai.Client(api_key=api_key, vertexai=False, http_options=http_options)

    def _generate(self, model: str, contents: list[types.Part], config: types.GenerateContentConfig) -> types.GenerateContentResponse:
        try:
            return self._client.models.generate_content(model=model, contents=contents, config=config)
        except genai_errors.APIError as error:
            raise _translate_api_error(error) from error
        except httpx2.TimeoutException as error:
            raise RetryableProviderError(f"timed out after {self.timeout_seconds:g}s ({type(error).__name__})", provider=PROVIDER) from error
        except httpx2.TransportError as error:
            raise RetryableProviderError(f"connection failed: {type(error).__name__}: {error}", provider=PROVIDER) from error
        except (genai_errors.UnknownApiResponseError, json.JSONDecodeError) as error:
            # The SDK lets json.loads fail through on a 200 whose body is not JSON (checked on 3.6).
            raise MalformedResponseError(f"unreadable response: {error}", provider=PROVIDER) from error

    def _structured(
        self, system: str, parts: list[types.Part], schema: type[_Answer], model: str | None = None
    ) -> tuple[_Answer, Usage]:
        config = types.GenerateContentConfig(
            system_instruction=system,
            response_mime_type="application/json",
            response_schema=schema,
            temperature=STRUCTURED_TEMPERATURE,
        )
        response = self._generate(model or self.text_model, parts, config)
        _raise_if_prompt_blocked(response)
        reason = _finish_reason(response)
        if reason in _POLICY_FINISH_REASONS:
            # Even with some text: an answer stopped by policy is cut short, not malformed.
            raise ContentBlockedError(f"answer withheld (finish reason {reason})", provider=PROVIDER)
        text = "".join(part.text for part in _parts(response) if part.text and not part.thought)
        if not text:
            raise MalformedResponseError(f"no text in structured answer (finish reason {reason})", provider=PROVIDER)
        try:
            answer = schema.model_validate_json(text)
        except ValidationError as error:
            raise MalformedResponseError(
                f"answer does not match {schema.__name__}: {error.error_count()} error(s); starts {text[:120]!r}",
                provider=PROVIDER,
            ) from error
        return answer, _usage(response)


class GeminiImageModel(_GeminiAdapter):
    """ImageModel: one ad image from an AdGenerationPrompt and its reference images."""

    @property
    def model_name(self) -> str:
        return self.image_model

    def generate(self, request: ImageRequest) -> GeneratedImage:
        prompt = request.prompt
        references = order_references(request.references)
        contents = [types.Part.from_text(text=prompt_to_instructions(prompt))]
        contents += [types.Part.from_bytes(data=ref.data, mime_type=ref.mime_type) for ref in references]
        config = types.GenerateContentConfig(
            response_modalities=["IMAGE"],
            image_config=types.ImageConfig(aspect_ratio=prompt.images.aspect_ratio),
        )
        response = self._generate(self.image_model, contents, config)
        image_bytes = _first_image(response)
        width, height = request.canvas
        png, native_width, native_height, notes = fit_to_canvas(image_bytes, width, height, provider=PROVIDER)
        # The text numbers the images from the prompt's specs; the bytes come from the request.
        described = [spec.role for spec in order_references(prompt.images.references)]
        sent = [ref.role for ref in references]
        if described != sent:
            notes.append(f"reference images sent {sent} differ from those described {described}")
        usage = _usage(response)
        usage.images_out = 1
        return GeneratedImage(
            png=png,
            width=width,
            height=height,
            model=self.image_model,
            native_width=native_width,
            native_height=native_height,
            usage=usage,
            notes=notes,
        )


class GeminiTextModel(_GeminiAdapter):
    """TextModel: congruence scoring and hook adaptation as schema-constrained JSON."""

    @property
    def model_name(self) -> str:
        return self.text_model

    def score_congruence(self, request: CongruenceRequest) -> CongruenceResult:
        text = input_json_text("Score this headline.", request)
        answer, usage = self._structured(CONGRUENCE_SYSTEM, [types.Part.from_text(text=text)], CongruenceAnswer)
        return congruence_result(answer, request, provider=PROVIDER, model=self.text_model, usage=usage)

    def adapt_hook(self, request: HookAdaptationRequest) -> HookAdaptationResult:
        text = input_json_text("Adapt this hook.", request)
        answer, usage = self._structured(HOOK_SYSTEM, [types.Part.from_text(text=text)], HookAnswer)
        return hook_result(answer, request, provider=PROVIDER, model=self.text_model, usage=usage)


class GeminiTemplateAnalyzer(_GeminiAdapter):
    """TemplateAnalyzer: element detection on a template image with a vision model."""

    detection_version = DETECTION_VERSION

    @property
    def model_name(self) -> str:
        return self.text_model

    def analyze_template(self, request: TemplateAnalysisRequest) -> TemplateAnalysisResult:
        parts = [
            types.Part.from_text(text="Analyse this ad template."),
            types.Part.from_bytes(data=request.image, mime_type=request.mime_type),
        ]
        answer, usage = self._structured(TEMPLATE_ANALYSIS_SYSTEM, parts, TemplateElementsAnswer)
        elements = template_elements(answer, detector=DETECTION_VERSION)
        return TemplateAnalysisResult(elements=elements, model=self.text_model, usage=usage)


class GeminiVisionJudge(_GeminiAdapter):
    """VisionJudge: stage 1 defect scan and stage 2/3 rubric review on the ad image.

    The defect scan is the cheap, frequent call (every ad), so it may run on a smaller model
    than the rubric; both default to `text_model`. Each result names the model that answered.
    """

    def __init__(
        self,
        api_key: str,
        base_url: str | None = None,
        text_model: str = DEFAULT_TEXT_MODEL,
        timeout_seconds: float = 60,
        defect_model: str | None = None,
        review_model: str | None = None,
    ) -> None:
        super().__init__(api_key=api_key, base_url=base_url, text_model=text_model, timeout_seconds=timeout_seconds)
        self.defect_model = defect_model or text_model
        self.review_model = review_model or text_model

    @property
    def model_name(self) -> str:
        return self.review_model

    def defect_scan(self, request: ReviewRequest) -> DefectScanResult:
        parts = _review_parts(defect_scan_segments(request, provider=PROVIDER))
        answer, usage = self._structured(DEFECT_SCAN_SYSTEM, parts, DefectScanAnswer, model=self.defect_model)
        return defect_scan_result(answer, provider=PROVIDER, model=self.defect_model, usage=usage)

    def rubric_review(self, request: ReviewRequest) -> RubricResult:
        parts = _review_parts(rubric_review_segments(request, provider=PROVIDER))
        answer, usage = self._structured(RUBRIC_REVIEW_SYSTEM, parts, RubricAnswer, model=self.review_model)
        return rubric_result(answer, provider=PROVIDER, model=self.review_model, usage=usage)


def _review_parts(segments: list[Segment]) -> list[types.Part]:
    return [
        types.Part.from_bytes(data=segment.data, mime_type=segment.mime_type)
        if isinstance(segment, AttachedImage)
        else types.Part.from_text(text=segment)
        for segment in segments
    ]


# -- reading responses ------------------------------------------------------------------


def _parts(response: types.GenerateContentResponse) -> list[types.Part]:
    candidates = response.candidates or []
    if not candidates or candidates[0].content is None:
        return []
    return list(candidates[0].content.parts or [])


def _finish_reason(response: types.GenerateContentResponse) -> str:
    candidates = response.candidates or []
    reason = candidates[0].finish_reason if candidates else None
    return getattr(reason, "value", None) or str(reason or "none")


def _raise_if_prompt_blocked(response: types.GenerateContentResponse) -> None:
    feedback = response.prompt_feedback
    if feedback is not None and feedback.block_reason:
        reason = getattr(feedback.block_reason, "value", str(feedback.block_reason))
        detail = f": {feedback.block_reason_message}" if feedback.block_reason_message else ""
        raise ContentBlockedError(f"prompt blocked ({reason}){detail}", provider=PROVIDER)


def _first_image(response: types.GenerateContentResponse) -> bytes:
    _raise_if_prompt_blocked(response)
    parts = _parts(response)
    for part in parts:
        inline = part.inline_data
        if inline is not None and inline.data and (inline.mime_type or "").startswith("image/"):
            return inline.data
    text = " ".join(part.text for part in parts if part.text and not part.thought).strip()
    if text:
        raise ContentBlockedError(f"model returned text but no image: {text[:200]}", provider=PROVIDER)
    # No parts at all: the image was withheld (IMAGE_SAFETY, PROHIBITED_CONTENT, …).
    raise ContentBlockedError(f"no image returned (finish reason {_finish_reason(response)})", provider=PROVIDER)


def _usage(response: types.GenerateContentResponse) -> Usage:
    metadata = response.usage_metadata
    if metadata is None:
        return Usage()
    # Thinking tokens are billed as output.
    output = (metadata.candidates_token_count or 0) + (metadata.thoughts_token_count or 0)
    return Usage(input_tokens=metadata.prompt_token_count or 0, output_tokens=output)


# -- errors -----------------------------------------------------------------------------


def _translate_api_error(error: genai_errors.APIError) -> ProviderError:
    code = error.code or 0
    message = f"{error.status or 'error'}: {error.message or error.details}"
    if code in _RETRYABLE_STATUSES or code >= 500:
        return RetryableProviderError(message, provider=PROVIDER, status_code=code, retry_after=_retry_after(error))
    # 400 bad request / key, 401/403 credentials, 404 unknown model: retrying cannot help.
    return ProviderMisconfiguredError(message, provider=PROVIDER, status_code=code)


_RETRY_DELAY = re.compile(r"^\s*(\d+(?:\.\d+)?)s\s*$")


def _retry_after(error: genai_errors.APIError) -> float | None:
    """Seconds to wait: the Retry-After header, else the google.rpc.RetryInfo detail."""
    response = getattr(error, "response", None)
    headers = getattr(response, "headers", None)
    if headers is not None:
        seconds = _parse_retry_after_header(headers.get("retry-after"))
        if seconds is not None:
            return seconds
    details: Any = error.details
    if isinstance(details, dict):
        details = details.get("error", details).get("details")
    for detail in details if isinstance(details, list) else []:
        if isinstance(detail, dict) and str(detail.get("@type", "")).endswith("google.rpc.RetryInfo"):
            match = _RETRY_DELAY.match(str(detail.get("retryDelay", "")))
            if match:
                return float(match.group(1))
    return None


def _parse_retry_after_header(value: str | None) -> float | None:
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
