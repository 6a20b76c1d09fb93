"""The client's address, as far as it can be trusted.

`X-Forwarded-For` is written by whoever sends the request; only the entries our own proxies
appended can be believed. With ADCREATOR_TRUSTED_PROXIES = N, the Nth entry from the right is
the address our outermost proxy saw; with 0 (no proxy), the header is ignored and the
socket's address (REMOTE_ADDR) is the client.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings

# IPv6 clients get whole /64 networks from their provider: one client, 2^64 addresses.
IPV6_CLIENT_PREFIX = 64


def client_address(request, *, trusted_proxies: int | None = None) -> str:
    """The address to count a request against (an IPv6 address as its /64 network)."""
    proxies = settings.ADCREATOR_TRUSTED_PROXIES if trusted_proxies is None else trusted_proxies
    meta = request.META
    candidate = meta.get("REMOTE_ADDR", "")
    if proxies > 0:
        forwarded = [part.strip() for part in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if forwarded:
            # Fewer entries than proxies: a proxy did not append; the leftmost is the best left.
            candidate = forwarded[-min(proxies, len(forwarded))]
    return _normalized(candidate) or _normalized(meta.get("REMOTE_ADDR", "")) or "unknown"


def _normalized(text: str) -> str | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # "[2001:db8::1]:443"
        text = text[1:text.index("]")]
    elif text.count(":") == 1:  # "203.0.113.7:51234": some proxies append the port
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/{IPV6_CLIENT_PREFIX}", strict=False))
    return str(address)
