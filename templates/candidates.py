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

from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from operator import itemgetter
from typing import Any, overload

import numpy as np

EVALUATION_DIMENSIONS = ("d1", "d2", "d3", "d4", "d5")


def _read_only(array: np.ndarray) -> np.ndarray:
    # Sub-tables and scorers share these arrays; a write through one would corrupt the others.
    array.flags.writeable = False
    return array


def _encode(values: Iterable[Hashable]) -> tuple[np.ndarray, list]:
    """Codes into the list of distinct values, in order of first appearance."""
    code_of: dict[Hashable, int] = {}
    codes = [code_of.setdefault(value, len(code_of)) for value in values]
    return _read_only(np.array(codes, dtype=np.intp)), list(code_of)


def _field(rows: Sequence[dict], key: str) -> list:
    """`row.get(key)` for every row."""
    try:
        # In C, cheaper than row.get per row, while every row has the key.
        return list(map(itemgetter(key), rows))
    except KeyError:
        return [row.get(key) for row in rows]


def _required_asset_set(elements: Any) -> frozenset:
    # template_elements is '{}' for never-analysed templates and may be NULL on old rows.
    # A set, not the list: duplicate tags must count once in the coverage formula.
    kinds = elements.get("required_assets") if elements else None
    return frozenset(kinds) if kinds else frozenset()


def _evaluation_total(evaluation: dict | None) -> float:
    if evaluation is None:
        return np.nan
    return sum(evaluation.get(dimension) or 0 for dimension in EVALUATION_DIMENSIONS)


def _is_non_compliant(evaluation: dict | None) -> bool:
    # Only an explicit "not compliant" D6 counts; a missing D6 is not evidence of a violation.
    if evaluation is None:
        return False
    d6 = evaluation.get("d6")
    return d6 is not None and not d6


class CandidateTable(Sequence):
    """Columns of the candidate rows plus the rows themselves, in candidate order.

    Columns (numpy, read-only, one entry per row):
      is_unused, has_detection        bool (required fields: building raises KeyError if absent)
      category_codes / categories     code into the distinct `category` values
      target_sex_codes / target_sexes code into the distinct raw `target_sex` values
      required_asset_keys / required_asset_sets   code into distinct frozensets of required tags
      awareness_level                 float, NaN where unknown
      evaluated, evaluation_total, evaluation_non_compliant   from `evaluation` (D1-D5 sum, D6 veto)
    """

    def __init__(
        self,
        source_rows: list[dict],
        positions: np.ndarray | None,
        columns: dict[str, np.ndarray],
        categories: list,
        target_sexes: list,
        required_asset_sets: list[frozenset],
    ) -> None:
        # `positions` indexes `source_rows` for a filtered table; None means all of them in order,
        # so the rows list of the full table is the caller's list itself, never copied.
        self._source_rows = source_rows
        self._positions = positions
        self._rows: list[dict] | None = source_rows if positions is None else None
        self._columns = columns
        self.is_unused = columns["is_unused"]
        self.has_detection = columns["has_detection"]
        self.category_codes = columns["category_codes"]
        self.target_sex_codes = columns["target_sex_codes"]
        self.required_asset_keys = columns["required_asset_keys"]
        self.awareness_level = columns["awareness_level"]
        self.evaluated = columns["evaluated"]
        self.evaluation_total = columns["evaluation_total"]
        self.evaluation_non_compliant = columns["evaluation_non_compliant"]
        self.categories = categories
        self.target_sexes = target_sexes
        self.required_asset_sets = required_asset_sets

    @classmethod
    def from_rows(cls, rows: Sequence[dict]) -> CandidateTable:
        rows = rows if isinstance(rows, list) else list(rows)
        category_codes, categories = _encode(_field(rows, "category"))
        sex_codes, sexes = _encode(_field(rows, "target_sex"))
        asset_keys, asset_sets = _encode(map(_required_asset_set, _field(rows, "template_elements")))
        evaluations = _field(rows, "evaluation")
        columns = {
            "is_unused": np.array(list(map(itemgetter("is_unused"), rows)), dtype=bool),
            "has_detection": np.array(list(map(itemgetter("has_detection"), rows)), dtype=bool),
            "category_codes": category_codes,
            "target_sex_codes": sex_codes,
            "required_asset_keys": asset_keys,
            # dtype=float turns None into NaN, which marks "level unknown".
            "awareness_level": np.array(_field(rows, "awareness_level"), dtype=float),
            "evaluated": np.array([e is not None for e in evaluations], dtype=bool),
            "evaluation_total": np.array(list(map(_evaluation_total, evaluations)), dtype=float),
            "evaluation_non_compliant": np.array(list(map(_is_non_compliant, evaluations)), dtype=bool),
        }
        for column in columns.values():
            _read_only(column)
        return cls(rows, None, columns, categories, sexes, asset_sets)

    # --- Columns ---------------------------------------------------------------------------

    @property
    def rows(self) -> list[dict]:
        """The original row dicts in table order (the caller's list itself for an unfiltered table)."""
        if self._rows is None:
            self._rows = list(map(self._source_rows.__getitem__, self._positions.tolist()))
        return self._rows

    # --- Subsets ---------------------------------------------------------------------------

    def filter(self, keep: np.ndarray | Callable[[Any], bool]) -> CandidateTable:
        """The rows where `keep` (a boolean array, or a predicate on the category) is true.

        The sub-table shares the source rows and the distinct-value lists; a predicate is
        called once per distinct category, not per row.
        """
        if callable(keep):
            category_kept = np.array([bool(keep(category)) for category in self.categories], dtype=bool)
            keep = category_kept[self.category_codes]
        keep = np.asarray(keep, dtype=bool)
        if keep.shape != (len(self),):
            raise ValueError(f"Filter mask has shape {keep.shape}, table has {len(self)} rows")
        positions = np.flatnonzero(keep) if self._positions is None else self._positions[keep]
        columns = {name: _read_only(column[keep]) for name, column in self._columns.items()}
        subset = CandidateTable(
            self._source_rows, _read_only(positions), columns, self.categories, self.target_sexes, self.required_asset_sets
        )
        return subset

    # --- Sequence of the row dicts ---------------------------------------------------------

    def __len__(self) -> int:
        return len(self._source_rows) if self._positions is None else len(self._positions)

    @overload
    def __getitem__(self, index: int) -> dict: ...

    @overload
    def __getitem__(self, index: slice) -> list[dict]: ...

    def __getitem__(self, index):
        if isinstance(index, slice):
            return self.rows[index]
        if self._positions is None:
            return self._source_rows[index]
        return self._source_rows[int(self._positions[index])]

    def __iter__(self) -> Iterator[dict]:
        return iter(self.rows)

    def __repr__(self) -> str:
        return f"<CandidateTable of {len(self)} rows>"
