"""Every unit conversion pinned with values computed by hand."""

from __future__ import annotations

from decimal import Decimal

import pytest

from adcreator.providers.meta.units import (
    PURCHASE_ACTION_TYPES,
    UnitError,
    conversions_from_actions,
    cpm,
    percent_to_ratio,
    pick_action,
    ratio,
    roas,
    to_decimal,
    to_float,
    to_int,
    to_minor_units,
)


def test_ctr_percentage_becomes_a_ratio():
    assert percent_to_ratio("1.23") == pytest.approx(0.0123, abs=1e-15)
    assert percent_to_ratio("0.8") == pytest.approx(0.008, abs=1e-15)
    assert percent_to_ratio("100") == 1.0
    assert percent_to_ratio(None) is None
    assert percent_to_ratio("") is None


def test_strings_become_decimals_and_ints_without_losing_digits():
    assert to_decimal("5339.5") == Decimal("5339.5")
    assert to_decimal("0.01") == Decimal("0.01")
    assert to_decimal(0.1) == Decimal("0.1")  # the printed float, not 0.1000000000000000055…
    assert to_int("361324") == 361324
    assert to_int("12.0") == 12
    assert to_float("1.135743") == pytest.approx(1.135743)
    assert to_int(None) is None and to_decimal("  ") is None


@pytest.mark.parametrize("bad", ["abc", "1,234", "NaN", "inf", True])
def test_non_numbers_are_errors_not_zero(bad):
    with pytest.raises(UnitError):
        to_decimal(bad)


def test_a_fractional_count_is_an_error():
    with pytest.raises(UnitError):
        to_int("12.5")


def test_ratio_and_roas_are_none_when_the_denominator_is_zero():
    assert ratio(3, 200) == pytest.approx(0.015)
    assert ratio(3, 0) is None and ratio(None, 10) is None
    # 123.45 of purchases on 50.00 of spend: 2.469
    assert roas(Decimal("123.45"), Decimal("50.00")) == pytest.approx(2.469)
    assert roas(Decimal("10"), Decimal("0")) is None
    assert roas(None, Decimal("10")) is None


def test_cpm_is_spend_per_thousand_impressions():
    # 25.53 dollars for 2,309 impressions: 25530 / 2309 = 11.05673451…, to 6 places 11.056735
    assert cpm(Decimal("25.53"), 2309) == Decimal("11.056735")
    assert cpm(Decimal("1"), 0) is None


def test_one_purchase_listed_under_three_types_counts_once():
    actions = [
        {"action_type": "link_click", "value": "40"},
        {"action_type": "offsite_conversion.fb_pixel_purchase", "value": "3"},
        {"action_type": "purchase", "value": "3"},
        {"action_type": "omni_purchase", "value": "3"},
    ]
    values = [
        {"action_type": "offsite_conversion.fb_pixel_purchase", "value": "150.00"},
        {"action_type": "purchase", "value": "150.00"},
        {"action_type": "omni_purchase", "value": "150.00"},
    ]
    count, value, action_type = conversions_from_actions(actions, values)
    assert (count, value, action_type) == (3, Decimal("150.00"), "omni_purchase")  # not 9 and 450


def test_the_preference_order_decides_when_types_disagree():
    assert PURCHASE_ACTION_TYPES[:3] == ("omni_purchase", "purchase", "offsite_conversion.fb_pixel_purchase")
    actions = [{"action_type": "offsite_conversion.fb_pixel_purchase", "value": "2"}, {"action_type": "purchase", "value": "4"}]
    values = [{"action_type": "purchase", "value": "80.5"}, {"action_type": "offsite_conversion.fb_pixel_purchase", "value": "40"}]
    assert conversions_from_actions(actions, values) == (4, Decimal("80.5"), "purchase")
    assert pick_action(actions) == ("purchase", Decimal("4"))


def test_actions_without_purchases_mean_zero_but_no_actions_mean_unknown():
    # Meta leaves zero-valued types out: a row with clicks but no purchase type had 0 purchases.
    assert conversions_from_actions([{"action_type": "link_click", "value": "12"}], None) == (0, Decimal(0), None)
    # No actions list at all: nothing was reported.
    assert conversions_from_actions(None, None) == (None, None, None)
    # Purchases counted but their value not sent: the value is unknown, not 0.
    assert conversions_from_actions([{"action_type": "purchase", "value": "2"}], None) == (2, None, "purchase")


def test_money_goes_to_meta_in_minor_units():
    assert to_minor_units(Decimal("12.34"), "USD") == 1234
    assert to_minor_units(Decimal("50"), "EUR") == 5000
    assert to_minor_units(Decimal("0.005"), "USD") == 1  # half a cent rounds up
    assert to_minor_units(Decimal("500"), "JPY") == 500  # no minor unit
