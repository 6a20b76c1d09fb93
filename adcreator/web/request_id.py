"""One id per request, in the `X-Request-ID` header both ways and on every log line it causes.

A proxy's id is kept when it looks like one (so the proxy's log and ours share it); anything
else is replaced, because the value ends up in our logs and answers. A 500 tells the client
its request id, and the traceback in the log carries the same id: support finds it by that.
"""

from __future__ import annotations

import contextvars
import logging
import re
import uuid

HEADER = "X-Request-ID"
_META_KEY = "HTTP_X_REQUEST_ID"
# Letters, digits and - _ . : only, at most 128: a UUID, a hex trace id, a proxy's own format.
_ACCEPTED = re.compile(r"[A-Za-z0-9._:-]{1,128}")
_NO_REQUEST = "-"

_current: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default=_NO_REQUEST)


def current_request_id() -> str:
    """The id of the request being served, or "-" outside a request (workers, commands)."""
    return _current.get()


def request_id_for(request) -> str:
    offered = request.META.get(_META_KEY, "")
    return offered if _ACCEPTED.fullmatch(offered) else uuid.uuid4().hex


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = request_id_for(request)
        token = _current.set(request.request_id)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        response[HEADER] = request.request_id
        return response


class RequestIdLogFilter(logging.Filter):
    """Gives every record a `request_id` attribute for the log format."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            # Django logs a response's status after the middleware has returned, with the
            # request attached to the record: its id is read from there.
            request = getattr(record, "request", None)
            record.request_id = getattr(request, "request_id", None) or current_request_id()
        return True
