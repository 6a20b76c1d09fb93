"""`LocalImageModel`: the offline ImageModel, backed by the Pillow renderer.

Besides rendering, it carries two failure switches for tests and benchmarks: a fixed
latency (to stand in for a remote model's response time) and a deterministic "every Nth
call fails with a retryable error" (to exercise retry and backoff paths).
"""

from __future__ import annotations

import io
import threading
import time

from adcreator.providers.base import GeneratedImage, ImageRequest, LayoutReport, Usage
from adcreator.providers.errors import RetryableProviderError
from adcreator.providers.local.render import render_ad_detailed

PROVIDER_NAME = "local"
MODEL_NAME = "local-pillow-renderer-v1"


class LocalImageModel:
    provider_name = PROVIDER_NAME
    model_name = MODEL_NAME

    def __init__(self, latency_seconds: float = 0.0, fail_every: int = 0) -> None:
        if latency_seconds < 0:
            raise ValueError("latency_seconds must be >= 0")
        if fail_every < 0:
            raise ValueError("fail_every must be >= 0 (0 disables failures)")
        self.latency_seconds = latency_seconds
        self.fail_every = fail_every
        self._calls = 0
        self._calls_lock = threading.Lock()

    @property
    def calls(self) -> int:
        with self._calls_lock:
            return self._calls

    def generate(self, request: ImageRequest) -> GeneratedImage:
        with self._calls_lock:
            self._calls += 1
            call_number = self._calls
        if self.latency_seconds:
            time.sleep(self.latency_seconds)
        if self.fail_every and call_number % self.fail_every == 0:
            raise RetryableProviderError(
                f"simulated transient failure on call {call_number} (fail_every={self.fail_every})",
                provider=PROVIDER_NAME,
                status_code=503,
            )
        outcome = render_ad_detailed(request.prompt, request.references)
        width, height = outcome.image.size
        buffer = io.BytesIO()
        outcome.image.save(buffer, format="PNG", optimize=False)
        return GeneratedImage(
            png=buffer.getvalue(),
            width=width,
            height=height,
            model=MODEL_NAME,
            native_width=width,
            native_height=height,
            usage=Usage(images_out=1),
            notes=list(outcome.notes),
            layout=LayoutReport(archetype=outcome.archetype, lines=list(outcome.lines), parts=dict(outcome.parts)),
        )
