"""Reading Meta's rate-limit usage headers (pure; no SDK).

Meta reports how much of each quota a caller has used, in per cent, on every response:

- `X-App-Usage: {"call_count": 28, "total_time": 25, "total_cputime": 25}`
- `X-Ad-Account-Usage: {"acc_id_util_pct": 9.67, "reset_time_duration": 0, ...}`
- `X-Business-Use-Case-Usage: {"<business id>": [{"type": "ads_insights", "call_count": 96,
  "total_cputime": 20, "total_time": 30, "estimated_time_to_regain_access": 5}]}` — the
  regain estimate is in **minutes**;
- `X-FB-Ads-Insights-Throttle: {"app_id_util_pct": 100, "acc_id_util_pct": 10}`.

Throttling starts at 100; callers slow down from `SLOW_DOWN_PERCENT` on.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from adcreator.providers.meta.contracts import ApiUsage

SLOW_DOWN_PERCENT = 95.0

_PERCENT_KEYS = ("call_count", "total_time", "total_cputime", "acc_id_util_pct", "app_id_util_pct")
_HEADERS = ("x-app-usage", "x-ad-account-usage", "x-business-use-case-usage", "x-fb-ads-insights-throttle")


def _number(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


def _entries(name: str, parsed: object) -> list[Mapping]:
    """The usage dicts inside one header: one for most, one per use case for the business header."""
    if name == "x-business-use-case-usage" and isinstance(parsed, Mapping):
        return [entry for cases in parsed.values() if isinstance(cases, list) for entry in cases if isinstance(entry, Mapping)]
    return [parsed] if isinstance(parsed, Mapping) else []


def parse_usage(headers: Mapping[str, str] | None) -> ApiUsage | None:
    """The highest usage figure and the longest regain estimate; None if no usage header came."""
    if not headers:
        return None
    lowered = {str(key).lower(): value for key, value in headers.items()}
    by_header: dict[str, float] = {}
    regain_seconds: float | None = None
    for name in _HEADERS:
        raw = lowered.get(name)
        if not raw:
            continue
        try:
            parsed = json.loads(raw)
        except (TypeError, ValueError):
            continue  # a garbled header says nothing; never fail a good answer over it
        for entry in _entries(name, parsed):
            figures = [n for n in (_number(entry.get(key)) for key in _PERCENT_KEYS) if n is not None]
            if figures:
                by_header[name] = max(by_header.get(name, 0.0), *figures)
            minutes = _number(entry.get("estimated_time_to_regain_access"))
            if minutes is not None and minutes > 0:
                regain_seconds = max(regain_seconds or 0.0, minutes * 60)
            reset = _number(entry.get("reset_time_duration"))  # seconds, ad account header
            if reset is not None and reset > 0 and figures and max(figures) >= 100:
                regain_seconds = max(regain_seconds or 0.0, reset)
    if not by_header and regain_seconds is None:
        return None
    return ApiUsage(
        max_percent=max(by_header.values()) if by_header else None,
        regain_access_seconds=regain_seconds,
        by_header=by_header,
    )


def slow_down_seconds(usage: ApiUsage | None, *, pause_seconds: float, max_pause_seconds: float) -> float:
    """How long to wait before the next call so Meta does not have to refuse it.

    Below `SLOW_DOWN_PERCENT`: no wait. At or above: Meta's regain estimate when it gave one,
    else `pause_seconds` — the quotas are rolling windows, so a pause lets usage decay —
    never more than `max_pause_seconds`.
    """
    if usage is None or usage.max_percent is None or usage.max_percent < SLOW_DOWN_PERCENT:
        return 0.0
    wait = usage.regain_access_seconds if usage.regain_access_seconds else pause_seconds
    return min(max(wait, 0.0), max_pause_seconds)
