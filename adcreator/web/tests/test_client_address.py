"""The client address the throttles count against: X-Forwarded-For only as far as proxies are trusted."""

import pytest
from django.test import RequestFactory

from adcreator.web.client_address import client_address


def request(remote="10.0.0.9", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_the_header_is_ignored():
    assert client_address(request(forwarded="1.2.3.4"), trusted_proxies=0) == "10.0.0.9"


@pytest.mark.parametrize(("forwarded", "proxies", "expected"), [
    ("203.0.113.7", 1, "203.0.113.7"),
    # The client wrote the first entries itself; our one proxy appended the real address last.
    ("6.6.6.6, 7.7.7.7, 203.0.113.7", 1, "203.0.113.7"),
    # Two proxies: the outer one appended the client, the inner one the outer proxy.
    ("6.6.6.6, 203.0.113.7, 10.1.1.1", 2, "203.0.113.7"),
    # Fewer entries than proxies: the leftmost is all there is.
    ("203.0.113.7", 3, "203.0.113.7"),
    ("203.0.113.7:51234", 1, "203.0.113.7"),
    ("[2001:db8::1]:443", 1, "2001:db8::/64"),
])
def test_the_nth_entry_from_the_right_is_the_client(forwarded, proxies, expected):
    assert client_address(request(forwarded=forwarded), trusted_proxies=proxies) == expected


def test_ipv6_clients_count_as_their_64_network():
    one = client_address(request(remote="2001:db8:1:2::1"), trusted_proxies=0)
    other = client_address(request(remote="2001:db8:1:2:ffff::9"), trusted_proxies=0)
    assert one == other == "2001:db8:1:2::/64"
    assert client_address(request(remote="::ffff:192.0.2.5"), trusted_proxies=0) == "192.0.2.5"


def test_garbage_in_the_header_falls_back_to_the_socket_address():
    assert client_address(request(forwarded="<script>, not-an-ip"), trusted_proxies=1) == "10.0.0.9"
    assert client_address(request(forwarded=""), trusted_proxies=1) == "10.0.0.9"
