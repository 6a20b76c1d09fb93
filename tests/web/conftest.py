import pytest

from tests.support.catalog import build_catalog


@pytest.fixture
def cat(org):
    return build_catalog(org)


@pytest.fixture
def member(org, make_member):
    return make_member(org, "alice")


@pytest.fixture
def client_in(client, member):
    client.force_login(member)
    return client
