"""Insight and campaign rows from Graph JSON into the boundary models."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from adcreator.providers.meta.parsing import campaign_from_wire, insight_from_wire, insights_from_wire

ROW = {
    "ad_id": "120210000000001", "ad_name": "Spring | 3fa2c1d9", "adset_id": "120220000000001",
    "campaign_id": "120200000000001", "account_currency": "USD",
    "date_start": "2026-03-20", "date_stop": "2026-03-20",
    "impressions": "4000", "clicks": "50", "reach": "3200", "frequency": "1.25",
    "spend": "44.00", "cpm": "11.000000", "ctr": "1.25",
    "actions": [
        {"action_type": "link_click", "value": "42"},
        {"action_type": "purchase", "value": "2"},
        {"action_type": "omni_purchase", "value": "2"},
        {"action_type": "offsite_conversion.fb_pixel_purchase", "value": "2"},
    ],
    "action_values": [
        {"action_type": "purchase", "value": "110.00"},
        {"action_type": "omni_purchase", "value": "110.00"},
        {"action_type": "offsite_conversion.fb_pixel_purchase", "value": "110.00"},
    ],
    "purchase_roas": [{"action_type": "omni_purchase", "value": "2.5"}],
}


def test_a_full_row_in_our_units():
    row = insight_from_wire(ROW)
    assert row.date == date(2026, 3, 20) and row.meta_ad_id == "120210000000001"
    assert (row.impressions, row.clicks, row.reach) == (4000, 50, 3200)
    assert row.spend == Decimal("44.00") and row.cpm == Decimal("11.000000")
    assert row.ctr == pytest.approx(0.0125)  # "1.25" per cent
    assert row.frequency == pytest.approx(1.25)
    assert row.conversions == 2  # once, not 6
    assert row.conversion_value == Decimal("110.00")
    assert row.conversion_action_type == "omni_purchase"
    assert row.conversion_rate == pytest.approx(2 / 50)  # 0.04
    assert row.roas == pytest.approx(2.5)  # 110 / 44


def test_missing_metrics_stay_none_and_derivable_ones_are_derived():
    row = insight_from_wire({"ad_id": "9", "date_start": "2026-03-21", "date_stop": "2026-03-21",
                             "impressions": "2000", "clicks": "30", "spend": "20.00"})
    assert row.reach is None and row.frequency is None
    assert row.conversions is None and row.conversion_value is None and row.roas is None
    assert row.ctr == pytest.approx(0.015)  # 30 / 2000 from the counts Meta did send
    assert row.cpm == Decimal("10.000000")  # 20.00 / 2000 * 1000


def test_zero_spend_gives_no_roas():
    row = insight_from_wire({**ROW, "spend": "0", "cpm": "0"})
    assert row.roas is None


def test_purchase_roas_is_used_only_when_the_value_is_missing():
    raw = {**ROW}
    raw.pop("action_values")
    row = insight_from_wire(raw)
    assert row.conversion_value is None
    assert row.roas == pytest.approx(2.5)


def test_unreadable_rows_are_reported_not_dropped():
    rows = [ROW, {**ROW, "ad_id": "77", "impressions": "lots"}, {"ad_name": "no id"}, "junk"]
    parsed, skipped = insights_from_wire(rows)
    assert [row.meta_ad_id for row in parsed] == ["120210000000001"]
    assert [(s.meta_ad_id, s.reason[:12]) for s in skipped] == [
        ("77", "not a number"), (None, "row has no a"), (None, "row is not a")
    ]


def test_a_row_spanning_several_days_is_refused():
    parsed, skipped = insights_from_wire([{**ROW, "date_stop": "2026-03-27"}])
    assert not parsed and "not one day" in skipped[0].reason


def test_campaign_account_id_gets_its_prefix():
    campaign = campaign_from_wire({"id": "5", "name": "C", "objective": "OUTCOME_SALES", "status": "ACTIVE", "account_id": "123"})
    assert campaign.account_id == "act_123" and campaign.objective == "OUTCOME_SALES"
    assert campaign_from_wire({"id": "6"}, "act_9").objective is None


def test_a_nul_character_in_names_is_dropped_so_the_row_can_be_stored():
    row = insight_from_wire({"ad_id": "1", "date_start": "2026-03-01", "ad_name": "Spring\x00 sale"})
    assert row.ad_name == "Spring sale"
    assert campaign_from_wire({"id": "9", "name": "C\x00ampaign"}).name == "Campaign"
