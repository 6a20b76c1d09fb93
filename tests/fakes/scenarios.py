"""What a fake provider server does with each request, and the HTTP plumbing both fakes share.

A test queues behaviours (`server.queue(rate_limited(), image())`); each request consumes
the next one, and once the queue is empty the server's default behaviour answers. Every
request is recorded (path, headers, parsed JSON body) so a test can assert what the real
SDK actually put on the wire.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import threading
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from PIL import Image, ImageDraw

from tests.fakes.review_answers import computed_review_answer

# Sizes Gemini's image models answer with for each requested ratio (published table for
# gemini-2.5-flash-image). They only approximate the ratio: 4:5 → 896x1152 is 0.778, not 0.8.
NATIVE_IMAGE_SIZES: dict[str, tuple[int, int]] = {
    "1:1": (1024, 1024),
    "2:3": (832, 1248),
    "3:2": (1248, 832),
    "3:4": (864, 1184),
    "4:3": (1184, 864),
    "4:5": (896, 1152),
    "5:4": (1152, 896),
    "9:16": (768, 1344),
    "16:9": (1344, 768),
    "21:9": (1536, 672),
}
DEFAULT_NATIVE_SIZE = NATIVE_IMAGE_SIZES["1:1"]  # what the model does when no ratio is asked


@dataclass(frozen=True)
class Behaviour:
    kind: str
    status: int = 200
    retry_after: float | None = None
    delay_seconds: float = 0.0
    payload: Any = None
    text: str = ""
    size: tuple[int, int] | None = None
    reason: str = ""


def auto() -> Behaviour:
    """The servers' default: answer what was asked — an image for an image request, a
    structured answer computed from the request for a JSON/tool request."""
    return Behaviour("auto")


def image() -> Behaviour:
    """An image at the model's native size for the requested ratio."""
    return Behaviour("image")


def wrong_ratio(size: tuple[int, int] = (1024, 1024)) -> Behaviour:
    """An image that ignores the requested ratio (some models do)."""
    return Behaviour("image", size=size)


def corrupt_image() -> Behaviour:
    """An inline "image" whose bytes are not a decodable picture."""
    return Behaviour("corrupt_image", payload=b"\x89PNG\r\n\x1a\n truncated garbage")


def rate_limited(retry_after: float = 7.0) -> Behaviour:
    return Behaviour("rate_limited", status=429, retry_after=retry_after)


def server_error(status: int = 500) -> Behaviour:
    return Behaviour("server_error", status=status)


def slow(seconds: float) -> Behaviour:
    """Answer normally, but only after `seconds` — long enough to trip a client timeout."""
    return Behaviour("slow", delay_seconds=seconds)


def safety_blocked(reason: str = "SAFETY") -> Behaviour:
    """The prompt itself is refused (Gemini promptFeedback.blockReason)."""
    return Behaviour("safety_blocked", reason=reason)


def image_safety() -> Behaviour:
    """The image was generated but withheld (finishReason IMAGE_SAFETY, no content)."""
    return Behaviour("image_safety", reason="IMAGE_SAFETY")


def refusal(text: str = "I can't help with reviewing this image.") -> Behaviour:
    """The model declines mid-answer: Gemini finishReason SAFETY with no content, Claude
    stop_reason "refusal"."""
    return Behaviour("refusal", text=text, reason="SAFETY")


def text_only(text: str = "I can't draw that, but here is a description of the ad.") -> Behaviour:
    return Behaviour("text_only", text=text)


def malformed_json(text: str = '{"overall_score": 0.8, "reasoning": "unterminated') -> Behaviour:
    """A structured call answered with something that does not fit the schema."""
    return Behaviour("malformed_json", text=text)


def structured(payload: Any) -> Behaviour:
    """A structured call answered with exactly this JSON payload."""
    return Behaviour("structured", payload=payload)


def not_json() -> Behaviour:
    """A 200 whose body is not JSON at all (a misbehaving proxy in between)."""
    return Behaviour("not_json", text="<html><body>upstream proxy error</body></html>")


def unauthorized() -> Behaviour:
    return Behaviour("unauthorized", status=401)


@dataclass
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: Any


@dataclass
class Reply:
    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)
    # Raw bytes win over `body` when set (for non-JSON answers).
    raw: bytes | None = None


class FakeProviderServer:
    """A real HTTP server on 127.0.0.1:<ephemeral> in a background thread.

    Subclasses implement `handle(request, behaviour) -> Reply` and `is_authorized`.
    Use as a context manager; `base_url` is what the SDK client is pointed at.
    """

    def __init__(self, default: Behaviour | None = None) -> None:
        self.default = default or image()
        self._initial_default = self.default
        self.requests: list[RecordedRequest] = []
        self._queue: deque[Behaviour] = deque()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- scenario control -------------------------------------------------------------
    def queue(self, *behaviours: Behaviour) -> None:
        with self._lock:
            self._queue.extend(behaviours)

    def reset(self) -> None:
        """Forget queued behaviours and recorded requests (one server shared by many tests)."""
        with self._lock:
            self._queue.clear()
            self.requests.clear()
            self.default = self._initial_default

    def next_behaviour(self) -> Behaviour:
        with self._lock:
            return self._queue.popleft() if self._queue else self.default

    @property
    def last_request(self) -> RecordedRequest:
        return self.requests[-1]

    # -- lifecycle ----------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        assert self._httpd is not None, "server not started"
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> "FakeProviderServer":
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:  # noqa: N802 (http.server naming)
                server._serve(self)

            def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        # A short poll interval so stop() returns promptly (the default 0.5 s adds up in tests).
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # wakes handlers sleeping in a `slow` behaviour
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> "FakeProviderServer":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- request handling ---------------------------------------------------------------
    def _serve(self, handler: BaseHTTPRequestHandler) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length) if length else b""
        try:
            body = json.loads(raw) if raw else None
        except json.JSONDecodeError:
            body = raw.decode("utf-8", "replace")
        recorded = RecordedRequest(
            method="POST",
            path=handler.path,
            headers={k.lower(): v for k, v in handler.headers.items()},
            body=body,
        )
        with self._lock:
            self.requests.append(recorded)

        if not self.is_authorized(recorded):
            reply = self.unauthorized_reply()
        else:
            behaviour = self.next_behaviour()
            if behaviour.kind == "unauthorized":
                reply = self.unauthorized_reply()
            elif behaviour.kind == "not_json":
                reply = Reply(200, None, raw=behaviour.text.encode())
            else:
                if behaviour.kind == "slow":
                    # Event.wait instead of sleep so stopping the server never waits for it.
                    self._stopping.wait(behaviour.delay_seconds)
                    behaviour = self.default
                reply = self.handle(recorded, behaviour)
        self._send(handler, reply)

    @staticmethod
    def _send(handler: BaseHTTPRequestHandler, reply: Reply) -> None:
        payload = reply.raw if reply.raw is not None else json.dumps(reply.body).encode()
        try:
            handler.send_response(reply.status)
            handler.send_header("Content-Type", "application/json")
            handler.send_header("Content-Length", str(len(payload)))
            for name, value in reply.headers.items():
                handler.send_header(name, value)
            handler.end_headers()
            handler.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout test): nothing left to answer

    def is_authorized(self, request: RecordedRequest) -> bool:
        raise NotImplementedError

    def unauthorized_reply(self) -> Reply:
        raise NotImplementedError

    def handle(self, request: RecordedRequest, behaviour: Behaviour) -> Reply:
        raise NotImplementedError


# -- images drawn from the request ------------------------------------------------------

_HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{6}\b")


def colours_from_text(text: str) -> list[tuple[int, int, int]]:
    """The hex colours named in the instructions, else two derived from the text's hash,
    so different prompts give visibly different images."""
    found = [_hex_to_rgb(h) for h in _HEX_COLOUR.findall(text)]
    if len(found) >= 2:
        return found
    digest = hashlib.sha256(text.encode()).digest()
    derived = [tuple(digest[i : i + 3]) for i in (0, 3)]
    return (found + derived)[:2] if found else derived  # type: ignore[return-value]


def _hex_to_rgb(value: str) -> tuple[int, int, int]:
    return int(value[1:3], 16), int(value[3:5], 16), int(value[5:7], 16)


def draw_ad_image(size: tuple[int, int], instruction_text: str, mime_type: str = "image/png") -> bytes:
    """A real picture: background in the first colour, a panel and a disc in the second."""
    width, height = size
    background, accent = colours_from_text(instruction_text)[:2]
    picture = Image.new("RGB", size, background)
    draw = ImageDraw.Draw(picture)
    draw.rectangle((width * 0.08, height * 0.08, width * 0.92, height * 0.3), fill=accent)
    radius = min(width, height) * 0.2
    cx, cy = width / 2, height * 0.62
    draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), fill=accent, outline=(255, 255, 255), width=6)
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG" if mime_type == "image/jpeg" else "PNG")
    return buffer.getvalue()



# -- structured answers computed from the request --------------------------------------------

_WORD = re.compile(r"[a-z0-9']+")


def _words(text: str | None) -> set[str]:
    return set(_WORD.findall((text or "").lower()))


def _overlap(a: str | None, b: str | None) -> float | None:
    """Jaccard word overlap, None when either side is empty."""
    left, right = _words(a), _words(b)
    if not left or not right:
        return None
    return round(len(left & right) / len(left | right), 3)


def _input_json(prompt_text: str) -> dict:
    _, marker, tail = prompt_text.rpartition("INPUT JSON:")
    try:
        return json.loads(tail) if marker else {}
    except json.JSONDecodeError:
        return {}


def computed_structured_answer(schema: dict, prompt_text: str, images: list[tuple[str, bytes]]) -> dict:
    """A plausible answer derived from the request, shaped by the schema's top-level fields."""
    fields = set((schema or {}).get("properties", {}))
    given = _input_json(prompt_text)
    if "overall_score" in fields:
        headline = given.get("headline", "")
        offer = " ".join([given.get("offer_core_message") or "", *given.get("pain_points", [])])
        scores = {
            "offer_alignment": _overlap(headline, offer),
            "hero_alignment": _overlap(headline, given.get("hero_headline")),
            "belief_alignment": _overlap(headline, given.get("belief_statement")),
        }
        known = [value for value in scores.values() if value is not None]
        return {
            **scores,
            "overall_score": round(sum(known) / len(known), 3) if known else 0.5,
            "adapted_headline": None,
            "reasoning": f"{len(known)} dimension(s) scored by word overlap with the headline.",
        }
    if {"headline", "subheadline"} <= fields:
        hook = given.get("hook_text", "")
        limit = given.get("max_chars") or len(hook)
        headline = hook if len(hook) <= limit else hook[:limit].rsplit(" ", 1)[0]
        audience = given.get("persona_name") or "you"
        return {"headline": headline, "subheadline": f"{given.get('product_name') or 'Made'} for {audience}"}
    if "text_areas" in fields:
        return _elements_from_image(images[0][1] if images else b"")
    review = computed_review_answer(fields, prompt_text, images)
    if review is not None:
        return review
    return {name: None for name in fields}


def _elements_from_image(data: bytes) -> dict:
    """Palette and background measured from the template; a conventional layout around them."""
    palette: list[str] = []
    if data:
        picture = Image.open(io.BytesIO(data)).convert("RGB").resize((64, 64))
        counted = sorted(picture.getcolors(64 * 64) or [], reverse=True)
        palette = ["#%02x%02x%02x" % colour for _, colour in counted[:5]]
    box = lambda x0, y0, x1, y1: {"x0": x0, "y0": y0, "x1": x1, "y1": y1}  # noqa: E731
    return {
        "required_assets": ["product"],
        "optional_assets": ["logo"],
        "text_areas": [
            {"role": "headline", "box": box(0.08, 0.08, 0.92, 0.3), "max_chars": 40, "align": "center"},
            {"role": "cta", "box": box(0.3, 0.86, 0.7, 0.94), "max_chars": 18, "align": "center"},
        ],
        "logo_areas": [{"box": box(0.04, 0.9, 0.2, 0.97), "confidence": 0.6}],
        "product_areas": [{"box": box(0.3, 0.42, 0.7, 0.82), "confidence": 0.8}],
        "people": [],
        "palette": palette,
        "background": palette[0] if palette else None,
    }
