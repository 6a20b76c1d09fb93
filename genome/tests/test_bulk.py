"""genome.bulk: the set-based writer stores exactly what it is handed, awkward values included.

On PostgreSQL every column travels as one array literal built by `pg_array_literal`; these tests
read the rows back through the ORM, so an escaping mistake shows as a different value, not as a
passing test."""

from __future__ import annotations

from datetime import date, datetime, timezone as dt_timezone
from decimal import Decimal

import pytest

from genome.bulk import insert_rows, pg_array_literal

AWKWARD_NAMES = ['plain', 'with "quotes"', "back\\slash", "trailing\\", "{braces}, commas", "NULL", "", "  spaced  ",
                 "accents é ü — 東京", "new\nline", "tab\there", "'single'"]


def test_array_literals_quote_text_and_leave_numbers_bare():
    assert pg_array_literal([1, None, -3], "bigint") == "{1,NULL,-3}"
    assert pg_array_literal([0.0125, float("inf")], "double precision") == "{0.0125,inf}"
    assert pg_array_literal([True, False], "boolean") == "{True,False}"
    assert pg_array_literal(['a "b"', "c\\d", None, "NULL"], "text") == '{"a \\"b\\"","c\\\\d",NULL,"NULL"}'
    assert pg_array_literal([Decimal("1.50"), None], "numeric(14, 4)") == "{1.50,NULL}"
    assert pg_array_literal([date(2026, 3, 1)], "date") == "{2026-03-01}"
    assert pg_array_literal([datetime(2026, 3, 1, 9, tzinfo=dt_timezone.utc)], "timestamp with time zone") == (
        "{2026-03-01T09:00:00+00:00}")
    assert pg_array_literal(['{"k": "v"}'], "jsonb") == '{"{\\"k\\": \\"v\\"}"}'
    assert pg_array_literal([], "text") == "{}"
    assert pg_array_literal([""], "text") == '{""}'


@pytest.mark.parametrize("values", [["a\x00b", "c"], ["a\x00b", None]])
def test_a_nul_character_is_refused_not_split_into_two_values(values):
    with pytest.raises(ValueError, match="NUL"):
        pg_array_literal(values, "text")


@pytest.mark.django_db
def test_rows_read_back_exactly_as_written(connected):
    from genome.models import AdPerformanceDay

    synced = datetime(2026, 3, 2, 10, 30, 15, 123456, tzinfo=dt_timezone.utc)
    columns = ("meta_ad_id", "date", "account_id", "source", "ad_name", "campaign_id", "adset_id",
               "campaign_objective", "currency", "impressions", "clicks", "reach", "frequency", "spend", "cpm",
               "ctr", "conversions", "conversion_value", "conversion_rate", "roas", "synced_at")
    rows = []
    for i, name in enumerate(AWKWARD_NAMES):
        rows.append((f"9{i:05d}", date(2026, 3, 1 + i), connected.pk, connected.source, name, "", "", "UNKNOWN", "EUR",
                     1000 + i, i, None if i % 2 else 900, 1.25 + i / 100, Decimal("12.3456") + i, None,
                     i / 1000, i, Decimal("0.0000") if i == 0 else None, None, float("nan"), synced))
    assert insert_rows(AdPerformanceDay, columns, rows) == len(AWKWARD_NAMES)
    stored = {row.meta_ad_id: row for row in AdPerformanceDay.objects.all()}
    assert len(stored) == len(AWKWARD_NAMES)
    for i, name in enumerate(AWKWARD_NAMES):
        row = stored[f"9{i:05d}"]
        assert row.ad_name == name
        assert row.date == date(2026, 3, 1 + i)
        assert (row.impressions, row.clicks, row.conversions) == (1000 + i, i, i)
        assert row.reach == (None if i % 2 else 900)
        assert row.frequency == pytest.approx(1.25 + i / 100)
        assert row.spend == Decimal("12.3456") + i
        assert row.ctr == pytest.approx(i / 1000)
        assert row.conversion_value == (Decimal("0") if i == 0 else None)
        assert row.roas is None  # NaN is not a value: stored as NULL
        assert row.synced_at == synced


@pytest.mark.django_db
def test_an_upsert_updates_the_listed_columns_and_keeps_one_row(connected):
    from genome.models import AdPerformanceDay

    columns = ("meta_ad_id", "date", "account_id", "source", "ad_name", "campaign_id", "adset_id",
               "campaign_objective", "currency", "impressions", "spend", "synced_at")
    now = datetime(2026, 3, 2, tzinfo=dt_timezone.utc)
    first = [("1", date(2026, 3, 1), connected.pk, connected.source, 'old "name"', "", "", "UNKNOWN", "EUR", 10,
              Decimal("1.00"), now)]
    again = [("1", date(2026, 3, 1), connected.pk, connected.source, "new\\name", "", "", "UNKNOWN", "EUR", 25,
              Decimal("2.50"), now)]
    insert_rows(AdPerformanceDay, columns, first, conflict=("meta_ad_id", "date"), update=columns[2:])
    insert_rows(AdPerformanceDay, columns, again, conflict=("meta_ad_id", "date"), update=columns[2:])
    row = AdPerformanceDay.objects.get()
    assert (row.ad_name, row.impressions, row.spend) == ("new\\name", 25, Decimal("2.50"))
