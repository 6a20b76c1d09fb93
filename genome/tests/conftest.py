"""Fixtures of the genome's database tests: a brand connected to the Graph stand-in."""

from __future__ import annotations

import pytest

from tests.fakes.meta_fixtures import ACCOUNT, graph_server, graph_server_for_module  # noqa: F401 (fixtures)
from tests.fakes.meta_graph_server import META_TEST_TOKEN


@pytest.fixture
def graph_settings(settings, graph_server):  # noqa: F811
    settings.ADCREATOR_META_PROVIDER = "graph"
    settings.META_GRAPH_BASE_URL = graph_server.base_url
    settings.ADCREATOR_META_MAX_WAIT_SECONDS = 0.01
    settings.ADCREATOR_META_SLOW_DOWN_SECONDS = 0.0
    settings.ADCREATOR_META_REPORT_POLL_SECONDS = 0.01
    return settings


@pytest.fixture
def connected(graph_settings, brand):
    from genome.services.connection import meta_connection_set

    return meta_connection_set(brand=brand, ad_account_id=ACCOUNT, access_token=META_TEST_TOKEN, user=None)
