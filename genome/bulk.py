"""Set-based writes of many rows in a constant number of statements, PostgreSQL and SQLite alike.

Django's bulk_create compiles every value of every row through the field machinery (~20 µs a
value): for the genome's 10,000-ad updates and 56,000-row syncs that costs more than the work
itself, and its batches make the statement count grow with the rows. Here:
- PostgreSQL: one INSERT … SELECT FROM unnest(%s::type[], …): one statement, one parameter per
  column, whatever the number of rows. Each column goes as one array literal built here
  ('{1,2,NULL}', '{"a","b\\"c"}'): the driver's own list dumping looks up a dumper per element and
  cost ~3 µs a value, a third of a 56,000-row sync; joining strings costs a tenth of that;
- SQLite: INSERT … VALUES (…), (…) in chunks of rows under its 32,766-parameter limit.
The caller hands values already in their stored types (ints, floats, Decimals, dates, aware
datetimes, str; dicts for JSON columns).
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from django.db import connection, models

SQLITE_MAX_PARAMETERS = 32_000


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _pg_array_type(field: models.Field) -> str:
    if isinstance(field, models.ForeignKey):
        return field.target_field.rel_db_type(connection)
    if isinstance(field, models.JSONField):
        return "jsonb"
    db_type = field.db_type(connection)
    return "text" if db_type.startswith("varchar") else db_type


def _adapt_column(field: models.Field, values: Sequence) -> list:
    """One column's values as the driver takes them (numpy scalars and NaN included)."""
    if isinstance(field, models.JSONField):
        return [None if v is None else json.dumps(v) for v in values]
    if isinstance(field, models.DateTimeField):
        return [None if v is None else connection.ops.adapt_datetimefield_value(v) for v in values]
    out = values.tolist() if hasattr(values, "tolist") else list(values)
    if isinstance(field, models.FloatField):
        return [None if v is None or v != v else float(v) for v in out]  # NaN is not a value: NULL
    return out


# Element types whose values print without any of the characters an array literal must quote
# (, { } " \ and blanks): numbers, booleans (True/False), dates and timestamps in ISO form, uuids.
_BARE_TYPES = ("integer", "bigint", "smallint", "double precision", "real", "numeric", "boolean", "date",
               "timestamp", "uuid")
_SEPARATOR = "\x00"  # PostgreSQL text cannot hold NUL, so it never occurs inside a value


def pg_array_literal(values: Sequence, element_type: str) -> str:
    """One column's values as a PostgreSQL array literal of `element_type` (None → NULL).

    Numbers, dates and timestamps go bare (12, 0.0125, 1.50, 2026-03-01, 2026-03-01T10:00:00+00:00);
    text and json are quoted and escaped ("a \\"b\\"", "c\\\\d"), so "NULL", commas and braces stay text."""
    if not values:
        return "{}"
    if element_type.startswith(("date", "timestamp")):
        texts = [None if v is None else v.isoformat() for v in values]  # str() of a datetime has a blank
    else:
        texts = [None if v is None else str(v) for v in values]
    has_null = None in texts
    if element_type.startswith(_BARE_TYPES):
        return "{" + ",".join(["NULL" if t is None else t for t in texts] if has_null else texts) + "}"
    # Escape the whole column at once (one replace over one string, not two per value), then
    # cut it back into values at the separators.
    joined = _SEPARATOR.join("" if t is None else t for t in texts)
    if joined.count(_SEPARATOR) != len(texts) - 1:
        raise ValueError("a text value holds a NUL character, which PostgreSQL cannot store")
    escaped = joined.replace("\\", "\\\\").replace('"', '\\"')
    if not has_null:
        return '{"' + escaped.replace(_SEPARATOR, '","') + '"}'
    return "{" + ",".join("NULL" if t is None else f'"{e}"' for t, e in zip(texts, escaped.split(_SEPARATOR))) + "}"


def insert_rows(model: type[models.Model], columns: Sequence[str], rows: Sequence[Sequence], *,
                conflict: Sequence[str] | None = None, update: Sequence[str] | None = None) -> int:
    """Insert `rows` (tuples in `columns` order; FK columns by their attname, e.g. "brand_id").

    With `conflict` (the unique columns) and `update`, an existing row is updated instead
    (INSERT … ON CONFLICT (…) DO UPDATE SET col = excluded.col)."""
    if not rows:
        return 0
    return insert_columns(model, dict(zip(columns, (list(c) for c in zip(*rows)))), conflict=conflict, update=update)


def insert_columns(model: type[models.Model], data: dict[str, Sequence], *, conflict: Sequence[str] | None = None,
                   update: Sequence[str] | None = None) -> int:
    """The same from columns (column name → one value per row): no row tuples need building."""
    columns = list(data)
    count = len(next(iter(data.values()))) if data else 0
    if not count:
        return 0
    by_column = {field.column: field for field in model._meta.concrete_fields}
    fields = [by_column[c] for c in columns]
    table = _quote(model._meta.db_table)
    column_sql = ", ".join(_quote(c) for c in columns)
    suffix = ""
    if conflict:
        sets = ", ".join(f"{_quote(c)} = excluded.{_quote(c)}" for c in (update or []))
        suffix = f" ON CONFLICT ({', '.join(_quote(c) for c in conflict)}) " + (f"DO UPDATE SET {sets}" if sets
                                                                               else "DO NOTHING")
    adapted = [_adapt_column(field, data[field.column]) for field in fields]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            types = [_pg_array_type(field) for field in fields]
            arrays = ", ".join(f"%s::{element_type}[]" for element_type in types)
            literals = [pg_array_literal(values, element_type) for values, element_type in zip(adapted, types)]
            cursor.execute(f"INSERT INTO {table} ({column_sql}) SELECT * FROM unnest({arrays}){suffix}", literals)
            return count
        rows = list(zip(*adapted))
        per_row = "(" + ", ".join(["%s"] * len(columns)) + ")"
        chunk = max(1, SQLITE_MAX_PARAMETERS // len(columns))
        for start in range(0, len(rows), chunk):
            part = rows[start:start + chunk]
            cursor.execute(f"INSERT INTO {table} ({column_sql}) VALUES {', '.join([per_row] * len(part))}{suffix}",
                           [value for row in part for value in row])
    return count
