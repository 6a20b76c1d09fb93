"""The Graph adapter through the real facebook-business SDK against the local Graph stand-in."""

from __future__ import annotations

import logging
import socket
import traceback
from datetime import date
from decimal import Decimal

import pytest
from facebook_business.api import FacebookAdsApi
from facebook_business.session import FacebookSession

from adcreator.providers.errors import (
    InvalidInputError,
    ProviderError,
    ProviderMisconfiguredError,
)
from adcreator.providers.meta.contracts import MetaPerformanceSource
from adcreator.providers.meta.errors import (
    MetaRateLimitedError,
    MetaReportFailedError,
    MetaReportTimeoutError,
    MetaRequestRejectedError,
    MetaTokenInvalidError,
    MetaTransientError,
)
from adcreator.providers.meta.graph import GraphMetaSource
from adcreator.providers.meta.runner import MetaRetryPolicy
from tests.fakes.meta_faults import (
    graph_error,
    high_usage,
    html_error,
    rate_limited,
    slow,
    sync_timeout,
    token_expired,
    transient,
)
from tests.fakes.meta_fixtures import (  # noqa: F401 (fixtures)
    ACCOUNT,
    AD_IDS,
    CAMPAIGN_ID,
    Recorder,
    adapter,
    graph_server,
    graph_server_for_module,
)
from tests.fakes.meta_graph_server import META_TEST_TOKEN


def read_all(source: GraphMetaSource, since: date, until: date, **kwargs):
    return list(source.iter_insight_pages(ACCOUNT, since, until, **kwargs))


# -- insights: paging, async, units ----------------------------------------------------------


def test_it_answers_the_protocol_and_leaves_the_sdk_defaults_alone(graph_server):
    source = adapter(graph_server)
    assert isinstance(source, MetaPerformanceSource)
    assert source.api_version == "v26.0" and source.provider_name == "graph"
    assert FacebookAdsApi.get_default_api() is None  # never the process-wide default API
    assert FacebookSession.GRAPH == "https://graph.facebook.com"  # the class attribute is untouched


def test_sync_insights_follow_paging_to_the_end(graph_server):
    source = adapter(graph_server)
    pages = read_all(source, date(2026, 3, 1), date(2026, 3, 5))  # 5 days: synchronous
    rows = [row for page in pages for row in page.rows]
    assert len(rows) == 3 * 5 + 1  # three ads for five days, plus the sparse one on 03-02
    assert len(pages) == 4  # 16 rows, 5 per page
    assert [page.page_number for page in pages] == list(range(1, len(pages) + 1))
    assert [page.has_more for page in pages] == [True] * (len(pages) - 1) + [False]
    assert {page.delivery for page in pages} == {"sync"}
    requests = graph_server.requests_to("insights")
    assert len(requests) == len(pages)
    first = requests[0]
    assert (first.query["level"], first.query["time_increment"]) == ("ad", "1")
    assert first.query["time_range"] == '{"since":"2026-03-01","until":"2026-03-05"}'
    assert "ad_id" in first.query["fields"].split(",") and first.query["limit"] == "5"
    assert "after" not in first.query and all("after" in r.query for r in requests[1:])
    assert len({(row.meta_ad_id, row.date) for row in rows}) == len(rows)  # nothing twice


def test_units_string_numbers_action_lists_and_missing_fields(graph_server):
    pages = read_all(adapter(graph_server), date(2026, 3, 1), date(2026, 3, 2))
    rows = {(row.meta_ad_id, row.date.isoformat()): row for page in pages for row in page.rows}
    row = rows[(AD_IDS[0], "2026-03-01")]
    assert (row.impressions, row.clicks, row.reach) == (2500, 40, 2000)
    assert row.spend == Decimal("27.50") and row.cpm == Decimal("11.000000")
    assert row.ctr == pytest.approx(0.016)  # "1.600000" per cent
    assert row.conversions == 2 and row.conversion_value == Decimal("99.90")  # once, not three times
    assert row.roas == pytest.approx(99.90 / 27.50)
    assert row.conversion_rate == pytest.approx(2 / 40)
    sparse = rows[("120210000000009", "2026-03-02")]
    assert sparse.clicks is None and sparse.reach is None and sparse.frequency is None
    assert sparse.conversions is None and sparse.conversion_value is None and sparse.roas is None
    assert sparse.ctr is None  # no clicks reported, so no CTR: not 0
    assert sparse.ad_name is None and sparse.campaign_id is None


def test_long_ranges_go_through_an_async_report_run(graph_server):
    graph_server.report_polls_until_done = 2
    recorder = Recorder()
    source = adapter(graph_server, recorder, report_poll_seconds=2.0)
    pages = read_all(source, date(2026, 3, 1), date(2026, 3, 10))  # 10 days > 7: async
    assert {page.delivery for page in pages} == {"async"} and len(pages) >= 3
    assert sum(len(page.rows) for page in pages) == 3 * 10 + 1
    assert [r.endpoint for r in graph_server.requests][:4] == ["report_start", "report_status", "report_status", "report_status"]
    start = graph_server.requests_to("report_start")[0]
    assert start.method == "POST" and start.form["level"] == "ad" and start.form["time_increment"] == "1"
    assert '"ad_id"' in start.form["fields"]  # the SDK sends the async fields as a JSON list
    assert recorder.sleeps == [2.0, 3.0]  # polled until "Job Completed", backing off
    assert not graph_server.requests_to("insights")


def test_a_sync_call_that_times_out_falls_back_to_async(graph_server):
    graph_server.inject(sync_timeout(100, 1504018), on="insights")
    pages = read_all(adapter(graph_server), date(2026, 3, 1), date(2026, 3, 3))
    assert {page.delivery for page in pages} == {"async"}
    assert sum(len(page.rows) for page in pages) == 3 * 3 + 1
    assert [r.endpoint for r in graph_server.requests][:2] == ["insights", "report_start"]


def test_a_timeout_mid_paging_restarts_as_async_and_keeps_counting_pages(graph_server):
    source = adapter(graph_server)
    pages = iter(source.iter_insight_pages(ACCOUNT, date(2026, 3, 1), date(2026, 3, 5)))
    first = next(pages)
    graph_server.inject(sync_timeout(2, 1504038), on="insights")  # page 2 times out
    rest = list(pages)
    assert first.delivery == "sync" and {page.delivery for page in rest} == {"async"}
    assert [page.page_number for page in [first, *rest]] == list(range(1, len(rest) + 2))
    # The async pages hand over the whole range again (the caller upserts), nothing lost.
    assert sum(len(page.rows) for page in rest) == 3 * 5 + 1


def test_a_sync_page_we_give_up_waiting_for_falls_back_to_async_without_retrying(graph_server):
    recorder = Recorder()
    graph_server.inject(slow(1.5), on="insights")
    pages = read_all(adapter(graph_server, recorder, timeout_seconds=0.3), date(2026, 3, 1), date(2026, 3, 3))
    assert {page.delivery for page in pages} == {"async"} and sum(len(p.rows) for p in pages) == 3 * 3 + 1
    assert len(graph_server.requests_to("insights")) == 1
    assert type(recorder.calls[0].attempt.error).__name__ == "MetaUseAsyncError"  # recorded, not retried


def test_settings_are_checked_when_the_adapter_is_built(graph_server):
    for kwargs in (dict(access_token=" "), dict(api_version="26.0"), dict(base_url="graph.example:443")):
        with pytest.raises(ProviderMisconfiguredError):
            GraphMetaSource(**{"access_token": META_TEST_TOKEN, "base_url": graph_server.base_url, **kwargs})


def test_report_job_failed_and_report_wait_bounded(graph_server):
    graph_server.report_outcome = "Job Failed"
    with pytest.raises(MetaReportFailedError) as failed:
        read_all(adapter(graph_server), date(2026, 3, 1), date(2026, 3, 10))
    assert failed.value.retryable  # a new report run may succeed

    graph_server.reset()
    graph_server.report_polls_until_done = 1000
    now = [0.0]

    def sleep(seconds: float) -> None:
        now[0] += seconds

    source = adapter(graph_server, sleep=sleep, monotonic=lambda: now[0], report_timeout_seconds=60, report_poll_seconds=5)
    with pytest.raises(MetaReportTimeoutError):
        read_all(source, date(2026, 3, 1), date(2026, 3, 10))
    assert now[0] <= 60


# -- rate limits, transient errors, tokens ---------------------------------------------------


def test_code_17_with_a_usage_header_is_retried_after_the_regain_estimate(graph_server):
    recorder = Recorder()
    graph_server.inject(rate_limited(17, regain_minutes=2), on="insights")
    pages = read_all(adapter(graph_server, recorder), date(2026, 3, 1), date(2026, 3, 2))
    assert sum(len(page.rows) for page in pages) == 3 * 2 + 1
    assert recorder.sleeps[0] == 120  # 2 minutes, not 2 seconds
    attempts = [(c.purpose, c.attempt.attempt, type(c.attempt.error).__name__) for c in recorder.calls]
    assert attempts[:2] == [("meta.insights.page", 1, "MetaRateLimitedError"), ("meta.insights.page", 2, "NoneType")]
    assert all(c.provider == "meta_graph" and c.model == "v26.0" for c in recorder.calls)


@pytest.mark.parametrize("fault", [rate_limited(80004), rate_limited(613), rate_limited(4), transient(2), html_error(502)],
                         ids=["80004", "613", "4", "transient", "html-502"])
def test_throttles_and_transient_errors_are_retried_with_backoff(graph_server, fault):
    recorder = Recorder()
    graph_server.inject(fault, on="insights")
    pages = read_all(adapter(graph_server, recorder), date(2026, 3, 1), date(2026, 3, 2))
    assert sum(len(page.rows) for page in pages) == 3 * 2 + 1
    assert len(recorder.sleeps) == 1 and 1.0 <= recorder.sleeps[0] <= 2.0  # attempt 1: within [1, 2] s
    assert isinstance(recorder.calls[0].attempt.error, (MetaRateLimitedError, MetaTransientError))


def test_retries_run_out_with_a_retryable_error(graph_server):
    graph_server.inject(*[transient(2)] * 3, on="insights")
    source = adapter(graph_server, policy=MetaRetryPolicy(max_attempts=3))
    with pytest.raises(MetaTransientError) as caught:
        read_all(source, date(2026, 3, 1), date(2026, 3, 2))
    assert caught.value.retryable and len(graph_server.requests_to("insights")) == 3


def test_an_expired_token_raises_token_invalid_at_once(graph_server):
    recorder = Recorder()
    graph_server.inject(token_expired(), on="insights")
    with pytest.raises(MetaTokenInvalidError) as caught:
        read_all(adapter(graph_server, recorder), date(2026, 3, 1), date(2026, 3, 2))
    assert caught.value.code == 190 and caught.value.subcode == 463 and not caught.value.retryable
    assert len(graph_server.requests) == 1 and not recorder.sleeps


def test_a_wrong_token_is_token_invalid_too(graph_server):
    with pytest.raises(MetaTokenInvalidError):
        adapter(graph_server, token="EAAnot-the-right-token-123").list_campaigns(ACCOUNT)


def test_high_usage_slows_down_before_meta_refuses(graph_server):
    recorder = Recorder()
    graph_server.inject(high_usage(percent=96), on="insights")
    source = adapter(graph_server, recorder, slow_down_pause_seconds=30)
    pages = read_all(source, date(2026, 3, 1), date(2026, 3, 5))
    assert pages[0].usage.max_percent == 96 and pages[1].usage is None
    assert source.slow_downs == [30] and recorder.sleeps == [30]  # one pause, before page 2


# -- campaigns ------------------------------------------------------------------------------


def test_campaigns_by_id_and_from_the_account_edge(graph_server):
    source = adapter(graph_server, page_limit=2)
    by_id = source.list_campaigns(ACCOUNT, ["120200000000002", CAMPAIGN_ID])
    assert [(c.id, c.objective, c.status, c.account_id) for c in by_id] == [
        ("120200000000002", "LINK_CLICKS", "PAUSED", ACCOUNT), (CAMPAIGN_ID, "OUTCOME_SALES", "ACTIVE", ACCOUNT)]
    every = source.list_campaigns(ACCOUNT)  # 3 campaigns, 2 per page: paging followed
    assert len(every) == 3 and len(graph_server.requests_to("campaigns")) == 2
    assert {c.id: c.objective for c in every}["120200000000003"] is None


def test_a_failing_campaigns_call_raises_a_classified_error(graph_server):
    graph_server.inject(graph_error(100, "Unsupported get request.", subcode=33), on="campaign")
    with pytest.raises(MetaRequestRejectedError) as rejected:
        adapter(graph_server).list_campaigns(ACCOUNT, [CAMPAIGN_ID])
    assert not rejected.value.retryable and rejected.value.code == 100
    with pytest.raises(MetaRequestRejectedError):
        adapter(graph_server).list_campaigns(ACCOUNT, ["999999"])  # unknown id
    graph_server.inject(*[transient(2)] * 5, on="campaigns")
    with pytest.raises(MetaTransientError):
        adapter(graph_server).list_campaigns(ACCOUNT)


def test_bad_input_is_a_clear_error_before_any_call(graph_server):
    source = adapter(graph_server)
    with pytest.raises(InvalidInputError):
        source.list_campaigns("1234567890")
    with pytest.raises(InvalidInputError):
        source.iter_insight_pages(ACCOUNT, date(2026, 3, 5), date(2026, 3, 1))  # at the call, not on next()
    with pytest.raises(InvalidInputError):
        source.list_campaigns(ACCOUNT, ["12; DROP"])
    assert not graph_server.requests


# -- the token never leaks ------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_token_appears_in_no_error_log_or_repr(graph_server, caplog):
    caplog.set_level(logging.DEBUG)  # urllib3 logs every request URL (token included) at DEBUG
    texts: list[str] = []
    source = adapter(graph_server)
    pages = read_all(source, date(2026, 3, 1), date(2026, 3, 5))
    texts += [page.model_dump_json() for page in pages] + [repr(source)]
    graph_server.inject(token_expired(), on="insights")
    graph_server.inject(graph_error(100, "Invalid parameter"), on="campaigns")
    dead = adapter(graph_server, base_url=f"http://127.0.0.1:{_free_port()}", policy=MetaRetryPolicy(max_attempts=1))
    for call in (lambda: read_all(source, date(2026, 3, 1), date(2026, 3, 2)),
                 lambda: source.list_campaigns(ACCOUNT),
                 lambda: dead.list_campaigns(ACCOUNT)):  # connection refused: requests puts the URL in its message
        with pytest.raises(ProviderError) as caught:
            call()
        texts += [str(caught.value), repr(caught.value), "".join(traceback.format_exception(caught.value))]
        logging.getLogger("adcreator").exception("sync failed", exc_info=caught.value)
    assert graph_server.requests[0].query["access_token"] == META_TEST_TOKEN  # it did travel
    everything = "\n".join(texts) + caplog.text
    assert "access_token=[redacted]" in caplog.text  # the request URL lines were logged...
    assert META_TEST_TOKEN not in everything  # ...without the token
