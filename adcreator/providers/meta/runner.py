"""How each Graph HTTP call is run: the `CallRunner` seam.

The adapter never retries by itself: every HTTP call it makes (one insights page, one
report-run poll, one create) is a zero-argument function handed to a `CallRunner` together
with a `purpose` string. That is where retries, backoff and the call ledger live, so the
lead's code can route each call through the project's own retry + ledger wrapper by
passing its own runner.

`RetryingCallRunner` is the default: `adcreator.providers.retry.call_with_retry` with a
Meta retry policy, and an optional observer that receives one `PendingCall` (the same
record the model calls produce, see `adcreator.providers.calls`) per attempt — purpose,
provider, api version as `model`, latency, error.

`idempotent=False` marks a create (POST): only a rate limit — Meta refused before doing
anything — is retried; any other retryable failure becomes `MetaOutcomeUnknownError`,
because the object may exist and a retry could duplicate it.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, TypeVar

from adcreator.providers.calls import PendingCall
from adcreator.providers.errors import ProviderError, UnexpectedProviderError
from adcreator.providers.meta.errors import MetaOutcomeUnknownError, MetaRateLimitedError
from adcreator.providers.meta.redact import scrub
from adcreator.providers.retry import AttemptRecord, RetryPolicy, call_with_retry

T = TypeVar("T")


class CallRunner(Protocol):
    def run(self, fn: Callable[[], T], *, purpose: str, idempotent: bool = True) -> T:
        """Call `fn` (one HTTP call), retrying as the runner sees fit; return its result or
        raise the last `ProviderError`."""
        ...


@dataclass
class MetaRetryPolicy(RetryPolicy):
    """Backoff for Meta: rate limits need longer pauses than a model's 429.

    The delay is max(Meta's regain estimate, the backoff for this attempt), capped at
    `max_wait`. The backoff jitters within [ceiling/2, ceiling] (not from 0) so a rate-limited
    call never comes straight back.
    """

    max_attempts: int = 5
    base_delay: float = 2.0
    max_delay: float = 60.0
    max_wait: float = 300.0  # a longer regain estimate is waited only this long, then retried

    def delay_for(self, attempt: int, error: ProviderError, rng: random.Random) -> float:
        ceiling = min(self.max_delay, self.base_delay * (2 ** (attempt - 1)))
        backoff = rng.uniform(ceiling / 2, ceiling)
        hint = error.retry_after if error.retry_after is not None else 0.0
        return min(max(hint, backoff), self.max_wait)


class RetryingCallRunner:
    """The default runner: the project's retry loop, every attempt reported to `observer`."""

    def __init__(
        self,
        *,
        provider: str = "meta_graph",
        model: str = "",
        policy: RetryPolicy | None = None,
        observer: Callable[[PendingCall], None] | None = None,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
    ) -> None:
        self.provider = provider
        self.model = model
        self.policy = policy or MetaRetryPolicy()
        self.observer = observer
        self.sleep = sleep
        self.rng = rng or random.Random()

    def run(self, fn: Callable[[], T], *, purpose: str, idempotent: bool = True) -> T:
        def attempt() -> T:
            try:
                return fn()
            except ProviderError as error:
                if idempotent or not error.retryable or isinstance(error, MetaRateLimitedError):
                    raise
                raise MetaOutcomeUnknownError(
                    f"{purpose}: {error.message} — not retried, the object may have been created",
                    provider=error.provider, status_code=error.status_code,
                ) from None
            except Exception as exc:  # an SDK surprise: recorded like any failed call, never retried
                raise UnexpectedProviderError(
                    f"{purpose}: {type(exc).__name__}: {scrub(str(exc))}", provider=self.provider
                ) from None

        def note(record: AttemptRecord) -> None:
            if self.observer is not None:
                self.observer(PendingCall(purpose=purpose, provider=self.provider, model=self.model, attempt=record))

        return call_with_retry(attempt, policy=self.policy, on_attempt=note, sleep=self.sleep, rng=self.rng)
