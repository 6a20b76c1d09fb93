"""Writes the call ledger and wraps a provider call with retries and recording.

Two ways in, for two situations:
- `CallLedger.call(...)`: run one call now (retries included) and record every attempt —
  template detection, a Meta page, anything called from the thread that writes;
- `tracked_call(...)` in a worker thread (it touches no database), then `CallLedger.write(...)`
  from the thread that owns the writes — the pipeline's concurrent image and review calls.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Callable, TypeVar

from django.conf import settings

from adcreator.calls.models import ProviderCall
from adcreator.prompts.estimate import CostTable
from adcreator.providers.calls import PendingCall, tracked_call
from adcreator.providers.errors import ProviderError
from adcreator.providers.retry import AttemptRecord, RetryPolicy

T = TypeVar("T")

# Purpose → the price-table field that prices it, so the ledger and the estimate agree.
PURPOSE_PRICES: dict[str, str] = {
    "image_generation": "image_generation",
    "congruence": "text_call",
    "hook_adaptation": "text_call",
    "template_analysis": "text_call",
    "defect_scan": "defect_scan",
    "rubric_review": "rubric_review",
    "second_opinion": "second_opinion",
}
# APIs that bill nothing per call: Meta's Marketing API ("meta.insights.page", "meta.deploy.ad", …).
FREE_PURPOSE_PREFIXES = ("meta.",)
# Providers that run on our own machine: nothing is billed.
FREE_PROVIDERS = frozenset({"local", "simulated", "meta_simulated"})


def configured_providers_free() -> bool:
    """Whether the providers a generation job calls (image, review, text) run locally as
    configured: an estimate at list prices is then what it would cost, not what is charged."""
    names = (settings.ADCREATOR_IMAGE_PROVIDER, settings.ADCREATOR_REVIEW_PROVIDER, settings.ADCREATOR_TEXT_PROVIDER)
    return all(name in FREE_PROVIDERS for name in names)


def retry_policy() -> RetryPolicy:
    """The retry policy of every external call, from settings."""
    return RetryPolicy(max_attempts=settings.ADCREATOR_PROVIDER_MAX_ATTEMPTS,
                       base_delay=settings.ADCREATOR_RETRY_BASE_SECONDS)


def _outcome(attempt: AttemptRecord) -> str:
    if attempt.error is None:
        return ProviderCall.Outcome.OK
    if attempt.error.kind == "blocked":
        return ProviderCall.Outcome.BLOCKED
    return ProviderCall.Outcome.RETRYABLE_ERROR if attempt.error.retryable else ProviderCall.Outcome.ERROR


@dataclass(frozen=True)
class CallScope:
    """Whom a call is made for: the organization always, the rest when there is one."""

    organization_id: int
    brand_id: int | None = None
    job_run_id: int | None = None


class CallLedger:
    def __init__(self, scope: CallScope, *, prices: CostTable | None = None):
        self.scope = scope
        self.prices = prices or CostTable()

    def cost_of(self, purpose: str, provider: str, attempt: AttemptRecord) -> Decimal:
        if purpose.startswith(FREE_PURPOSE_PREFIXES):
            return Decimal("0")
        if purpose not in PURPOSE_PRICES:
            raise ValueError(f"unknown call purpose {purpose!r}: add it to PURPOSE_PRICES")
        # A failed remote call is assumed unbilled; local and simulated providers cost nothing.
        if provider in FREE_PROVIDERS or attempt.error is not None:
            return Decimal("0")
        return getattr(self.prices, PURPOSE_PRICES[purpose])

    def rows(self, calls: list[PendingCall], *, ad_id: int | None = None) -> list[ProviderCall]:
        return [
            ProviderCall(
                organization_id=self.scope.organization_id,
                brand_id=self.scope.brand_id,
                job_run_id=self.scope.job_run_id,
                ad_id=ad_id,
                purpose=call.purpose,
                provider=call.provider,
                model=call.model,
                input_tokens=(call.usage.input_tokens if call.usage and call.attempt.error is None else 0),
                output_tokens=(call.usage.output_tokens if call.usage and call.attempt.error is None else 0),
                cost_usd=self.cost_of(call.purpose, call.provider, call.attempt),
                latency_ms=call.attempt.latency_ms,
                outcome=_outcome(call.attempt),
                error=str(call.attempt.error or "")[:2000],
            )
            for call in calls
        ]

    def write(self, calls: list[PendingCall], *, ad_id: int | None = None) -> None:
        if calls:
            ProviderCall.objects.bulk_create(self.rows(calls, ad_id=ad_id))

    def call(self, fn: Callable[[], T], *, purpose: str, provider: str, model: str,
             policy: RetryPolicy | None = None, ad_id: int | None = None) -> tuple[T | None, ProviderError | None]:
        """Run `fn` with retries and record every attempt; (result, None) or (None, error)."""
        result, error, calls = tracked_call(fn, purpose=purpose, provider=provider, model=model,
                                            policy=policy or retry_policy())
        self.write(calls, ad_id=ad_id)
        return result, error
