"""Candidate templates as a columnar table: every field the scorers and the asset gate read.

A draw reads numpy columns, not 10k row dicts with nested dicts: reading one field from every
row dict costs about as much as a whole draw over the columns (figures: bench/selection.py).
Fields with few distinct values (categories, sexes, required-asset sets) are stored as codes
into a list of the distinct values, so a scorer scores each distinct value once and gathers.

A table comes from one of two sources:
  - `from_rows`: a list of the 8c row dicts (tests, callers with rows in hand). Columns are
    read from the dicts, each on first use, and the table is a sequence of those same dicts.
  - `from_records`: the candidate query's tuples, as the selector fetches them (scalars only,
    JSON still text). No row dict exists until one is asked for: the few drawn rows are
    built on demand by the caller's `row_at`, so 10k rows never become 10k dicts.
Either way the table reads like a read-only sequence of row dicts, for code that iterates
candidates and for scorers that only know `score_many(list[dict])`. Pure computation: no Django.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from operator import is_not, itemgetter
from typing import Any, overload

import numpy as np

EVALUATION_DIMENSIONS = ("d1", "d2", "d3", "d4", "d5")


def _read_only(array: np.ndarray) -> np.ndarray:
    # Sub-tables and scorers share these arrays; a write through one would corrupt the others.
    array.flags.writeable = False
    return array


def _encode(values: Iterable[Hashable], count: int) -> tuple[np.ndarray, list]:
    """Codes into the list of the `count` values' distinct values, in order of first appearance."""
    # One hash per value, in C: each value maps to the row where it first appeared, then those
    # rows are renumbered 0..k-1. `values` may be a generator, so per-row keys built for the
    # lookup (tuples of tags) are freed at once instead of piling up into garbage collections.
    first_row_of: dict[Hashable, int] = {}
    first_rows = np.fromiter(map(first_row_of.setdefault, values, itertools.count()), dtype=np.intp, count=count)
    code_of_first_row = np.zeros(count, dtype=np.intp)
    code_of_first_row[np.fromiter(first_row_of.values(), dtype=np.intp, count=len(first_row_of))] = np.arange(len(first_row_of))
    return _read_only(code_of_first_row[first_rows]), list(first_row_of)


def required_asset_kinds(value: Any) -> frozenset:
    """The set of asset kinds a template's `required_assets` names.

    A set, not the list: duplicate tags must count once in the coverage formula. Anything
    falsy (None, [], a missing key) requires nothing; a lone string (hand-edited JSON) is one
    kind, not a set of characters.
    """
    if not value:
        return frozenset()
    if isinstance(value, str):
        return frozenset((value,))
    return frozenset(value)


def _merge_codes(codes: np.ndarray, distinct: list, key_of: Callable[[Any], Hashable]) -> tuple[np.ndarray, list]:
    """Re-code `codes` so distinct values with the same `key_of` share one code (and one entry)."""
    merged_codes, merged = _encode(map(key_of, distinct), len(distinct))
    return _read_only(merged_codes[codes]), merged


def _flags(values: Iterable, count: int) -> np.ndarray:
    return _read_only(np.fromiter(values, dtype=bool, count=count))


def _levels(values: Sequence) -> np.ndarray:
    # dtype=float turns None into NaN, which marks "level unknown".
    return _read_only(np.array(values, dtype=float).reshape(len(values)))  # (0,) when empty, not (0, 0)


# --- Reading columns from row dicts ------------------------------------------------------------


def _field(rows: Sequence[dict], key: str) -> list:
    """`row.get(key)` for every row."""
    try:
        # In C, cheaper than row.get per row, while every row has the key.
        return list(map(itemgetter(key), rows))
    except KeyError:
        return [row.get(key) for row in rows]


def _required_flags(rows: list[dict], key: str) -> np.ndarray:
    """`row[key]` (a required field: KeyError when missing) for every row, as booleans."""
    return _flags(map(itemgetter(key), rows), len(rows))


def _hashable_required_assets(elements: dict | None) -> Hashable:
    kinds = elements.get("required_assets") if elements else None
    return kinds if isinstance(kinds, str) else tuple(kinds or ())


def _required_assets_from_elements(all_elements: list) -> tuple[np.ndarray, list[frozenset]]:
    """Codes into the distinct sets of required asset tags."""
    # template_elements is '{}' for never-analysed templates and may be NULL on old rows.
    # Tuples first (cheap to build per row), sets only per distinct tuple.
    tuple_codes, distinct_tuples = _encode(map(_hashable_required_assets, all_elements), len(all_elements))
    return _merge_codes(tuple_codes, distinct_tuples, required_asset_kinds)


def _belief_totals_from_dicts(evaluations: list) -> np.ndarray:
    """D1-D5 sum per row (a missing or null dimension counts 0), 0 where D6 vetoes, NaN if unevaluated."""
    # The D6 veto is applied here so the nested dicts are read in one pass (a second pass for
    # D6 cost ~30% more); it must match BeliefClarityScorer.score, which the tests check.
    # Unrolled: a sum over EVALUATION_DIMENSIONS per row measured ~2.5x slower at 10k rows.
    assert EVALUATION_DIMENSIONS == ("d1", "d2", "d3", "d4", "d5")
    totals = [
        np.nan
        if e is None
        # Only an explicit "not compliant" D6 vetoes; a missing D6 is not evidence of a violation.
        else 0.0
        if (d6 := e.get("d6")) is not None and not d6
        else (e.get("d1") or 0) + (e.get("d2") or 0) + (e.get("d3") or 0) + (e.get("d4") or 0) + (e.get("d5") or 0)
        for e in evaluations
    ]
    return _read_only(np.array(totals, dtype=float))


def _evaluations_from_dicts(rows: list[dict]) -> tuple[np.ndarray, np.ndarray]:
    evaluations = _field(rows, "evaluation")
    # Not isnan(totals): a NaN dimension from bad data must not pass for "unevaluated".
    evaluated = _flags(map(is_not, evaluations, itertools.repeat(None)), len(evaluations))
    return evaluated, _belief_totals_from_dicts(evaluations)


def _ids(values: Iterable, count: int) -> np.ndarray:
    return _read_only(np.fromiter(values, dtype=np.int64, count=count))


# Each reader reads one field of every row once and returns the columns named with it.
_ROW_READERS: tuple[tuple[tuple[str, ...], Callable[[list[dict]], tuple]], ...] = (
    (("template_ids",), lambda rows: (_ids(map(itemgetter("id"), rows), len(rows)),)),
    (("is_unused",), lambda rows: (_required_flags(rows, "is_unused"),)),
    (("has_detection",), lambda rows: (_required_flags(rows, "has_detection"),)),
    (("category_codes", "categories"), lambda rows: _encode(_field(rows, "category"), len(rows))),
    (("target_sex_codes", "target_sexes"), lambda rows: _encode(_field(rows, "target_sex"), len(rows))),
    (("industry_codes", "industries"), lambda rows: _encode(_field(rows, "industry"), len(rows))),
    (("required_asset_keys", "required_asset_sets"), lambda rows: _required_assets_from_elements(_field(rows, "template_elements"))),
    (("awareness_level",), lambda rows: (_levels(_field(rows, "awareness_level")),)),
    (("evaluated", "belief_total"), _evaluations_from_dicts),
)
_ROW_READER_OF = {name: (names, read) for names, read in _ROW_READERS for name in names}
COLUMN_NAMES = tuple(name for names, _ in _ROW_READERS for name in names)
# Not per row: the values the codes point into, shared by sub-tables rather than filtered.
_DISTINCT_VALUE_LISTS = frozenset({"categories", "target_sexes", "industries", "required_asset_sets"})


# --- Reading columns from the query's records ---------------------------------------------------

# The fields a table over query records reads, by name; the records may hold more (the rest of
# the 8c row). All scalars, so nothing is decoded per row:
#   required_assets_json  `template_elements -> required_assets` as JSON text, None if absent
#   belief_total          D1-D5 sum, 0 where D6 is false, None without an evaluation: the
#                         database computes it, with BeliefClarityScorer.score's rules
RECORD_FIELDS = ("id", "is_unused", "has_detection", "category", "target_sex", "industry", "required_assets_json",
                 "awareness_level", "belief_total")


def _required_assets_from_json(texts: Iterable[str | None], count: int) -> tuple[np.ndarray, list[frozenset]]:
    # Decoded once per distinct text (a library reuses a few hundred tag lists), then texts
    # naming the same set in another order or with duplicates share one code.
    text_codes, distinct_texts = _encode(texts, count)
    return _merge_codes(text_codes, _decode_json_texts(distinct_texts), required_asset_kinds)


def _decode_json_texts(texts: list[str | None]) -> list:
    """Each JSON text decoded (None stays None), in one json.loads of them all when they parse:
    per-text calls cost ~5 us each in call overhead, most of a 10k-row table's build time."""
    try:
        return json.loads("[" + ",".join(text if text is not None else "null" for text in texts) + "]")
    except json.JSONDecodeError:
        # SQLite's JSON_EXTRACT gives a string value unquoted: such a text is that string.
        return [None if text is None else _json_or_text(text) for text in texts]


def _json_or_text(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def _evaluations_from_totals(totals: list) -> tuple[np.ndarray, np.ndarray]:
    """The same two columns as `_evaluations_from_dicts`, from the database's totals."""
    belief_total = np.array(totals, dtype=float).reshape(len(totals))  # None becomes NaN: unevaluated
    return _read_only(~np.isnan(belief_total)), _read_only(belief_total)


# Each reader takes one field's values (an iterator over the records) and the row count. One
# pass of itemgetter per field measured linear in the row count where transposing every
# record with zip(*records) was not (10k to 100k rows: 4 ms to 60 ms).
_RECORD_READERS: dict[tuple[str, ...], tuple[str, Callable[[Iterator, int], tuple]]] = {
    ("template_ids",): ("id", lambda values, n: (_ids(values, n),)),
    ("is_unused",): ("is_unused", lambda values, n: (_flags(values, n),)),
    ("has_detection",): ("has_detection", lambda values, n: (_flags(values, n),)),
    ("category_codes", "categories"): ("category", _encode),
    ("target_sex_codes", "target_sexes"): ("target_sex", _encode),
    ("industry_codes", "industries"): ("industry", _encode),
    ("required_asset_keys", "required_asset_sets"): ("required_assets_json", _required_assets_from_json),
    ("awareness_level",): ("awareness_level", lambda values, n: (_levels(list(values)),)),
    ("evaluated", "belief_total"): ("belief_total", lambda values, n: _evaluations_from_totals(list(values))),
}
_RECORD_READER_OF = {name: (names, field, read) for names, (field, read) in _RECORD_READERS.items() for name in names}
assert set(_RECORD_READER_OF) == set(COLUMN_NAMES)


# --- Where the rows and columns come from ------------------------------------------------------


class _RowDictSource:
    """Row dicts the caller already has; columns read from them."""

    def __init__(self, rows: Sequence[dict]) -> None:
        # A list is kept as is (not copied): `rows` of the full table is the caller's list.
        self.rows = rows if isinstance(rows, list) else list(rows)

    def __len__(self) -> int:
        return len(self.rows)

    def read(self, name: str, positions: np.ndarray | None) -> tuple[tuple[str, ...], tuple]:
        names, read = _ROW_READER_OF[name]
        rows = self.rows if positions is None else list(map(self.rows.__getitem__, positions.tolist()))
        return names, read(rows)

    def row(self, position: int) -> dict:
        return self.rows[position]

    def all_rows(self) -> list[dict]:
        return self.rows


class _RecordSource:
    """The query's records; a row dict is built by `row_at` when first asked for, then kept."""

    def __init__(self, records: Sequence[tuple], field_index: Mapping[str, int], row_at: Callable[[int], dict]) -> None:
        self.records = records
        self.field_index = field_index
        self.row_at = row_at
        self.built: dict[int, dict] = {}

    def __len__(self) -> int:
        return len(self.records)

    def read(self, name: str, positions: np.ndarray | None) -> tuple[tuple[str, ...], tuple]:
        # Always all rows: the root keeps the columns for every subset (see CandidateTable).
        names, field, read = _RECORD_READER_OF[name]
        return names, read(map(itemgetter(self.field_index[field]), self.records), len(self.records))

    def row(self, position: int) -> dict:
        row = self.built.get(position)
        if row is None:
            row = self.built[position] = self.row_at(position)
        return row

    def all_rows(self) -> list[dict]:
        return [self.row(position) for position in range(len(self))]


class _Column:
    """A table attribute read on first access, then kept."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, table: CandidateTable | None, owner: type) -> Any:
        return self if table is None else table._column(self.name)


class CandidateTable(Sequence):
    """Columns of the candidate rows, and the rows themselves, in candidate order.

    Columns (numpy, read-only, one entry per row):
      template_ids                    int64: the row's `id` (the PerformanceScorer's key)
      is_unused, has_detection        bool (required fields: reading raises KeyError if absent)
      category_codes / categories     code into the distinct `category` values
      target_sex_codes / target_sexes code into the distinct raw `target_sex` values
      industry_codes / industries     code into the distinct raw `industry` ("industry / niche") values
      required_asset_keys / required_asset_sets   code into distinct frozensets of required tags
      awareness_level                 float, NaN where unknown
      evaluated                       bool: the template has an evaluation
      belief_total                    D1-D5 sum, 0.0 where D6 is explicitly false, NaN if unevaluated
    Each is read on first use and kept, so a selection reads only the fields its scorers need,
    each once (a Roll-the-dice draw needs two cheap ones), and `from_rows` reads all up front.
    """

    template_ids = _Column()
    is_unused = _Column()
    has_detection = _Column()
    category_codes = _Column()
    categories = _Column()
    target_sex_codes = _Column()
    target_sexes = _Column()
    industry_codes = _Column()
    industries = _Column()
    required_asset_keys = _Column()
    required_asset_sets = _Column()
    awareness_level = _Column()
    evaluated = _Column()
    belief_total = _Column()

    def __init__(self, source: _RowDictSource | _RecordSource, *, root: CandidateTable | None = None,
                 positions: np.ndarray | None = None, subsets_read_through_root: bool = True) -> None:
        # A filtered table keeps the unfiltered `root` and its row `positions` in it, so it can
        # take any column the root has already read instead of reading its rows again.
        self._source = source
        self._root = root
        self._positions = positions
        self._columns: dict[str, Any] = {}
        self._subsets_read_through_root = subsets_read_through_root
        self._rows: list[dict] | None = None

    @classmethod
    def from_rows(cls, rows: Sequence[dict], *, read_now: bool = True) -> CandidateTable:
        table = cls(_RowDictSource(rows))
        if read_now:
            table.read_all_columns()
        return table

    @classmethod
    def for_one_draw(cls, rows: Sequence[dict]) -> CandidateTable:
        """A table read lazily whose subsets read only their own rows: for a single draw, where
        reading the gate's survivors costs less than reading all rows for reuse that never comes."""
        return cls(_RowDictSource(rows), subsets_read_through_root=False)

    @classmethod
    def from_records(cls, records: Sequence[tuple], *, fields: Sequence[str], row_at: Callable[[int], dict]) -> CandidateTable:
        """A table over the candidate query's tuples, whose fields are named by `fields` and must
        include RECORD_FIELDS; `row_at(i)` builds row i's dict (the 8c keys) when someone asks
        for that row, which after a draw is only the drawn few."""
        field_index = {field: index for index, field in enumerate(fields)}
        missing = [field for field in RECORD_FIELDS if field not in field_index]
        if missing:
            raise ValueError(f"Candidate records lack the fields {missing}")
        return cls(_RecordSource(records, field_index, row_at))

    def read_all_columns(self) -> CandidateTable:
        for name in COLUMN_NAMES:
            self._column(name)
        return self

    # --- Columns ---------------------------------------------------------------------------

    def _column(self, name: str) -> Any:
        if name not in self._columns:
            root = self._root
            if root is None:
                names, values = self._source.read(name, None)
                self._columns.update(zip(names, values))
            elif root._subsets_read_through_root:
                # Read by the root, over all its rows, and kept there: the next subset drawn from
                # (the next 8h fallback step) takes the column instead of reading rows again.
                column = root._column(name)
                self._columns[name] = column if name in _DISTINCT_VALUE_LISTS else _read_only(column[self._positions])
            else:
                names, values = self._source.read(name, self._positions)
                self._columns.update(zip(names, values))
        return self._columns[name]

    @property
    def rows(self) -> list[dict]:
        """The row dicts in table order (for a full table from rows: the caller's list itself).
        Over query records this builds every row's dict: the costly path, for scorers that only
        have `score_many`."""
        if self._rows is None:
            if self._positions is None:
                self._rows = self._source.all_rows()
            else:
                self._rows = list(map(self._source.row, self._positions.tolist()))
        return self._rows

    # --- Subsets ---------------------------------------------------------------------------

    def filter(self, keep: np.ndarray | Callable[[Any], bool]) -> CandidateTable:
        """The rows where `keep` (a boolean array, or a predicate on the category) is true.

        The sub-table shares the source and the distinct-value lists and takes the columns read
        so far; a predicate is called once per distinct category, not per row.
        """
        if callable(keep):
            category_kept = np.array([bool(keep(category)) for category in self.categories], dtype=bool)
            keep = category_kept[self.category_codes]
        keep = np.asarray(keep, dtype=bool)
        if keep.shape != (len(self),):
            raise ValueError(f"Filter mask has shape {keep.shape}, table has {len(self)} rows")
        root = self if self._root is None else self._root
        positions = np.flatnonzero(keep) if self._root is None else self._positions[keep]
        subset = CandidateTable(self._source, root=root, positions=_read_only(positions))
        for name, column in self._columns.items():
            subset._columns[name] = column if name in _DISTINCT_VALUE_LISTS else _read_only(column[keep])
        return subset

    # --- Sequence of the row dicts ---------------------------------------------------------

    def __len__(self) -> int:
        return len(self._source) if self._positions is None else len(self._positions)

    @overload
    def __getitem__(self, index: int) -> dict: ...

    @overload
    def __getitem__(self, index: slice) -> list[dict]: ...

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(len(self))[index]]
        length = len(self)
        position = int(index)
        if not -length <= position < length:
            raise IndexError(f"Candidate index {index} out of range for {length} rows")
        position %= length
        return self._source.row(position if self._positions is None else int(self._positions[position]))

    def __iter__(self) -> Iterator[dict]:
        return iter(self.rows)

    def __repr__(self) -> str:
        return f"<CandidateTable of {len(self)} rows>"
