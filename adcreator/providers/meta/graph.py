"""The Meta performance source on the official `facebook-business` SDK.

- One `FacebookSession` + `FacebookAdsApi` per adapter (`session.GRAPH = base_url`), passed
  to every SDK object: the SDK's process-wide default API is never set or read, and
  `FacebookAdsApi.init` (which starts a crash reporter posting to Meta) is never called.
- Every HTTP call — one insights page, one report-run poll, one create — goes through the
  injected `CallRunner` with a purpose string (`PURPOSES`), so retries and the call ledger
  are the caller's (see `runner.py`). SDK exceptions become `ProviderError`s here
  (`errors.classify_graph_error`), raised outside the `except` block so the SDK exception —
  whose text can hold request URLs, and so the token — is not chained to them.
- Insights: ranges up to `async_threshold_days` days are read synchronously with cursor
  paging; longer ones as an async report run. A synchronous call Meta times out
  (`MetaUseAsyncError`) restarts the whole range as a report run; pages already handed
  over are handed over again (the caller upserts on (ad, date), so nothing doubles).
- When a response's usage headers reach 95 % the next call waits first (`usage.py`).
- The access token lives only in the SDK session; `redact.scrub` removes it from every
  message we build and a log filter keeps it out of urllib3's request lines.

One adapter serves one sync at a time (it remembers the last usage figures); build one per
run. Settings arrive as constructor arguments; this module does not read Django settings.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from typing import Any, Literal, TypeVar

import requests
from facebook_business.adobjects.adaccount import AdAccount
from facebook_business.adobjects.adreportrun import AdReportRun
from facebook_business.adobjects.campaign import Campaign
from facebook_business.api import FacebookAdsApi, FacebookResponse
from facebook_business.exceptions import FacebookError, FacebookRequestError
from facebook_business.session import FacebookSession

from adcreator.providers.errors import (
    InvalidInputError,
    MalformedResponseError,
    ProviderError,
    ProviderMisconfiguredError,
    UnexpectedProviderError,
)
from adcreator.providers.meta.contracts import (
    ApiUsage,
    ExperimentDeploymentRequest,
    ExperimentDeploymentResult,
    InsightPage,
    MetaCampaign,
    validate_account_id,
    validate_date_range,
)
from adcreator.providers.meta.errors import (
    GraphErrorFacts,
    MetaReportFailedError,
    MetaReportTimeoutError,
    MetaTransientError,
    MetaUseAsyncError,
    classify_graph_error,
)
from adcreator.providers.meta.graph_deploy import deploy_experiment
from adcreator.providers.meta.parsing import CAMPAIGN_FIELDS, INSIGHT_FIELDS, campaign_from_wire, insights_from_wire
from adcreator.providers.meta.redact import install_log_filter, scrub
from adcreator.providers.meta.runner import CallRunner, RetryingCallRunner
from adcreator.providers.meta.usage import parse_usage, slow_down_seconds

PROVIDER = "meta_graph"  # the `provider` of errors and ledger records
DEFAULT_API_VERSION: str = FacebookAdsApi.API_VERSION  # the SDK's own ("v26.0" for 26.0.3)
# Meta's insights edge answers pages of up to a few hundred rows comfortably at ad level.
DEFAULT_PAGE_LIMIT = 500
# Longer ranges go through an async report run from the start: at ad level a 28-day window
# of a large account is what makes synchronous calls time out.
DEFAULT_ASYNC_THRESHOLD_DAYS = 7
REPORT_DONE = "Job Completed"
_API_VERSION = re.compile(r"^v\d+\.\d+$")
REPORT_FAILED = ("Job Failed", "Job Skipped")

PURPOSES = {
    "insights_page": "meta.insights.page",
    "report_start": "meta.insights.report_start",
    "report_status": "meta.insights.report_status",
    "report_page": "meta.insights.report_page",
    "campaign_get": "meta.campaigns.get",
    "campaigns_page": "meta.campaigns.page",
    "create_campaign": "meta.deploy.campaign",
    "create_adset": "meta.deploy.adset",
    "upload_image": "meta.deploy.image",
    "create_creative": "meta.deploy.creative",
    "create_ad": "meta.deploy.ad",
}

T = TypeVar("T")
Mode = Literal["auto", "sync", "async"]


class GraphMetaSource:
    """MetaPerformanceSource on the Graph API."""

    provider_name = "graph"
    pages_off_thread = True  # HTTP and parsing only

    def __init__(
        self,
        access_token: str,
        *,
        base_url: str | None = None,
        api_version: str | None = None,
        runner: CallRunner | None = None,
        page_limit: int = DEFAULT_PAGE_LIMIT,
        async_threshold_days: int = DEFAULT_ASYNC_THRESHOLD_DAYS,
        timeout_seconds: float = 60,
        report_poll_seconds: float = 2.0,
        report_max_poll_seconds: float = 20.0,
        report_timeout_seconds: float = 900.0,
        slow_down_pause_seconds: float = 30.0,
        max_slow_down_seconds: float = 300.0,
        sleep: Callable[[float], None] = time.sleep,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        if not access_token or not access_token.strip():
            raise ProviderMisconfiguredError("no Meta access token for this ad account", provider=PROVIDER)
        self.api_version = api_version or DEFAULT_API_VERSION
        if not _API_VERSION.match(self.api_version):
            raise ProviderMisconfiguredError(f"META_API_VERSION must look like v26.0, got {self.api_version!r}", provider=PROVIDER)
        self.base_url = (base_url or FacebookSession.GRAPH).rstrip("/")
        if not self.base_url.startswith(("http://", "https://")):
            raise ProviderMisconfiguredError(f"META_GRAPH_BASE_URL must be an http(s) URL, got {self.base_url!r}", provider=PROVIDER)
        self.page_limit = page_limit
        self.async_threshold_days = async_threshold_days
        self.timeout_seconds = timeout_seconds
        self.report_poll_seconds = report_poll_seconds
        self.report_max_poll_seconds = report_max_poll_seconds
        self.report_timeout_seconds = report_timeout_seconds
        self.slow_down_pause_seconds = slow_down_pause_seconds
        self.max_slow_down_seconds = max_slow_down_seconds
        self._sleep = sleep
        self._monotonic = monotonic
        self._runner = runner or RetryingCallRunner(provider=PROVIDER, model=self.api_version, sleep=sleep)
        self._secrets = (access_token,)
        session = FacebookSession(access_token=access_token, timeout=timeout_seconds)
        session.GRAPH = self.base_url  # an instance attribute: other sessions keep Meta's URL
        self._api = FacebookAdsApi(session, self.api_version)
        self._last_usage: ApiUsage | None = None
        # What the usage headers made us wait, in order (seconds), for the caller's metadata.
        self.slow_downs: list[float] = []
        install_log_filter()

    def __repr__(self) -> str:
        return f"GraphMetaSource(base_url={self.base_url!r}, api_version={self.api_version!r})"

    @property
    def last_usage(self) -> ApiUsage | None:
        return self._last_usage

    # -- campaigns ------------------------------------------------------------------------

    def list_campaigns(self, account_id: str, campaign_ids: Sequence[str] | None = None) -> list[MetaCampaign]:
        validate_account_id(account_id, provider=PROVIDER)
        if campaign_ids is None:
            params = {"fields": ",".join(CAMPAIGN_FIELDS), "limit": self.page_limit}
            return [
                campaign_from_wire(raw, account_id)
                for rows, _, _ in self._pages(account_id, "campaigns", params, PURPOSES["campaigns_page"])
                for raw in rows
            ]
        wanted = list(dict.fromkeys(str(cid) for cid in campaign_ids))  # once each, in the order given
        bad = [cid for cid in wanted if not cid.isdigit()]
        if bad:
            raise InvalidInputError(f"campaign ids must be digits, got {bad!r}", provider=PROVIDER)
        campaigns = []
        for campaign_id in wanted:
            node = self._call(
                PURPOSES["campaign_get"],
                lambda cid=campaign_id: Campaign(str(cid), api=self._api).api_get(fields=list(CAMPAIGN_FIELDS)),
            )
            campaigns.append(campaign_from_wire(node.export_all_data(), account_id))
        return campaigns

    # -- insights -------------------------------------------------------------------------

    def iter_insight_pages(self, account_id: str, since: date, until: date, *, mode: Mode = "auto") -> Iterator[InsightPage]:
        """Pages of daily ad insights. Bad arguments raise here, before any call; `mode`
        forces sync or async (the default decides by the range's length)."""
        validate_account_id(account_id, provider=PROVIDER)
        validate_date_range(since, until, provider=PROVIDER)
        return self._insight_pages(account_id, since, until, mode)

    def _insight_pages(self, account_id: str, since: date, until: date, mode: Mode) -> Iterator[InsightPage]:
        params: dict[str, Any] = {
            "level": "ad",
            "time_increment": "1",
            "time_range": {"since": since.isoformat(), "until": until.isoformat()},
        }
        days = (until - since).days + 1
        counter = _PageCounter()
        if mode == "async" or (mode == "auto" and days > self.async_threshold_days):
            yield from self._report_pages(account_id, params, counter)
            return
        try:
            yield from self._sync_pages(account_id, params, counter)
        except MetaUseAsyncError:
            if mode == "sync":
                raise
            yield from self._report_pages(account_id, params, counter)

    def _sync_pages(self, account_id: str, params: dict, counter: "_PageCounter") -> Iterator[InsightPage]:
        query = {**params, "fields": ",".join(INSIGHT_FIELDS), "limit": self.page_limit}
        pages = self._pages(account_id, "insights", query, PURPOSES["insights_page"], timeout_means_async=True)
        for rows, headers, more in pages:
            yield self._page(rows, headers, more, "sync", counter)

    def _report_pages(self, account_id: str, params: dict, counter: "_PageCounter") -> Iterator[InsightPage]:
        run_id = self._start_report(account_id, params)
        self._wait_for_report(run_id)
        query = {"limit": self.page_limit}
        for rows, headers, more in self._pages(run_id, "insights", query, PURPOSES["report_page"]):
            yield self._page(rows, headers, more, "async", counter)

    def _page(self, rows: list, headers: Any, more: bool, delivery: str, counter: "_PageCounter") -> InsightPage:
        parsed, skipped = insights_from_wire(rows)
        return InsightPage(
            rows=parsed, page_number=counter.next(), has_more=more, delivery=delivery,  # type: ignore[arg-type]
            usage=parse_usage(headers), skipped=skipped,
        )

    def _start_report(self, account_id: str, params: dict) -> str:
        account = AdAccount(account_id, api=self._api)
        run = self._call(
            PURPOSES["report_start"],
            lambda: account.get_insights(fields=list(INSIGHT_FIELDS), params=dict(params), is_async=True),
        )
        run_id = run.export_all_data().get("report_run_id") or run.get_id()
        if not run_id:
            raise MalformedResponseError("async insights answered without a report_run_id", provider=PROVIDER)
        return str(run_id)

    def _wait_for_report(self, run_id: str) -> None:
        """Poll the report run until it completes, fails, or the bounded wait runs out."""
        deadline = self._monotonic() + self.report_timeout_seconds
        interval = self.report_poll_seconds
        fields = [AdReportRun.Field.async_status, AdReportRun.Field.async_percent_completion]
        while True:
            run = self._call(PURPOSES["report_status"], lambda: AdReportRun(run_id, api=self._api).api_get(fields=fields))
            data = run.export_all_data()
            status = data.get("async_status")
            if status == REPORT_DONE:
                return
            if status in REPORT_FAILED:
                raise MetaReportFailedError(f"report run {run_id} ended {status!r}", provider=PROVIDER)
            if self._monotonic() + interval > deadline:
                raise MetaReportTimeoutError(
                    f"report run {run_id} still {status!r} ({data.get('async_percent_completion')} %) "
                    f"after {self.report_timeout_seconds:g}s", provider=PROVIDER,
                )
            self._sleep(interval)
            interval = min(interval * 1.5, self.report_max_poll_seconds)

    # -- experiments ----------------------------------------------------------------------

    def create_experiment(self, request: ExperimentDeploymentRequest) -> ExperimentDeploymentResult:
        def call(purpose_key: str, fn: Callable[[], T], *, idempotent: bool) -> T:
            return self._call(PURPOSES[purpose_key], fn, idempotent=idempotent)

        return deploy_experiment(
            request, account=AdAccount(request.account_id, api=self._api), call=call,
            provider=PROVIDER, provider_name=self.provider_name,
        )

    # -- plumbing -------------------------------------------------------------------------

    def _pages(
        self, node: str, edge: str, params: dict, purpose: str, *, timeout_means_async: bool = False
    ) -> Iterator[tuple[list, Any, bool]]:
        """(rows, headers, more) per page of a GET edge, following `paging` to the end.

        The rule is the SDK Cursor's: ask for the next page (same request plus `after`) only
        when the answer has both `paging.cursors.after` and `paging.next`. The `next` URL
        itself is never used or kept: it carries the access token.

        `timeout_means_async`: a synchronous insights page we gave up waiting for is not
        retried (each retry would wait as long again) but answered with MetaUseAsyncError.
        """
        query = dict(params)
        seen_after: set[str] = set()

        def fetch() -> tuple[FacebookResponse, dict]:
            try:
                response = self._api.call("GET", (node, edge), params=dict(query))
            except requests.Timeout:
                if not timeout_means_async:
                    raise
                timed_out = MetaUseAsyncError(
                    f"{purpose}: no answer within {self.timeout_seconds:g}s; asking for an async report run",
                    provider=PROVIDER,
                )
            else:
                self._last_usage = parse_usage(response.headers())
                return response, _json_body(response, purpose)
            raise timed_out  # outside the except block: the requests exception (URL, token) is not chained

        while True:
            response, body = self._call(purpose, fetch)
            rows = body.get("data")
            if not isinstance(rows, list):
                raise MalformedResponseError(f"{purpose}: answer has no data list", provider=PROVIDER)
            paging = body.get("paging") if isinstance(body.get("paging"), dict) else {}
            after = (paging.get("cursors") or {}).get("after") if isinstance(paging.get("cursors"), dict) else None
            more = bool(after and paging.get("next"))
            if more and after in seen_after:
                raise MalformedResponseError(f"{purpose}: paging cursor did not advance", provider=PROVIDER)
            yield rows, response.headers(), more
            if not more:
                return
            seen_after.add(after)
            query["after"] = after

    def _call(self, purpose: str, fn: Callable[[], T], *, idempotent: bool = True) -> T:
        """One HTTP call through the runner, after any slow-down the last usage asked for."""
        wait = slow_down_seconds(
            self._last_usage, pause_seconds=self.slow_down_pause_seconds, max_pause_seconds=self.max_slow_down_seconds
        )
        if wait > 0:
            self.slow_downs.append(wait)
            self._sleep(wait)
            self._last_usage = None  # waited for it; the next answer says where usage stands
        return self._runner.run(lambda: self._translated(fn), purpose=purpose, idempotent=idempotent)

    def _translated(self, fn: Callable[[], T]) -> T:
        failure: ProviderError
        try:
            result = fn()
        except FacebookRequestError as error:
            failure = self._classify(error)
        except requests.Timeout as error:
            failure = MetaTransientError(
                f"no answer within {self.timeout_seconds:g}s ({type(error).__name__})", provider=PROVIDER
            )
        except requests.ConnectionError as error:
            failure = MetaTransientError(f"connection failed ({type(error).__name__})", provider=PROVIDER)
        except requests.RequestException as error:
            failure = MetaTransientError(f"HTTP failure: {scrub(str(error), self._secrets)}", provider=PROVIDER)
        except json.JSONDecodeError as error:  # the SDK parses error_data without a guard
            failure = MalformedResponseError(f"unreadable answer: {error.msg}", provider=PROVIDER)
        except FacebookError as error:
            failure = UnexpectedProviderError(
                f"SDK error {type(error).__name__}: {scrub(str(error), self._secrets)}", provider=PROVIDER
            )
        else:
            return result
        # Raised here, outside the except blocks, so the SDK exception is not its __context__.
        raise failure

    def _classify(self, error: FacebookRequestError) -> ProviderError:
        body = error.body()
        detail = body.get("error") if isinstance(body, dict) and isinstance(body.get("error"), dict) else {}
        usage = parse_usage(error.http_headers())
        if usage is not None:
            self._last_usage = usage
        facts = GraphErrorFacts(
            http_status=error.http_status(),
            code=_int_or_none(error.api_error_code()),
            subcode=_int_or_none(error.api_error_subcode()),
            is_transient=bool(error.api_transient_error()),
            error_type=error.api_error_type(),
            message=scrub(str(error.api_error_message() or ""), self._secrets)[:500],
            fbtrace_id=detail.get("fbtrace_id"),
            usage=usage,
        )
        return classify_graph_error(facts, provider=PROVIDER)


class _PageCounter:
    """Page numbers that keep counting when a sync read restarts as a report run."""

    def __init__(self) -> None:
        self.value = 0

    def next(self) -> int:
        self.value += 1
        return self.value


def _json_body(response: FacebookResponse, purpose: str) -> dict:
    status = response.status() or 0
    body = response.json()
    if status >= 500:  # the SDK calls an HTML 502 without "Service Unavailable" a success
        raise MetaTransientError(f"{purpose}: HTTP {status}", provider=PROVIDER, status_code=status)
    if not isinstance(body, dict):
        raise MalformedResponseError(f"{purpose}: answer is not a JSON object", provider=PROVIDER, status_code=status)
    return body


def _int_or_none(value: object) -> int | None:
    try:
        return int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
