"""The Graph adapter through the real facebook-business SDK against the local Graph stand-in."""

from __future__ import annotations

import logging
import random
import socket
import traceback
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal

import pytest
from facebook_business.api import FacebookAdsApi
from facebook_business.session import FacebookSession

from adcreator.providers.errors import InvalidInputError, ProviderError, ProviderMisconfiguredError
from adcreator.providers.meta.contracts import (
    AdSetSpec,
    ArmSpec,
    CreativeSpec,
    ExperimentDeploymentRequest,
    MetaPerformanceSource,
)
from adcreator.providers.meta.errors import (
    MetaDeploymentError,
    MetaOutcomeUnknownError,
    MetaRateLimitedError,
    MetaReportFailedError,
    MetaReportTimeoutError,
    MetaRequestRejectedError,
    MetaTokenInvalidError,
    MetaTransientError,
)
from adcreator.providers.meta.graph import DEFAULT_API_VERSION, GraphMetaSource
from adcreator.providers.meta.runner import MetaRetryPolicy, RetryingCallRunner
from tests.fakes.meta_accounts import FakeAdAccount, wire_row
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
from tests.fakes.meta_graph_server import META_TEST_TOKEN, FakeMetaGraphServer

ACCOUNT = "act_1234567890"
FIRST_DAY = date(2026, 3, 1)
AD_IDS = ("120210000000001", "120210000000002", "120210000000003")
CAMPAIGN_ID = "120200000000001"


def small_account() -> FakeAdAccount:
    """3 ads × 10 days, plus hand-made rows: strings everywhere, duplicates, gaps."""
    account = FakeAdAccount(account_id=ACCOUNT)
    account.add_campaign(CAMPAIGN_ID, "Spring sale", "OUTCOME_SALES")
    account.add_campaign("120200000000002", "Old traffic", "LINK_CLICKS", status="PAUSED")
    account.add_campaign("120200000000003", "No objective", None)
    rng = random.Random(3)
    for offset in range(10):
        day = (FIRST_DAY + timedelta(days=offset)).isoformat()
        for index, ad_id in enumerate(AD_IDS):
            if offset == 0 and index == 0:
                continue  # replaced by the hand-made row below
            account.add_row(wire_row(rng, day, ad_id, f"Ad {index} | 0badc0de", "120220000000001", CAMPAIGN_ID, 0.012, 30))
    account.add_row({  # one purchase listed three times; numbers as strings; CTR in per cent
        "ad_id": AD_IDS[0], "ad_name": "Ad 0 | 0badc0de", "adset_id": "120220000000001", "campaign_id": CAMPAIGN_ID,
        "account_currency": "USD", "date_start": "2026-03-01", "date_stop": "2026-03-01",
        "impressions": "2500", "clicks": "40", "spend": "27.50", "cpm": "11.000000", "ctr": "1.600000",
        "reach": "2000", "frequency": "1.250000",
        "actions": [{"action_type": "link_click", "value": "35"}, {"action_type": "purchase", "value": "2"},
                    {"action_type": "omni_purchase", "value": "2"},
                    {"action_type": "offsite_conversion.fb_pixel_purchase", "value": "2"}],
        "action_values": [{"action_type": "purchase", "value": "99.90"}, {"action_type": "omni_purchase", "value": "99.90"},
                          {"action_type": "offsite_conversion.fb_pixel_purchase", "value": "99.90"}],
        "purchase_roas": [{"action_type": "omni_purchase", "value": "3.632727"}],
    })
    account.add_row({  # an ad with a day but almost nothing measured
        "ad_id": "120210000000009", "date_start": "2026-03-02", "date_stop": "2026-03-02", "impressions": "12",
        "spend": "0.14",
    })
    return account


@pytest.fixture(scope="module")
def graph_server_for_module() -> Iterator[FakeMetaGraphServer]:
    with FakeMetaGraphServer(small_account()) as server:
        yield server


@pytest.fixture
def graph_server(graph_server_for_module: FakeMetaGraphServer) -> FakeMetaGraphServer:
    graph_server_for_module.reset()
    return graph_server_for_module


class Recorder:
    """Sleeps and ledger records, so no test waits for real time."""

    def __init__(self) -> None:
        self.sleeps: list[float] = []
        self.calls: list = []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)


def adapter(server: FakeMetaGraphServer, recorder: Recorder | None = None, *, token: str = META_TEST_TOKEN, **overrides) -> GraphMetaSource:
    recorder = recorder or Recorder()
    runner = RetryingCallRunner(model=DEFAULT_API_VERSION, observer=recorder.calls.append, sleep=recorder.sleep,
                                rng=random.Random(0), policy=overrides.pop("policy", MetaRetryPolicy()))
    settings = dict(base_url=server.base_url, page_limit=5, runner=runner, sleep=recorder.sleep, timeout_seconds=5)
    settings.update(overrides)
    return GraphMetaSource(token, **settings)


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


# -- experiment deployment ------------------------------------------------------------------


def deployment(arms: int = 2, **overrides) -> ExperimentDeploymentRequest:
    creative = CreativeSpec(page_id="104000000000001", image_png=b"\x89PNG fake bytes", link_url="https://shop.example/p",
                            primary_text="Sleep better", headline="Try it", call_to_action="SHOP_NOW")
    fields = dict(
        account_id=ACCOUNT, campaign_name="EXP-7 hook_type", daily_budget=Decimal("120.00"),
        min_daily_spend_per_arm=Decimal("40.00"),
        ad_set=AdSetSpec(targeting={"geo_locations": {"countries": ["US"]}, "age_min": 25,
                                    "publisher_platforms": ["facebook", "instagram"]},
                         promoted_object={"pixel_id": "555", "custom_event_type": "PURCHASE"}),
        arms=[ArmSpec(arm_key=key, ad_name=f"EXP-7 {key}", creative=creative)
              for key in ["control", "t1", "t2", "t3"][:arms]],
    )
    fields.update(overrides)
    return ExperimentDeploymentRequest(**fields)


def test_the_experiment_is_created_paused_with_identical_ad_sets(graph_server):
    result = adapter(graph_server).create_experiment(deployment(arms=3))
    campaigns, adsets = graph_server.created["create_campaign"], graph_server.created["create_adset"]
    ads, creatives = graph_server.created["create_ad"], graph_server.created["create_creative"]
    assert len(campaigns) == 1 and len(adsets) == 3 and len(ads) == 3 and len(creatives) == 3
    campaign = campaigns[0]
    assert campaign["status"] == "PAUSED" and campaign["objective"] == "OUTCOME_SALES"
    assert campaign["daily_budget"] == "12000"  # CBO: the budget on the campaign, in cents
    assert campaign["bid_strategy"] == "LOWEST_COST_WITHOUT_CAP" and campaign["special_ad_categories"] == []
    assert all("daily_budget" not in adset for adset in adsets)
    assert result.campaign_id == campaign["id"]
    assert {adset["campaign_id"] for adset in adsets} == {campaign["id"]}
    assert all(adset["status"] == "PAUSED" for adset in adsets)
    shared = ("targeting", "optimization_goal", "billing_event", "promoted_object", "daily_min_spend_target")
    assert len({tuple(str(adset[key]) for key in shared) for adset in adsets}) == 1  # identical across arms
    assert adsets[0]["daily_min_spend_target"] == "4000"
    assert adsets[0]["targeting"]["publisher_platforms"] == ["facebook", "instagram"]
    assert [adset["name"] for adset in adsets] == ["EXP-7 hook_type | control", "EXP-7 hook_type | t1", "EXP-7 hook_type | t2"]
    assert all(ad["status"] == "PAUSED" for ad in ads)
    assert [ad["adset_id"] for ad in ads] == [adset["id"] for adset in adsets]  # one ad per ad set
    assert [ad["creative"]["creative_id"] for ad in ads] == [creative["id"] for creative in creatives]
    link = creatives[0]["object_story_spec"]["link_data"]
    assert link["image_hash"] == graph_server.created["create_image"][0]["hash"] and link["link"] == "https://shop.example/p"
    assert [(arm.arm_key, arm.adset_id, arm.ad_id) for arm in result.arms] == [
        (key, adset["id"], ad["id"]) for key, adset, ad in zip(["control", "t1", "t2"], adsets, ads)]


def test_a_failed_step_reports_what_was_created_and_creates_are_not_retried(graph_server):
    graph_server.inject(transient(2), on="create_adset")
    with pytest.raises(MetaDeploymentError) as caught:
        adapter(graph_server).create_experiment(deployment())
    assert isinstance(caught.value.cause, MetaOutcomeUnknownError) and not caught.value.retryable
    assert caught.value.created["campaigns"] == [graph_server.created["create_campaign"][0]["id"]]
    assert len(graph_server.requests_to("create_adset")) == 1  # not retried: it might exist


def test_a_rate_limited_create_is_retried(graph_server):
    graph_server.inject(rate_limited(80004, regain_minutes=1), on="create_campaign")
    recorder = Recorder()
    result = adapter(graph_server, recorder).create_experiment(deployment())
    assert result.campaign_id and recorder.sleeps[0] == 60
    assert len(graph_server.created["create_campaign"]) == 1


def test_existing_creatives_are_used_as_they_are(graph_server):
    arms = [ArmSpec(arm_key=k, ad_name=f"ad {k}", creative=CreativeSpec(creative_id=cid))
            for k, cid in (("control", "2380001"), ("t1", "2380002"))]
    result = adapter(graph_server).create_experiment(deployment(arms=2).model_copy(update={"arms": arms}))
    assert not graph_server.created["create_creative"] and not graph_server.created["create_image"]
    assert [arm.creative_id for arm in result.arms] == ["2380001", "2380002"]


def test_deployment_requests_are_validated():
    with pytest.raises(ValueError, match="exceed the daily budget"):
        deployment(arms=4)  # 4 x 40 > 120
    with pytest.raises(ValueError, match="unique"):
        deployment(arms=2).model_validate({**deployment().model_dump(), "arms": [deployment().arms[0]] * 2})
    with pytest.raises(ValueError, match="needs ad_set.bid_amount"):
        deployment(bid_strategy="COST_CAP")
