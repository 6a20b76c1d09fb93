"""A local stand-in for the Anthropic Messages API (`POST /v1/messages`).

Answers with `tool_use` blocks when the request forces a tool, plain text otherwise, and
with `{"type": "error", ...}` bodies and the real status codes (429 with retry-after, 500,
529 overloaded) on failure, so the adapter is tested through the real anthropic SDK.
"""

from __future__ import annotations

import base64
import json
import uuid
from typing import Any

from tests.fakes.scenarios import (
    Behaviour,
    FakeProviderServer,
    RecordedRequest,
    Reply,
    auto,
    computed_structured_answer,
)

ANTHROPIC_TEST_KEY = "test-anthropic-key"

_ERROR_TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    403: "permission_error",
    404: "not_found_error",
    429: "rate_limit_error",
    500: "api_error",
    529: "overloaded_error",
}


def _error(status: int, message: str) -> dict:
    return {
        "type": "error",
        "error": {"type": _ERROR_TYPES.get(status, "api_error"), "message": message},
        "request_id": f"req_{uuid.uuid4().hex[:20]}",
    }


class FakeAnthropicServer(FakeProviderServer):
    def __init__(self, default: Behaviour | None = None, api_key: str = ANTHROPIC_TEST_KEY) -> None:
        super().__init__(default or auto())
        self.api_key = api_key

    def is_authorized(self, request: RecordedRequest) -> bool:
        # anthropic 2.x sends "Authorization: Bearer", older SDKs "x-api-key": accept both.
        bearer = request.headers.get("authorization", "")
        return request.headers.get("x-api-key") == self.api_key or bearer == f"Bearer {self.api_key}"

    def unauthorized_reply(self) -> Reply:
        return Reply(401, _error(401, "invalid x-api-key"))

    # -- reading the request ------------------------------------------------------------
    @staticmethod
    def content_blocks(request: RecordedRequest) -> list[dict]:
        blocks: list[dict] = []
        for message in (request.body or {}).get("messages", []):
            content = message.get("content")
            if isinstance(content, str):
                blocks.append({"type": "text", "text": content})
            else:
                blocks.extend(content or [])
        return blocks

    @classmethod
    def prompt_text(cls, request: RecordedRequest) -> str:
        return "\n".join(b["text"] for b in cls.content_blocks(request) if b.get("type") == "text")

    @classmethod
    def images(cls, request: RecordedRequest) -> list[tuple[str, bytes]]:
        found = []
        for block in cls.content_blocks(request):
            if block.get("type") == "image" and block.get("source", {}).get("type") == "base64":
                source = block["source"]
                found.append((source.get("media_type", ""), base64.b64decode(source["data"])))
        return found

    @staticmethod
    def forced_tool(request: RecordedRequest) -> dict | None:
        body = request.body or {}
        choice = body.get("tool_choice") or {}
        if choice.get("type") != "tool":
            return None
        return next((tool for tool in body.get("tools", []) if tool.get("name") == choice.get("name")), None)

    # -- answering ----------------------------------------------------------------------
    def handle(self, request: RecordedRequest, behaviour: Behaviour) -> Reply:
        if request.path.split("?")[0] != "/v1/messages":
            return Reply(404, _error(404, f"unknown path {request.path}"))
        kind = behaviour.kind
        tool = self.forced_tool(request)
        if kind == "rate_limited":
            retry_after = behaviour.retry_after or 0
            return Reply(
                429,
                _error(429, "Number of request tokens has exceeded your per-minute rate limit"),
                headers={"retry-after": f"{retry_after:g}"},
            )
        if kind == "server_error":
            return Reply(behaviour.status, _error(behaviour.status, "Internal server error"))
        if kind in ("text_only", "safety_blocked"):
            text = behaviour.text or "I can't help with that request."
            return Reply(200, self._message(request, [{"type": "text", "text": text}], "end_turn"))
        if kind == "refusal":
            return Reply(200, self._message(request, [{"type": "text", "text": behaviour.text}], "refusal"))
        if kind == "malformed_json":
            # The tool-use equivalent of garbled JSON: an input that ignores the schema.
            block = self._tool_use(tool, {"unexpected": behaviour.text})
            return Reply(200, self._message(request, [block], "tool_use"))
        if kind == "structured":
            return Reply(200, self._message(request, [self._tool_use(tool, behaviour.payload)], "tool_use"))
        if kind in ("auto", "image"):
            if tool is None:
                text = f"You said: {self.prompt_text(request)[:200]}"
                return Reply(200, self._message(request, [{"type": "text", "text": text}], "end_turn"))
            payload = computed_structured_answer(tool.get("input_schema") or {}, self.prompt_text(request), self.images(request))
            return Reply(200, self._message(request, [self._tool_use(tool, payload)], "tool_use"))
        raise ValueError(f"behaviour {behaviour.kind!r} is not supported by the Anthropic fake")

    @staticmethod
    def _tool_use(tool: dict | None, payload: Any) -> dict:
        return {
            "type": "tool_use",
            "id": f"toolu_{uuid.uuid4().hex[:24]}",
            "name": (tool or {}).get("name", "answer"),
            "input": payload,
        }

    @classmethod
    def _message(cls, request: RecordedRequest, content: list[dict], stop_reason: str) -> dict:
        input_tokens = max(1, len(cls.prompt_text(request)) // 4) + 1600 * len(cls.images(request))
        output_tokens = max(1, len(json.dumps(content)) // 4)
        return {
            "id": f"msg_{uuid.uuid4().hex[:24]}",
            "type": "message",
            "role": "assistant",
            "model": (request.body or {}).get("model", ""),
            "content": content,
            "stop_reason": stop_reason,
            "stop_sequence": None,
            "usage": {"input_tokens": input_tokens, "output_tokens": output_tokens},
        }
