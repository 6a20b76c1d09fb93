"""Writes the call ledger: one ProviderCall row per attempt at a model call."""

from __future__ import annotations

from decimal import Decimal

from adcreator.prompts.estimate import CostTable
from adcreator.providers.calls import PendingCall
from adcreator.providers.retry import AttemptRecord
from generation.models import ProviderCall

# Purposes map onto the estimate's price table so the ledger and the estimate agree.
_PRICE_FIELD = {
    "image_generation": "image_generation",
    "congruence": "text_call",
    "hook_adaptation": "text_call",
    "template_analysis": "text_call",
    "defect_scan": "defect_scan",
    "rubric_review": "rubric_review",
    "second_opinion": "second_opinion",
}


def _outcome(attempt: AttemptRecord) -> str:
    if attempt.error is None:
        return ProviderCall.Outcome.OK
    if attempt.error.kind == "blocked":
        return ProviderCall.Outcome.BLOCKED
    return ProviderCall.Outcome.RETRYABLE_ERROR if attempt.error.retryable else ProviderCall.Outcome.ERROR


class CallLedger:
    def __init__(self, *, job_run_id: int | None, ad_run_id: int | None, prices: CostTable | None = None):
        self.job_run_id = job_run_id
        self.ad_run_id = ad_run_id
        self.prices = prices or CostTable()

    def cost_of(self, purpose: str, provider: str, attempt: AttemptRecord) -> Decimal:
        # The local providers cost nothing; a failed remote call is assumed unbilled.
        if provider == "local" or attempt.error is not None:
            return Decimal("0")
        return getattr(self.prices, _PRICE_FIELD.get(purpose, "text_call"))

    def rows(self, calls: list[PendingCall], *, ad_id: int | None = None) -> list[ProviderCall]:
        return [
            ProviderCall(
                job_run_id=self.job_run_id,
                ad_run_id=self.ad_run_id,
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

