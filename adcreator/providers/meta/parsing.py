"""Turning Graph API JSON (insight rows, campaigns) into the boundary models. Pure."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from pydantic import ValidationError

from adcreator.providers.meta.contracts import DailyAdInsight, MetaCampaign, SkippedRow
from adcreator.providers.meta.units import (
    UnitError,
    conversions_from_actions,
    percent_to_ratio,
    ratio,
    roas,
    to_decimal,
    to_float,
    to_int,
)
from adcreator.providers.meta import units

# What we ask the insights edge for (ad level, one row per ad per day).
INSIGHT_FIELDS: tuple[str, ...] = (
    "ad_id", "ad_name", "adset_id", "campaign_id", "account_currency", "date_start", "date_stop",
    "impressions", "clicks", "reach", "frequency", "spend", "cpm", "ctr",
    "actions", "action_values", "purchase_roas",
)
CAMPAIGN_FIELDS: tuple[str, ...] = ("id", "name", "objective", "status", "account_id")


def _list_or_none(value: object, field: str) -> list[Mapping] | None:
    if value is None:
        return None
    if not isinstance(value, list):
        raise UnitError(f"{field} is not a list")
    return value


def insight_from_wire(raw: Mapping) -> DailyAdInsight:
    """One insights row → DailyAdInsight. Raises UnitError / ValueError for an unreadable row."""
    ad_id = raw.get("ad_id")
    if not ad_id:
        raise UnitError("row has no ad_id")
    day = raw.get("date_start")
    if not day:
        raise UnitError("row has no date_start")
    if raw.get("date_stop") not in (None, day):
        raise UnitError(f"row spans {day}..{raw.get('date_stop')}, not one day (time_increment=1)")
    impressions = to_int(raw.get("impressions"))
    clicks = to_int(raw.get("clicks"))
    spend = to_decimal(raw.get("spend"))
    ctr = percent_to_ratio(raw.get("ctr"))
    if ctr is None:
        ctr = ratio(clicks, impressions)  # derived from reported counts, never assumed
    cpm = to_decimal(raw.get("cpm"))
    if cpm is None:
        cpm = units.cpm(spend, impressions)
    conversions, value, action_type = conversions_from_actions(
        _list_or_none(raw.get("actions"), "actions"), _list_or_none(raw.get("action_values"), "action_values")
    )
    row_roas = roas(value, spend)
    if row_roas is None and value is None and spend:
        # Meta's own purchase_roas (a list like actions) when the value itself was not sent.
        reported = units.pick_action(_list_or_none(raw.get("purchase_roas"), "purchase_roas"))
        row_roas = float(reported[1]) if reported else None
    return DailyAdInsight(
        date=date.fromisoformat(str(day)),
        meta_ad_id=str(ad_id),
        ad_name=_stored_text(raw.get("ad_name")),
        campaign_id=str(raw["campaign_id"]) if raw.get("campaign_id") else None,
        adset_id=str(raw["adset_id"]) if raw.get("adset_id") else None,
        account_currency=raw.get("account_currency"),
        impressions=impressions,
        clicks=clicks,
        reach=to_int(raw.get("reach")),
        frequency=to_float(raw.get("frequency")),
        spend=spend,
        cpm=cpm,
        ctr=ctr,
        conversions=conversions,
        conversion_value=value,
        conversion_action_type=action_type,
        conversion_rate=ratio(conversions, clicks),
        roas=row_roas,
    )


def insights_from_wire(rows: list) -> tuple[list[DailyAdInsight], list[SkippedRow]]:
    """Every readable row, and the unreadable ones with the reason (never silently dropped)."""
    parsed: list[DailyAdInsight] = []
    skipped: list[SkippedRow] = []
    for raw in rows:
        if not isinstance(raw, dict):
            skipped.append(SkippedRow(meta_ad_id=None, date=None, reason="row is not an object"))
            continue
        try:
            parsed.append(insight_from_wire(raw))
        except (UnitError, ValueError, ValidationError) as error:
            reason = str(error) if not isinstance(error, ValidationError) else f"{error.error_count()} invalid field(s)"
            skipped.append(SkippedRow(meta_ad_id=_text(raw.get("ad_id")), date=_text(raw.get("date_start")), reason=reason))
    return parsed, skipped


def campaign_from_wire(raw: Mapping, account_id: str | None = None) -> MetaCampaign:
    account = raw.get("account_id")
    if account and not str(account).startswith("act_"):
        account = f"act_{account}"  # Meta returns the account id without its prefix here
    return MetaCampaign(
        id=str(raw["id"]),
        name=_stored_text(raw.get("name")),
        objective=raw.get("objective"),
        status=raw.get("status") or raw.get("effective_status"),
        account_id=account or account_id,
    )


def _stored_text(value: object) -> str | None:
    """Free text as the database can keep it: a NUL character (which PostgreSQL text cannot
    hold) is dropped rather than failing the whole page."""
    if value is None:
        return None
    return str(value).replace("\x00", "")


def _text(value: object) -> str | None:
    return None if value is None else str(value)[:64]
