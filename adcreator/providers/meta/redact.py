"""Keeping the access token out of messages and logs.

The SDK sends the token as the `access_token` query parameter, so it is part of every
request URL: in urllib3's DEBUG line for each request, in `requests` exception messages
("... Max retries exceeded with url: /v26.0/act_1/insights?access_token=…"), and in the
`paging.next` links Meta returns. `scrub` removes it from any text; `install_log_filter`
puts a filter on the HTTP libraries' loggers so a DEBUG log configuration cannot leak it.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

REDACTED = "[redacted]"
_QUERY_SECRET = re.compile(r"(?i)\b(access_token|appsecret_proof|input_token)(=|%3D)[^&\s'\"#]+")
_HEADER_SECRET = re.compile(r"(?i)\b(authorization:\s*(?:oauth|bearer)\s+)\S+")
# Loggers that print request URLs: urllib3 logs "GET /path?query" at DEBUG for every request.
_URL_LOGGERS = ("urllib3.connectionpool", "urllib3.util.retry", "urllib3", "requests", "facebook_business")


def scrub(text: str, secrets: Iterable[str] = ()) -> str:
    """The text with every access_token=… parameter and every given secret replaced."""
    cleaned = _QUERY_SECRET.sub(lambda m: f"{m.group(1)}{m.group(2)}{REDACTED}", text)
    cleaned = _HEADER_SECRET.sub(lambda m: f"{m.group(1)}{REDACTED}", cleaned)
    for secret in secrets:
        if secret and len(secret) >= 8:  # never "scrub" a tiny string out of everything
            cleaned = cleaned.replace(secret, REDACTED)
    return cleaned


class RedactingFilter(logging.Filter):
    """Rewrites a record's message with the secrets scrubbed (it never drops a record)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a record whose args do not fit its format: leave it to logging
            return True
        cleaned = scrub(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True


_FILTER = RedactingFilter()


def install_log_filter() -> None:
    """Idempotent: adds the one shared filter to each URL-printing logger once."""
    for name in _URL_LOGGERS:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)
