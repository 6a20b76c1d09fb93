"""A provider call with retries, reported as plain records the caller can write to a ledger."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, TypeVar

from adcreator.providers.base import Usage
from adcreator.providers.errors import ProviderError, UnexpectedProviderError
from adcreator.providers.retry import AttemptRecord, RetryPolicy, call_with_retry

T = TypeVar("T")


@dataclass
class PendingCall:
    """One attempt at a model call, not yet written anywhere."""

    purpose: str
    provider: str
    model: str
    attempt: AttemptRecord
    usage: Usage | None = None


def tracked_call(fn: Callable[[], T], *, purpose: str, provider: str, model: str, policy: RetryPolicy,
                 sleep=None) -> tuple[T | None, ProviderError | None, list[PendingCall]]:
    """Run a provider call with retries; return (result, error, attempts) without raising.

    Every attempt becomes a PendingCall; the successful one carries the result's usage.
    """
    calls: list[PendingCall] = []

    def note(attempt: AttemptRecord) -> None:
        calls.append(PendingCall(purpose=purpose, provider=provider, model=model, attempt=attempt))

    def guarded() -> T:
        try:
            return fn()
        except ProviderError:
            raise
        except Exception as exc:  # still an attempt that cost something: record it, fail closed
            raise UnexpectedProviderError(f"{type(exc).__name__}: {exc}", provider=provider) from exc

    kwargs = {"sleep": sleep} if sleep is not None else {}
    try:
        result = call_with_retry(guarded, policy=policy, on_attempt=note, **kwargs)
    except ProviderError as error:
        return None, error, calls
    usage = getattr(result, "usage", None)
    if calls and isinstance(usage, Usage):
        calls[-1].usage = usage
    return result, None, calls
