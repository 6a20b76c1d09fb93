"""Meta-specific `ProviderError` subclasses and the classification of Graph API errors.

`classify_graph_error` is pure: it takes the facts of one failed answer (HTTP status, Graph
error code and subcode, `is_transient`, the usage headers) and returns the error to raise,
so the table below is tested without the SDK. `retryable` keeps its project-wide meaning:
whether the *same call* may succeed later.

| Graph answer | error | retried? |
|---|---|---|
| codes 4, 17, 32, 613, 80000–80014 | `MetaRateLimitedError` | yes, after max(regain estimate, backoff) |
| `is_transient`, codes 1 / 2, HTTP 5xx | `MetaTransientError` | yes |
| code 190 (or 102), invalid or expired token | `MetaTokenInvalidError` | no: the connection is broken |
| codes 100/1504018, 2/1504038, "reduce the amount of data" | `MetaUseAsyncError` | no: ask again as an async report |
| codes 10, 200–299 (permissions) | `MetaPermissionError` | no |
| anything else (100 invalid parameter, …) | `MetaRequestRejectedError` | no |
"""

from __future__ import annotations

from dataclasses import dataclass

from adcreator.providers.errors import ProviderError, ProviderMisconfiguredError, RetryableProviderError
from adcreator.providers.meta.contracts import ApiUsage

RATE_LIMIT_CODES = frozenset({4, 17, 32, 613, *range(80000, 80015)})
TOKEN_INVALID_CODES = frozenset({190, 102})
TRANSIENT_CODES = frozenset({1, 2})
PERMISSION_CODES = frozenset({10, *range(200, 300)})
# (code, subcode) of a synchronous insights call that ran out of time: Meta's advice is to
# request the same data as an async report run.
SYNC_TIMEOUT_CODES = frozenset({(100, 1504018), (2, 1504038)})
_TOO_MUCH_DATA = "reduce the amount of data"


class MetaGraphError(ProviderError):
    """Base of the errors a Graph answer turns into; carries Meta's codes for the record."""

    kind = "meta_graph"

    def __init__(
        self,
        message: str,
        *,
        provider: str,
        status_code: int | None = None,
        retry_after: float | None = None,
        code: int | None = None,
        subcode: int | None = None,
        fbtrace_id: str | None = None,
        usage: ApiUsage | None = None,
    ) -> None:
        super().__init__(message, provider=provider, status_code=status_code, retry_after=retry_after)
        self.code = code
        self.subcode = subcode
        self.fbtrace_id = fbtrace_id
        self.usage = usage


class MetaRateLimitedError(MetaGraphError, RetryableProviderError):
    """A quota is exhausted. `retry_after` is Meta's own regain estimate in seconds when the
    usage headers gave one (None otherwise: the retry policy's backoff decides)."""

    retryable = True
    kind = "rate_limited"


class MetaTransientError(MetaGraphError, RetryableProviderError):
    """Meta says try again (is_transient, unknown/temporary error, 5xx, connection lost)."""

    retryable = True
    kind = "transient"


class MetaTokenInvalidError(MetaGraphError, ProviderMisconfiguredError):
    """The access token is invalid or expired (OAuthException 190): mark the connection
    broken and stop calling until it is replaced. Never retried."""

    retryable = False
    kind = "token_invalid"


class MetaPermissionError(MetaGraphError, ProviderMisconfiguredError):
    """The token works but lacks the permission for this object (ads_read, ads_management)."""

    retryable = False
    kind = "permission"


class MetaRequestRejectedError(MetaGraphError, ProviderMisconfiguredError):
    """Meta refused the request itself (invalid parameter, unknown object…)."""

    retryable = False
    kind = "rejected"


class MetaUseAsyncError(MetaGraphError):
    """A synchronous insights call timed out on Meta's side: ask for an async report run.
    The adapter catches this and switches; repeating the same synchronous call would not help."""

    retryable = False
    kind = "use_async"


class MetaReportFailedError(ProviderError):
    """An async report run ended "Job Failed" or "Job Skipped". A new run may succeed."""

    retryable = True
    kind = "report_failed"


class MetaReportTimeoutError(ProviderError):
    """An async report run did not complete within the adapter's bounded wait."""

    retryable = True
    kind = "report_timeout"


class MetaOutcomeUnknownError(ProviderError):
    """A create call (POST) failed in a way that does not prove Meta did nothing — a lost
    connection, a 5xx, a transient error. Not retried: a retry could create a duplicate."""

    retryable = False
    kind = "outcome_unknown"


class MetaDeploymentError(ProviderError):
    """Creating an experiment's structure stopped part-way. `created` lists what exists on
    Meta (all PAUSED) so the caller can record or delete it; `cause` is the error that
    stopped it, and `retryable` is the cause's."""

    kind = "deployment_failed"

    def __init__(self, message: str, *, provider: str, created: dict[str, list[str]], cause: ProviderError) -> None:
        super().__init__(message, provider=provider, status_code=cause.status_code, retry_after=cause.retry_after)
        self.created = created
        self.cause = cause
        self.retryable = cause.retryable


@dataclass(frozen=True)
class GraphErrorFacts:
    """What one failed Graph answer said, already scrubbed of secrets."""

    http_status: int | None
    code: int | None
    subcode: int | None
    is_transient: bool
    error_type: str | None
    message: str
    fbtrace_id: str | None = None
    usage: ApiUsage | None = None


def classify_graph_error(facts: GraphErrorFacts, *, provider: str) -> MetaGraphError:
    code, subcode = facts.code, facts.subcode
    label = f"Graph error {code}" + (f"/{subcode}" if subcode else "") if code is not None else "Graph error"
    text = f"{label}" + (f" ({facts.error_type})" if facts.error_type else "") + f": {facts.message or 'no message'}"
    if facts.fbtrace_id:
        text += f" [fbtrace_id {facts.fbtrace_id}]"
    common = dict(
        provider=provider, status_code=facts.http_status, code=code, subcode=subcode,
        fbtrace_id=facts.fbtrace_id, usage=facts.usage,
    )
    if code in TOKEN_INVALID_CODES:
        return MetaTokenInvalidError(text, **common)
    if (code, subcode) in SYNC_TIMEOUT_CODES or (code == 1 and _TOO_MUCH_DATA in (facts.message or "").lower()):
        return MetaUseAsyncError(text, **common)
    if code in RATE_LIMIT_CODES:
        regain = facts.usage.regain_access_seconds if facts.usage else None
        return MetaRateLimitedError(text, retry_after=regain, **common)
    if facts.is_transient or code in TRANSIENT_CODES or (facts.http_status or 0) >= 500:
        return MetaTransientError(text, **common)
    if code in PERMISSION_CODES:
        return MetaPermissionError(text, **common)
    return MetaRequestRejectedError(text, **common)
