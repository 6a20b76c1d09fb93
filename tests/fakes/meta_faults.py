"""Error answers the Graph stand-in can give, as Meta gives them.

Each factory returns a `Fault`: the HTTP status, Graph's `{"error": {message, type, code,
error_subcode, is_transient, fbtrace_id}}` body and the usage headers a real throttle sends.
Queue them with `FakeMetaGraphServer.inject(fault, on=endpoint)`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Fault:
    status: int = 400
    code: int | None = None
    subcode: int | None = None
    message: str = ""
    error_type: str = "OAuthException"
    is_transient: bool = False
    headers: dict[str, str] = field(default_factory=dict)
    raw_body: bytes | None = None  # a non-JSON answer (a proxy's HTML page)
    succeed_with_headers: bool = False  # answer normally, but with these headers (high usage)
    delay_seconds: float = 0.0  # answer only after this long (a client-side timeout)

    def body(self) -> dict:
        error: dict[str, Any] = {"message": self.message, "type": self.error_type, "is_transient": self.is_transient,
                                 "fbtrace_id": "AbCdEfGhIjKlMnOp"}
        if self.code is not None:
            error["code"] = self.code
        if self.subcode is not None:
            error["error_subcode"] = self.subcode
        return {"error": error}


def business_usage_header(percent: float, regain_minutes: float, use_case: str = "ads_insights") -> dict[str, str]:
    usage = {"1122334455": [{"type": use_case, "call_count": percent, "total_cputime": min(percent, 40),
                             "total_time": min(percent, 50), "estimated_time_to_regain_access": regain_minutes}]}
    return {"X-Business-Use-Case-Usage": json.dumps(usage)}


def rate_limited(code: int = 17, *, subcode: int | None = None, regain_minutes: float = 0, percent: float = 100) -> Fault:
    """A throttle: 17 user, 4 app, 32 page, 613 ad account, 80000–80014 business use case."""
    messages = {
        4: "Application request limit reached", 17: "User request limit reached", 32: "Page request limit reached",
        613: "Calls to this api have exceeded the rate limit.",
    }
    subcodes = {17: 2446079, 613: 1487742}
    if code == 613:
        headers = {"X-Ad-Account-Usage": json.dumps({"acc_id_util_pct": percent, "reset_time_duration": regain_minutes * 60})}
    elif code == 4:
        headers = {"X-App-Usage": json.dumps({"call_count": percent, "total_time": 20, "total_cputime": 20})}
    else:
        use_case = "ads_management" if code == 80004 else "ads_insights"
        headers = business_usage_header(percent, regain_minutes, use_case)
    message = messages.get(code, "There have been too many calls from this ad-account. Wait a bit and try again.")
    return Fault(status=400, code=code, subcode=subcode or subcodes.get(code), message=message, headers=headers,
                 is_transient=code != 613 and code < 80000)


def transient(code: int = 2) -> Fault:
    return Fault(status=500, code=code, message="An unexpected error has occurred. Please retry your request later.",
                 is_transient=True)


def token_expired() -> Fault:
    return Fault(status=400, code=190, subcode=463,
                 message="Error validating access token: Session has expired on Friday, 27-Mar-26 10:00:00 PDT.")


def sync_timeout(code: int = 100, subcode: int = 1504018) -> Fault:
    """What a synchronous insights call that ran out of time on Meta's side answers."""
    return Fault(status=400, code=code, subcode=subcode, is_transient=code == 2,
                 message="Your request timed out. Please make an asynchronous request or reduce the date range.")


def graph_error(code: int, message: str = "Invalid parameter", *, subcode: int | None = None, status: int = 400) -> Fault:
    return Fault(status=status, code=code, subcode=subcode, message=message)


def html_error(status: int = 502) -> Fault:
    return Fault(status=status, raw_body=b"<html><body><h1>502 Bad Gateway</h1></body></html>")


def high_usage(percent: float = 96, regain_minutes: float = 0) -> Fault:
    """Not an error: a normal answer whose usage headers say the quota is nearly spent."""
    return Fault(status=200, headers=business_usage_header(percent, regain_minutes), succeed_with_headers=True)


def slow(seconds: float) -> Fault:
    """A normal answer that comes too late: long enough to trip the client's timeout."""
    return Fault(status=200, succeed_with_headers=True, delay_seconds=seconds)


def error_body(code: int, message: str, *, subcode: int | None = None) -> dict:
    return Fault(code=code, subcode=subcode, message=message).body()
