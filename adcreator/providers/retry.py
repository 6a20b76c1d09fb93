"""One retry loop for every provider call: backoff on retryable errors, honour retry-after.

SDK-level retries stay off so that every failed attempt is seen here and can be recorded.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from typing import Callable, TypeVar

from adcreator.providers.errors import ProviderError

T = TypeVar("T")

# A server's retry-after hint is honoured up to this bound: a worker holding a job for
# minutes on one call is worse than failing the ad and moving on.
MAX_RETRY_AFTER_SECONDS = 60.0


@dataclass
class RetryPolicy:
    max_attempts: int = 4
    base_delay: float = 1.0
    max_delay: float = 30.0

    def delay_for(self, attempt: int, error: ProviderError, rng: random.Random) -> float:
        if error.retry_after is not None:
            return min(max(error.retry_after, 0.0), MAX_RETRY_AFTER_SECONDS)
        # Exponential backoff with full jitter, so parallel calls do not retry in lockstep.
        ceiling = min(self.max_delay, self.base_delay * (2 ** (attempt - 1)))
        return rng.uniform(0, ceiling)


@dataclass
class AttemptRecord:
    attempt: int
    latency_ms: int
    error: ProviderError | None


def call_with_retry(
    fn: Callable[[], T],
    *,
    policy: RetryPolicy,
    on_attempt: Callable[[AttemptRecord], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
    rng: random.Random | None = None,
) -> T:
    """Call `fn` until it succeeds, raises a non-retryable error, or attempts run out.

    `on_attempt` sees every attempt (success or failure) — that is where the call ledger is
    written. The last error is re-raised unchanged.
    """
    rng = rng or random.Random()
    for attempt in range(1, policy.max_attempts + 1):
        started = time.perf_counter()
        try:
            result = fn()
        except ProviderError as error:
            if on_attempt:
                on_attempt(AttemptRecord(attempt, int((time.perf_counter() - started) * 1000), error))
            if not error.retryable or attempt == policy.max_attempts:
                raise
            sleep(policy.delay_for(attempt, error, rng))
            continue
        if on_attempt:
            on_attempt(AttemptRecord(attempt, int((time.perf_counter() - started) * 1000), None))
        return result
    raise AssertionError("unreachable: the loop returns or raises")
