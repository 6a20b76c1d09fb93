"""Where a form goes back to after a POST: its `next` field when that is a path on this site.

`redirect(value)` would first try `value` as a URL name, and raise NoReverseMatch on a word
like "home": the caller's `next` is only ever taken as a URL, and anything else falls back.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme


def redirect_back(request: HttpRequest, fallback: str, **fallback_kwargs) -> HttpResponseRedirect:
    """Redirect to POST `next` when it is a local absolute path (no other host, no scheme), else to `fallback`."""
    target = request.POST.get("next") or ""
    if (target.startswith("/") and not target.startswith("//")
            and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                require_https=request.is_secure())):
        return HttpResponseRedirect(target)
    return HttpResponseRedirect(resolve_url(fallback, **fallback_kwargs))
