"""How the jobs pages write money and time: `{% load job_words %}`.

`{{ spend.cost_usd|usd }}` → "$0.0425" (cents and below as recorded, at most 4 decimals, at
least 2); `{{ job.created_at|ago }}` → "just now", "1 minute ago", "3 hours ago"."""

from __future__ import annotations

from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.utils import timezone
from django.utils.timesince import timesince

from adcreator.jobs.progress import badge_of

register = template.Library()


@register.filter
def usd(value) -> str:
    if value is None or value == "":
        return "—"
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        return "—"
    text = f"{amount:f}".rstrip("0")
    whole, _, cents = text.partition(".")
    return f"${whole}.{cents.ljust(2, '0')}"


@register.filter
def ago(value, now=None) -> str:
    """A past moment in words; under a minute is "just now" (never "0 minutes ago")."""
    if not isinstance(value, datetime):
        return ""
    now = now or timezone.now()
    if (now - value).total_seconds() < 60:
        return "just now"
    # timesince pluralizes ("1 minute", "2 hours, 3 minutes"); the first unit is enough here.
    return f"{timesince(value, now, depth=1)} ago"


@register.filter
def run_badge(status) -> str:
    """A run's status as its badge says it ("Waiting", not "Pending")."""
    return badge_of(status or None)
