"""The Meta performance source of an ad account, chosen by settings (ADCREATOR_META_PROVIDER).

Both answer `adcreator.providers.meta.contracts.MetaPerformanceSource`; what `meta_sync` stores
cannot tell them apart except by the source recorded on every row (labelled "Simulated").
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings

from adcreator.providers.calls import PendingCall
from adcreator.providers.errors import ProviderMisconfiguredError
from adcreator.providers.meta.contracts import MetaPerformanceSource
from adcreator.providers.meta.graph import DEFAULT_API_VERSION, GraphMetaSource
from adcreator.providers.meta.runner import MetaRetryPolicy, RetryingCallRunner
from adcreator.providers.meta.simulated import SimulatedMetaSource
from genome.market_store import DbLaunchStore
from genome.models import AdAccount, Source
from genome.secrets import decrypt_token

PROVIDERS = ("simulated", "graph")


def configured_source() -> str:
    """The source new connections use: "simulated" (offline default) or "graph"."""
    name = settings.ADCREATOR_META_PROVIDER
    if name not in PROVIDERS:
        raise ProviderMisconfiguredError(f"ADCREATOR_META_PROVIDER={name!r}; expected one of {', '.join(PROVIDERS)}",
                                         provider="meta")
    return name


def source_for(account: AdAccount, *, observer: Callable[[PendingCall], None]) -> MetaPerformanceSource:
    """The adapter that reads this account, every call reported to `observer` (the ledger).

    Raises genome.secrets.TokenUnreadable when a Graph account's token cannot be decrypted."""
    if account.source == Source.SIMULATED:
        return SimulatedMetaSource(DbLaunchStore(account), seed=settings.ADCREATOR_SIMULATED_MARKET_SEED,
                                   currency=account.currency)
    policy = MetaRetryPolicy(base_delay=settings.ADCREATOR_RETRY_BASE_SECONDS,
                             max_wait=settings.ADCREATOR_META_MAX_WAIT_SECONDS)
    runner = RetryingCallRunner(provider="meta_graph", model=settings.META_API_VERSION or DEFAULT_API_VERSION,
                                policy=policy, observer=observer)
    return GraphMetaSource(decrypt_token(account.access_token_encrypted), base_url=settings.META_GRAPH_BASE_URL,
                           api_version=settings.META_API_VERSION, runner=runner,
                           timeout_seconds=settings.ADCREATOR_PROVIDER_TIMEOUT_SECONDS,
                           slow_down_pause_seconds=settings.ADCREATOR_META_SLOW_DOWN_SECONDS,
                           max_slow_down_seconds=settings.ADCREATOR_META_MAX_WAIT_SECONDS,
                           report_poll_seconds=settings.ADCREATOR_META_REPORT_POLL_SECONDS)
