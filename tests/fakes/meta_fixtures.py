"""Shared pieces of the Graph adapter tests: a small hand-made ad account, the stand-in as a
fixture, and an adapter whose sleeps and ledger records are captured instead of waited."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta

import pytest

from adcreator.providers.meta.graph import DEFAULT_API_VERSION, GraphMetaSource
from adcreator.providers.meta.runner import MetaRetryPolicy, RetryingCallRunner
from tests.fakes.meta_accounts import FakeAdAccount, wire_row
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
