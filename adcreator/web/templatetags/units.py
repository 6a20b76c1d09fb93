"""How the pages print numbers stored in ratio units (a CTR of 0.012 reads 1.20 %)."""

from django import template

register = template.Library()


@register.filter
def percent(value, digits: int = 2) -> str:
    """A ratio as a percentage: 0.0123 → "1.23 %"; nothing → "—" (never 0 %)."""
    if value is None or value == "":
        return "—"
    try:
        return f"{float(value) * 100:.{int(digits)}f} %"
    except (TypeError, ValueError):
        return "—"
