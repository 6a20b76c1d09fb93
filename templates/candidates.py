"""Candidate templates as a columnar table: every field the scorers and the asset gate read.

Built once from the candidate query's rows (spec 8c), so a draw reads numpy columns instead of
10k row dicts with nested dicts: reading one field from every row costs about as much as a
whole draw over the columns (figures: bench/selection.py). Fields with few distinct values
(categories, sexes, required-asset sets) are stored as codes into a list of the distinct
values, so a scorer scores each distinct value once and gathers. The table is also a
read-only sequence of the original row dicts, for code that iterates candidates and for
scorers that only know `score_many(list[dict])`. Pure computation: no Django.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
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


def _field(rows: Sequence[dict], key: str) -> list:
    """`row.get(key)` for every row."""
    try:
        # In C, cheaper than row.get per row, while every row has the key.
        return list(map(itemgetter(key), rows))
    except KeyError:
        return [row.get(key) for row in rows]


def _encode_required_assets(all_elements: list) -> tuple[np.ndarray, list[frozenset]]:
    """Codes into the distinct sets of required asset tags."""
    # template_elements is '{}' for never-analysed templates and may be NULL on old rows.
    # Tuples first (cheap to build per row), sets only per distinct tuple: a set, not the
    # list, because duplicate tags must count once in the coverage formula.
    tuple_codes, distinct_tuples = _encode(
        (tuple(kinds) if elements and (kinds := elements.get("required_assets")) else () for elements in all_elements),
        len(all_elements),
    )
    set_codes, distinct_sets = _encode(map(frozenset, distinct_tuples), len(distinct_tuples))
    return _read_only(set_codes[tuple_codes]), distinct_sets


def _belief_totals(evaluations: list) -> np.ndarray:
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


def _flags(rows: list[dict], key: str) -> np.ndarray:
    """`row[key]` (a required field: KeyError when missing) for every row, as booleans."""
    return _read_only(np.fromiter(map(itemgetter(key), rows), dtype=bool, count=len(rows)))


def _read_evaluations(rows: list[dict]) -> tuple[np.ndarray, np.ndarray]:
    evaluations = _field(rows, "evaluation")
    # Not isnan(totals): a NaN dimension from bad data must not pass for "unevaluated".
    evaluated = np.fromiter(map(is_not, evaluations, itertools.repeat(None)), dtype=bool, count=len(evaluations))
    return _read_only(evaluated), _belief_totals(evaluations)


# Each reader reads one field of every row once and returns the columns named with it.
_READERS: tuple[tuple[tuple[str, ...], Callable[[list[dict]], tuple]], ...] = (
    (("is_unused",), lambda rows: (_flags(rows, "is_unused"),)),
    (("has_detection",), lambda rows: (_flags(rows, "has_detection"),)),
    (("category_codes", "categories"), lambda rows: _encode(_field(rows, "category"), len(rows))),
    (("target_sex_codes", "target_sexes"), lambda rows: _encode(_field(rows, "target_sex"), len(rows))),
    (("required_asset_keys", "required_asset_sets"), lambda rows: _encode_required_assets(_field(rows, "template_elements"))),
    # dtype=float turns None into NaN, which marks "level unknown".
    (("awareness_level",), lambda rows: (_read_only(np.array(_field(rows, "awareness_level"), dtype=float)),)),
    (("evaluated", "belief_total"), _read_evaluations),
)
_READER_OF = {name: (names, read) for names, read in _READERS for name in names}
# Not per row: the values the codes point into, shared by sub-tables rather than filtered.
_DISTINCT_VALUE_LISTS = frozenset({"categories", "target_sexes", "required_asset_sets"})


class _Column:
    """A table attribute read from the rows on first access, then kept."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, table: CandidateTable | None, owner: type) -> Any:
        return self if table is None else table._column(self.name)


class CandidateTable(Sequence):
    """Columns of the candidate rows plus the rows themselves, in candidate order.

    Columns (numpy, read-only, one entry per row):
      is_unused, has_detection        bool (required fields: reading raises KeyError if absent)
      category_codes / categories     code into the distinct `category` values
      target_sex_codes / target_sexes code into the distinct raw `target_sex` values
      required_asset_keys / required_asset_sets   code into distinct frozensets of required tags
      awareness_level                 float, NaN where unknown
      evaluated                       bool: `evaluation` is not None
      belief_total                    D1-D5 sum, 0.0 where D6 is explicitly false, NaN if unevaluated
    `from_rows` reads them all up front; `from_rows(read_now=False)` reads each on first use (and
    keeps it), so a selection reads only the fields its scorers need, each once: at 10k rows
    reading them all costs ~25 ms, a Roll-the-dice draw needs two cheap ones (bench/selection.py).
    """

    is_unused = _Column()
    has_detection = _Column()
    category_codes = _Column()
    categories = _Column()
    target_sex_codes = _Column()
    target_sexes = _Column()
    required_asset_keys = _Column()
    required_asset_sets = _Column()
    awareness_level = _Column()
    evaluated = _Column()
    belief_total = _Column()

    def __init__(self, rows: list[dict] | None, *, root: CandidateTable | None = None, positions: np.ndarray | None = None) -> None:
        # A filtered table keeps the unfiltered `root` and its row `positions` in it, so it can
        # take any column the root has already read instead of reading its rows again.
        self._root = root
        self._positions = positions
        self._rows: list[dict] | None = rows
        self._columns: dict[str, Any] = {}
        self._subsets_read_through_root = True

    @classmethod
    def from_rows(cls, rows: Sequence[dict], *, read_now: bool = True) -> CandidateTable:
        # A list is kept as is (not copied): `rows` of the full table is the caller's list.
        table = cls(rows if isinstance(rows, list) else list(rows))
        if read_now:
            for names, _ in _READERS:
                table._column(names[0])
        return table

    @classmethod
    def for_one_draw(cls, rows: Sequence[dict]) -> CandidateTable:
        """A table read lazily whose subsets read only their own rows: for a single draw, where
        reading the gate's survivors costs less than reading all rows for reuse that never comes."""
        table = cls.from_rows(rows, read_now=False)
        table._subsets_read_through_root = False
        return table

    # --- Columns ---------------------------------------------------------------------------

    def _column(self, name: str) -> Any:
        if name not in self._columns:
            names, read = _READER_OF[name]
            root = self._root
            if root is None or not root._subsets_read_through_root:
                self._columns.update(zip(names, read(self.rows)))
            else:
                # Read by the root, over all its rows, and kept there: the next subset drawn from
                # (the next 8h fallback step) takes the column instead of reading rows again.
                for taken in names:
                    column = root._column(taken)
                    self._columns[taken] = column if taken in _DISTINCT_VALUE_LISTS else _read_only(column[self._positions])
        return self._columns[name]

    @property
    def rows(self) -> list[dict]:
        """The original row dicts in table order (the caller's list itself for an unfiltered table)."""
        if self._rows is None:
            self._rows = list(map(self._root._rows.__getitem__, self._positions.tolist()))
        return self._rows

    # --- Subsets ---------------------------------------------------------------------------

    def filter(self, keep: np.ndarray | Callable[[Any], bool]) -> CandidateTable:
        """The rows where `keep` (a boolean array, or a predicate on the category) is true.

        The sub-table shares the rows and the distinct-value lists and takes the columns read
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
        subset = CandidateTable(None, root=root, positions=_read_only(positions))
        for name, column in self._columns.items():
            subset._columns[name] = column if name in _DISTINCT_VALUE_LISTS else _read_only(column[keep])
        return subset

    # --- Sequence of the row dicts ---------------------------------------------------------

    def __len__(self) -> int:
        return len(self._rows) if self._positions is None else len(self._positions)

    @overload
    def __getitem__(self, index: int) -> dict: ...

    @overload
    def __getitem__(self, index: slice) -> list[dict]: ...

    def __getitem__(self, index):
        if isinstance(index, slice):
            return self.rows[index]
        if self._rows is not None:
            return self._rows[index]
        return self._root._rows[int(self._positions[index])]

    def __iter__(self) -> Iterator[dict]:
        return iter(self.rows)

    def __repr__(self) -> str:
        return f"<CandidateTable of {len(self)} rows>"
