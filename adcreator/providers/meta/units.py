"""Pure unit conversions for Meta insight values (no SDK, no Django).

Meta sends numbers as strings ("361324", "5339.5"), CTR as a *percentage* ("1.23" = 1.23 %),
and conversions as lists of `{"action_type", "value"}` in which one purchase is often listed
under several types at once. Everything that turns those into our units is here, once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

# One purchase appears under several of these at once; we count the first one present in
# this order, never their sum. `omni_purchase` is Meta's own de-duplicated total across web,
# app and offline; `purchase` is the aggregated "Purchases" column; the pixel-only and
# app-only types come after for accounts whose answers lack the aggregates.
PURCHASE_ACTION_TYPES: tuple[str, ...] = (
    "omni_purchase",
    "purchase",
    "offsite_conversion.fb_pixel_purchase",
    "onsite_web_purchase",
    "onsite_conversion.purchase",
    "app_custom_event.fb_mobile_purchase",
)

# Meta's budgets and spend targets are in the currency's smallest unit ("offset" 100 for
# cents); these currencies have offset 1 in Meta's currency table.
_OFFSET_ONE_CURRENCIES = frozenset({"CLP", "COP", "CRC", "HUF", "ISK", "IDR", "JPY", "KRW", "PYG", "TWD", "VND"})


class UnitError(ValueError):
    """A value Meta sent that is not the number it should be."""


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def to_decimal(value: object) -> Decimal | None:
    """"5339.5" → Decimal("5339.5"); None or "" → None (not reported, not zero)."""
    if value is None:
        return None
    if type(value) is not str:  # the hot path (every Meta number is a string) skips this
        if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
            raise UnitError(f"not a number: {value!r}")
        value = repr(value) if isinstance(value, float) else str(value)  # a float's printed digits
    try:
        number = Decimal(value)  # surrounding whitespace is accepted
    except InvalidOperation:
        if _blank(value):
            return None
        raise UnitError(f"not a number: {value!r}") from None
    if not number.is_finite():
        raise UnitError(f"not a finite number: {value!r}")
    return number


def to_int(value: object) -> int | None:
    """"361324" → 361324, "12.0" → 12; a fractional count is an error, not rounded away."""
    number = to_decimal(value)
    if number is None:
        return None
    if number != number.to_integral_value():
        raise UnitError(f"not a whole count: {value!r}")
    return int(number)


def to_float(value: object) -> float | None:
    number = to_decimal(value)
    return None if number is None else float(number)


def percent_to_ratio(value: object) -> float | None:
    """Meta's CTR "1.23" (per cent) → 0.0123."""
    number = to_decimal(value)
    return None if number is None else float(number / 100)


def ratio(numerator: int | Decimal | None, denominator: int | Decimal | None) -> float | None:
    """numerator / denominator; None when either is unknown or the denominator is 0."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    return float(Decimal(numerator) / Decimal(denominator))


def roas(conversion_value: Decimal | None, spend: Decimal | None) -> float | None:
    """Return on ad spend = conversion value / spend; None when spend is 0 (undefined, not 0)."""
    return ratio(conversion_value, spend)


def cpm(spend: Decimal | None, impressions: int | None) -> Decimal | None:
    """Cost per thousand impressions, for sources that do not report it themselves."""
    if spend is None or not impressions:
        return None
    return (spend * 1000 / impressions).quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)


def pick_action(
    actions: Iterable[Mapping] | None, preference: tuple[str, ...] = PURCHASE_ACTION_TYPES
) -> tuple[str, Decimal] | None:
    """The (action_type, value) of the most preferred type present, or None if none is."""
    if not actions:
        return None
    found: dict[str, Decimal] = {}
    for entry in actions:
        action_type = entry.get("action_type") if isinstance(entry, dict) else None
        if action_type in preference and action_type not in found:
            value = to_decimal(entry.get("value"))
            if value is not None:
                found[action_type] = value
    for action_type in preference:
        if action_type in found:
            return action_type, found[action_type]
    return None


def conversions_from_actions(
    actions: list[Mapping] | None, action_values: list[Mapping] | None,
    preference: tuple[str, ...] = PURCHASE_ACTION_TYPES,
) -> tuple[int | None, Decimal | None, str | None]:
    """(conversions, conversion value, the action type counted) from Meta's lists.

    Meta leaves zero-valued action types out, so when the row carries an `actions` list
    without any purchase type, purchases were counted and came to 0. When the row has no
    `actions` list at all, nothing was reported: None. The value is read under the same
    action type as the count, falling back to the preference order.
    """
    if actions is None:
        count, action_type = None, None
    else:
        picked = pick_action(actions, preference)
        if picked is None:
            count, action_type = 0, None
        else:
            action_type, raw = picked
            count = int(raw.to_integral_value(rounding=ROUND_HALF_UP))
    same = pick_action(action_values, (action_type,)) if action_type else None
    chosen = same or pick_action(action_values, preference)
    if chosen is not None:
        value: Decimal | None = chosen[1]
    elif count == 0:
        value = Decimal(0)  # no purchase, so no purchase value
    else:
        value = None  # purchases counted but their value not reported: unknown, not 0
    return count, value, action_type


def to_minor_units(amount: Decimal, currency: str) -> int:
    """Decimal("12.34") USD → 1234 (Meta budgets are in cents); JPY 500 → 500."""
    offset = 1 if currency.upper() in _OFFSET_ONE_CURRENCIES else 100
    minor = (Decimal(amount) * offset).to_integral_value(rounding=ROUND_HALF_UP)
    return int(minor)
