"""A local stand-in for the Gemini Developer API (`POST /v1beta/models/{model}:generateContent`).

It speaks the REST shapes google-genai expects — candidates/parts/inlineData, promptFeedback,
usageMetadata, and `{"error": {...}}` bodies with the Google RPC status names — so adapters
are tested through the real SDK, failures included.
"""

from __future__ import annotations

import base64
import json
import re
from typing import Any

from tests.fakes.scenarios import (
    DEFAULT_NATIVE_SIZE,
    NATIVE_IMAGE_SIZES,
    Behaviour,
    FakeProviderServer,
    RecordedRequest,
    Reply,
    auto,
    computed_structured_answer,
    draw_ad_image,
)

GEMINI_TEST_KEY = "test-gemini-key"

_PATH = re.compile(r"^/v1beta/models/(?P<model>[^/:]+):generateContent$")
_STATUS_NAMES = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    503: "UNAVAILABLE",
}


def _error(status: int, message: str, details: list[dict] | None = None) -> dict:
    error: dict[str, Any] = {"code": status, "message": message, "status": _STATUS_NAMES.get(status, "UNKNOWN")}
    if details:
        error["details"] = details
    return {"error": error}


class FakeGeminiServer(FakeProviderServer):
    def __init__(self, default: Behaviour | None = None, api_key: str = GEMINI_TEST_KEY) -> None:
        super().__init__(default or auto())
        self.api_key = api_key

    def is_authorized(self, request: RecordedRequest) -> bool:
        return request.headers.get("x-goog-api-key") == self.api_key

    def unauthorized_reply(self) -> Reply:
        # What the real API says for a wrong key (400 API_KEY_INVALID) is less useful to
        # exercise than the generic 403 — both map to "misconfigured"; tests cover 400 too.
        return Reply(403, _error(403, "Method doesn't allow unregistered callers. Please use API Key."))

    # -- reading the request ------------------------------------------------------------
    @staticmethod
    def generation_config(request: RecordedRequest) -> dict:
        return (request.body or {}).get("generationConfig") or {}

    @classmethod
    def aspect_ratio(cls, request: RecordedRequest) -> str | None:
        image_config = cls.generation_config(request).get("imageConfig") or {}
        return image_config.get("aspectRatio")

    @staticmethod
    def parts(request: RecordedRequest) -> list[dict]:
        return [part for content in (request.body or {}).get("contents", []) for part in content.get("parts", [])]

    @classmethod
    def prompt_text(cls, request: RecordedRequest) -> str:
        return "\n".join(part["text"] for part in cls.parts(request) if "text" in part)

    @classmethod
    def inline_images(cls, request: RecordedRequest) -> list[tuple[str, bytes]]:
        """(mime type, decoded bytes) of every inline image, in request order."""
        images = []
        for part in cls.parts(request):
            inline = part.get("inlineData") or part.get("inline_data")
            if inline:
                mime = inline.get("mimeType") or inline.get("mime_type") or ""
                images.append((mime, base64.urlsafe_b64decode(inline["data"] + "==")))
        return images

    # -- answering ----------------------------------------------------------------------
    def handle(self, request: RecordedRequest, behaviour: Behaviour) -> Reply:
        match = _PATH.match(request.path.split("?")[0])
        if not match:
            return Reply(404, _error(404, f"unknown path {request.path}"))
        kind = behaviour.kind
        if kind == "auto":
            wants_image = "IMAGE" in (self.generation_config(request).get("responseModalities") or [])
            kind = "image" if wants_image else "structured_auto"

        if kind == "rate_limited":
            retry_after = behaviour.retry_after or 0
            details = [{"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": f"{retry_after:g}s"}]
            return Reply(
                429,
                _error(429, "Resource has been exhausted (e.g. check quota).", details),
                headers={"Retry-After": f"{retry_after:g}"},
            )
        if kind == "server_error":
            return Reply(behaviour.status, _error(behaviour.status, "The service is currently unavailable."))
        if kind == "safety_blocked":
            return Reply(200, {"promptFeedback": {"blockReason": behaviour.reason}, "usageMetadata": _usage(request, 0)})
        if kind in ("image_safety", "refusal"):
            candidate = {"finishReason": behaviour.reason, "index": 0}
            return Reply(200, {"candidates": [candidate], "usageMetadata": _usage(request, 0)})
        if kind in ("text_only", "malformed_json"):
            return Reply(200, _answer([{"text": behaviour.text}], request))
        if kind == "structured":
            return Reply(200, _answer([{"text": json.dumps(behaviour.payload)}], request))
        if kind == "structured_auto":
            config = self.generation_config(request)
            schema = config.get("responseJsonSchema") or config.get("responseSchema") or {}
            payload = computed_structured_answer(schema, self.prompt_text(request), self.inline_images(request))
            return Reply(200, _answer([{"text": json.dumps(payload)}], request))
        if kind == "corrupt_image":
            inline = {"inlineData": {"mimeType": "image/png", "data": base64.b64encode(behaviour.payload).decode()}}
            return Reply(200, _answer([inline], request, images_out=1))
        if kind == "image":
            ratio = self.aspect_ratio(request)
            size = behaviour.size or NATIVE_IMAGE_SIZES.get(ratio or "", DEFAULT_NATIVE_SIZE)
            png = draw_ad_image(size, self.prompt_text(request))
            parts = [
                # Real image models often say a word before the image: the adapter must look
                # for the first inline image, not take parts[0].
                {"text": "Here is your ad."},
                {"inlineData": {"mimeType": "image/png", "data": base64.b64encode(png).decode()}},
            ]
            return Reply(200, _answer(parts, request, images_out=1))
        raise ValueError(f"behaviour {behaviour.kind!r} is not supported by the Gemini fake")


def _usage(request: RecordedRequest, output_tokens: int) -> dict:
    prompt_tokens = max(1, len(FakeGeminiServer.prompt_text(request)) // 4)
    prompt_tokens += 258 * len(FakeGeminiServer.inline_images(request))  # Gemini's per-image cost
    return {
        "promptTokenCount": prompt_tokens,
        "candidatesTokenCount": output_tokens,
        "totalTokenCount": prompt_tokens + output_tokens,
    }


def _answer(parts: list[dict], request: RecordedRequest, images_out: int = 0) -> dict:
    text_tokens = sum(len(part.get("text", "")) // 4 for part in parts)
    output_tokens = text_tokens + 1290 * images_out  # Gemini bills 1290 tokens per output image
    return {
        "candidates": [{"content": {"role": "model", "parts": parts}, "finishReason": "STOP", "index": 0}],
        "usageMetadata": _usage(request, output_tokens),
        "modelVersion": _PATH.match(request.path.split("?")[0]).group("model"),  # type: ignore[union-attr]
    }
