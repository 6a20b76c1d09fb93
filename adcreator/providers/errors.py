"""Errors every provider adapter raises, so callers can decide whether a retry can help.

Callers never inspect SDK exceptions: an adapter translates them into one of these.
"""

from __future__ import annotations


class ProviderError(Exception):
    """A model call that did not give a usable answer.

    `retryable` tells the caller whether the same call may succeed later (rate limit,
    overload, timeout, a garbled answer) or never will (bad key, bad request, blocked
    content). `retry_after` carries the server's hint in seconds when it sent one.
    """

    retryable: bool = False
    kind: str = "provider_error"

    def __init__(
        self,
        message: str,
        *,
        provider: str,
        status_code: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.provider = provider
        self.status_code = status_code
        self.retry_after = retry_after

    def __str__(self) -> str:
        code = f" (HTTP {self.status_code})" if self.status_code else ""
        return f"{self.provider}: {self.message}{code}"


class RetryableProviderError(ProviderError):
    """Rate limited (429), server error (5xx) or timed out: try again after a backoff."""

    retryable = True
    kind = "retryable"


class MalformedResponseError(ProviderError):
    """The model answered, but not in the shape asked for (unparseable JSON, schema mismatch).

    Retryable: models are stochastic and a second answer is often well-formed.
    """

    retryable = True
    kind = "malformed_response"


class ContentBlockedError(ProviderError):
    """The provider refused the prompt or withheld its output (safety block, no image)."""

    retryable = False
    kind = "blocked"


class ProviderMisconfiguredError(ProviderError):
    """Missing or rejected credentials, unknown model, invalid request: fix the setup."""

    retryable = False
    kind = "misconfigured"


class InvalidInputError(ProviderError):
    """What we handed the model is unusable (a corrupt or truncated reference image): the
    same call would fail again, so it is not retried."""

    retryable = False
    kind = "invalid_input"


class UnexpectedProviderError(ProviderError):
    """An adapter failed in a way it did not classify (a bug, an SDK surprise). Not retried;
    recorded like any other failed call, and the caller fails closed."""

    retryable = False
    kind = "unexpected"
