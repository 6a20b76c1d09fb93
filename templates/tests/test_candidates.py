"""Pure tests of the columnar candidate table and of selection over it: no database."""

from __future__ import annotations

import json

import numpy as np
import pytest

from templates.candidates import COLUMN_NAMES, CandidateTable
from templates.scoring import (
    DEFAULT_SCORERS,
    ROLL_THE_DICE,
    SMART_SELECT,
    SelectionContext,
    select_templates,
)
from templates.tests.test_scoring import ProtocolOnlyScorer, gated_rows, make_context, make_row, random_rows

TABLE_BUILDERS = {
    "read now": CandidateTable.from_rows,
    "read on use": lambda rows: CandidateTable.from_rows(rows, read_now=False),
    "one draw": CandidateTable.for_one_draw,
}

OPTIONAL_FIELDS = ("category", "awareness_level", "target_sex", "industry", "template_elements", "evaluation")


def varied_rows(n: int, seed: int) -> list[dict]:
    """random_rows plus rows missing optional fields and duplicate or odd required tags."""
    rng = np.random.default_rng(seed + 1000)
    rows = random_rows(n, seed)
    for row in rows:
        if rng.random() < 0.15:
            del row[OPTIONAL_FIELDS[int(rng.integers(len(OPTIONAL_FIELDS)))]]
        if rng.random() < 0.1:
            row["template_elements"] = {"required_assets": ["product", "product", "logo", "person", "person"]}
        elif rng.random() < 0.05:
            row["template_elements"] = {"required_assets": "logo"}  # hand-edited JSON: one kind
        row["has_detection"] = bool(rng.random() < 0.8)
    return rows


def random_setup(rng: np.random.Generator) -> tuple[SelectionContext, dict, float, int]:
    pick = lambda options: options[int(rng.integers(len(options)))]  # noqa: E731
    context = make_context(
        product_asset_tags=pick([set(), {"logo"}, {"product", "logo"}, {"product", "person", "badge", "logo"}]),
        persona=pick([None, {}, {"target_sex": None}, {"target_sex": "unisex"}, {"target_sex": "Male"}, {"target_sex": "female"}]),
        requested_category=pick([None, "All", "food", "skincare", "missing"]),
        awareness_stage=pick([None, 1, 3, 5]),
        product_industry=pick([None, "", "beauty / skincare", "Food and Drink / coffee", "pets"]),
    )
    weights = pick([SMART_SELECT, ROLL_THE_DICE, {"belief_clarity": 1.0}, {"audience_match": 0.3, "asset_match": 2.0}, {}])
    return context, weights, pick([0.0, 0.0, 0.3, 0.5, 0.8, 1.0]), int(rng.integers(1, 8))


def assert_same_result(left, right) -> None:
    assert [t["id"] for t in left.templates] == [t["id"] for t in right.templates]
    assert all(a is b for a, b in zip(left.templates, right.templates))  # the original dicts, not copies
    assert left.scores == right.scores  # every scorer's value and the composite, bit for bit
    assert (left.empty, left.reason) == (right.empty, right.reason)
    assert (left.candidates_before_gate, left.candidates_after_gate) == (right.candidates_before_gate, right.candidates_after_gate)


# --- Same results over the table and over the rows --------------------------------------------


@pytest.mark.parametrize("builder", TABLE_BUILDERS)
@pytest.mark.parametrize("seed", range(40))
def test_table_and_rows_give_the_same_selection(seed, builder):
    rng = np.random.default_rng(seed)
    rows = varied_rows(int(rng.integers(1, 300)), seed)
    table = TABLE_BUILDERS[builder](rows)
    context, weights, min_score, count = random_setup(rng)
    from_rows = select_templates(rows, context, DEFAULT_SCORERS, weights, min_score, count, seed)
    from_table = select_templates(table, context, DEFAULT_SCORERS, weights, min_score, count, seed)
    assert_same_result(from_rows, from_table)
    measured = [s for s in DEFAULT_SCORERS if s.name not in from_table.not_measured]
    assert from_rows.not_measured == from_table.not_measured
    assert ("industry_fit" in from_table.not_measured) == (not context.product_industry)
    weight_total = sum(weights.get(s.name, 0.0) for s in measured)
    for template, breakdown in zip(from_table.templates, from_table.scores):
        # Each column equals the scorer's readable per-row formula exactly; an unmeasured one is absent.
        assert set(breakdown) == {s.name for s in measured} | {"composite"}
        for scorer in measured:
            assert breakdown[scorer.name] == scorer.score(template, context)
        if weight_total:
            expected = sum(weights.get(s.name, 0.0) * s.score(template, context) for s in measured) / weight_total
            assert breakdown["composite"] == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("seed", range(10))
def test_every_scorer_column_equals_its_per_row_score(seed):
    rng = np.random.default_rng(seed)
    rows = varied_rows(200, seed)
    table = CandidateTable.from_rows(rows)
    context, *_ = random_setup(rng)
    context = SelectionContext(**{**context.__dict__, "product_industry": context.product_industry or "beauty / skincare"})
    for scorer in DEFAULT_SCORERS:
        assert scorer.score_table(table, context).tolist() == [scorer.score(row, context) for row in rows]


@pytest.mark.parametrize("builder", TABLE_BUILDERS)
def test_filtered_table_draws_like_the_filtered_list(builder):
    # What template_selection_run did per fallback step before the table: a list comprehension.
    rows = varied_rows(400, seed=3)
    table = TABLE_BUILDERS[builder](rows)
    context = make_context(requested_category="food")
    food_rows = [row for row in rows if row.get("category") == "food"]
    for min_score in (0.0, 0.5):
        from_list = select_templates(food_rows, context, DEFAULT_SCORERS, SMART_SELECT, min_score, 5, 9)
        from_table = select_templates(table.filter(lambda c: c == "food"), context, DEFAULT_SCORERS, SMART_SELECT, min_score, 5, 9)
        assert_same_result(from_list, from_table)


def test_gate_that_nothing_passes_reports_the_same_reason():
    rows = [make_row(i, has_detection=i % 2 == 0, template_elements={"required_assets": ["person"]}) for i in range(6)]
    result = select_templates(CandidateTable.from_rows(rows), make_context(), DEFAULT_SCORERS, SMART_SELECT, min_asset_score=0.5)
    assert result.empty
    assert result.reason == "No templates passed asset gate (min_score=0.5, 0/6 passed): 3 lack element detection, 3 below threshold"


def test_empty_table_selects_nothing():
    result = select_templates(CandidateTable.from_rows([]), make_context(), DEFAULT_SCORERS, SMART_SELECT)
    assert result.empty and result.candidates_before_gate == 0


# --- Columns -------------------------------------------------------------------------------


def test_columns_hold_what_the_rows_say():
    rows = [
        make_row(0, template_elements={"required_assets": ["logo", "logo"]}, awareness_level=None,
                 evaluation={"d1": 2, "d2": None, "d5": 1}),
        make_row(1, template_elements=None, target_sex=None, evaluation={"d1": 3, "d6": False}, is_unused=False),
        make_row(2, template_elements={"required_assets": ["logo"]}, category="food", has_detection=False),
    ]
    del rows[2]["evaluation"]
    table = CandidateTable.from_rows(rows)
    assert table.is_unused.tolist() == [True, False, True]
    assert table.has_detection.tolist() == [True, True, False]
    assert [table.categories[code] for code in table.category_codes] == ["skincare", "skincare", "food"]
    assert [table.target_sexes[code] for code in table.target_sex_codes] == ["female", None, "female"]
    assert [table.required_asset_sets[key] for key in table.required_asset_keys] == [
        frozenset({"logo"}), frozenset(), frozenset({"logo"})]
    assert table.required_asset_keys[0] == table.required_asset_keys[2]  # one entry per distinct set
    assert np.isnan(table.awareness_level[0]) and table.awareness_level[1:].tolist() == [3.0, 3.0]
    assert table.evaluated.tolist() == [True, True, False]
    assert table.belief_total[:2].tolist() == [3.0, 0.0]  # row 1: D6 false vetoes its 3 points
    assert np.isnan(table.belief_total[2])


def test_columns_read_on_use_are_read_once_and_kept_for_later_subsets():
    rows = [make_row(i, awareness_level=i % 5 + 1) for i in range(6)]
    table = CandidateTable.from_rows(rows, read_now=False)
    first = table.filter(np.array([True, True, True, False, False, False]))
    assert first.awareness_level.tolist() == [1.0, 2.0, 3.0]
    for row in rows:
        row["awareness_level"] = None  # later edits to the dicts are not read again
    second = table.filter(np.array([False, False, False, True, True, True]))
    assert second.awareness_level.tolist() == [4.0, 5.0, 1.0]
    assert table.awareness_level.tolist() == [1.0, 2.0, 3.0, 4.0, 5.0, 1.0]


def test_one_draw_table_subsets_read_only_their_own_rows():
    rows = [make_row(0), make_row(1)]
    del rows[1]["is_unused"]
    table = CandidateTable.for_one_draw(rows)
    assert table.filter(np.array([True, False])).is_unused.tolist() == [True]  # row 1 never read
    with pytest.raises(KeyError, match="is_unused"):
        table.is_unused


def test_missing_required_flag_raises_key_error():
    rows = [make_row(0), make_row(1)]
    del rows[1]["has_detection"]
    with pytest.raises(KeyError, match="has_detection"):
        CandidateTable.from_rows(rows)


def test_columns_are_read_only():
    table = CandidateTable.from_rows([make_row(0), make_row(1)])
    with pytest.raises(ValueError):
        table.is_unused[0] = False
    with pytest.raises(ValueError):
        table.filter(np.array([True, False])).awareness_level[0] = 1.0


# --- Sequence behaviour ----------------------------------------------------------------------


def test_table_is_a_sequence_of_the_original_rows():
    rows = [make_row(i) for i in range(5)]
    table = CandidateTable.from_rows(rows)
    assert len(table) == 5 and bool(table)
    assert table[0] is rows[0] and table[-1] is rows[-1]
    assert table[1:3] == rows[1:3]
    assert [row["id"] for row in table] == [0, 1, 2, 3, 4]
    assert rows[3] in table and table.index(rows[3]) == 3
    assert table.rows is rows  # the full table keeps the caller's list, not a copy
    assert not CandidateTable.from_rows([])
    with pytest.raises(IndexError):
        table[5]


def test_table_accepts_any_sequence_of_rows():
    rows = (make_row(0), make_row(1))
    assert list(CandidateTable.from_rows(rows)) == list(rows)


# --- filter --------------------------------------------------------------------------------


def test_filter_by_mask_keeps_rows_and_columns_in_order():
    rows = [make_row(i, is_unused=i % 2 == 0, awareness_level=i) for i in range(6)]
    table = CandidateTable.from_rows(rows)
    subset = table.filter(np.array([False, True, True, False, True, False]))
    assert [row["id"] for row in subset] == [1, 2, 4]
    assert subset[0] is rows[1] and subset[-1] is rows[4]
    assert subset.is_unused.tolist() == [False, True, True]
    assert subset.awareness_level.tolist() == [1.0, 2.0, 4.0]
    assert subset.categories is table.categories  # distinct values shared, not copied


def test_filter_by_category_predicate_and_filter_of_a_filter():
    rows = [make_row(i, category=["food", "skincare", None][i % 3], is_unused=i < 4) for i in range(9)]
    table = CandidateTable.from_rows(rows)
    calls = []

    def is_food(category):
        calls.append(category)
        return category == "food"

    food = table.filter(is_food)
    assert [row["id"] for row in food] == [0, 3, 6]
    assert sorted(calls, key=str) == sorted(["food", "skincare", None], key=str)  # once per distinct category
    unused_food = food.filter(food.is_unused)
    assert [row["id"] for row in unused_food] == [0, 3]
    assert unused_food[1] is rows[3] and len(unused_food) == 2
    assert len(table.filter(lambda c: False)) == 0


def test_filter_rejects_a_mask_of_the_wrong_length():
    table = CandidateTable.from_rows([make_row(0), make_row(1)])
    with pytest.raises(ValueError, match="shape"):
        table.filter(np.array([True]))


def test_protocol_only_scorer_gets_the_filtered_rows_from_a_table():
    scorer = ProtocolOnlyScorer()
    table = CandidateTable.from_rows(gated_rows())
    select_templates(table, make_context(), [*DEFAULT_SCORERS, scorer], {"protocol_only": 1.0},
                     min_asset_score=0.5, count=2, rng=17)
    assert scorer.seen_ids[0] == [0, 1]


# --- Tables over the query's records ---------------------------------------------------------


RECORD_FIELDS_IN_TEST_ORDER = ("id", "belief_total", "awareness_level", "is_unused", "category", "required_assets_json",
                               "has_detection", "industry", "target_sex")  # another order than the selector's, on purpose


def records_of(rows: list[dict], *, spaced_json: bool = False) -> list[tuple]:
    """What the candidate query returns for these rows: scalar tuples, JSON as text."""
    separators = (", ", ": ") if spaced_json else (",", ":")  # PostgreSQL's jsonb text has spaces

    def values(row):
        elements = row.get("template_elements")
        evaluation = row.get("evaluation")
        if evaluation is None:
            belief_total = None
        elif evaluation.get("d6") is False:
            belief_total = 0
        else:
            belief_total = sum(evaluation.get(d) or 0 for d in ("d1", "d2", "d3", "d4", "d5"))
        return {
            **row,
            "category": row.get("category"), "target_sex": row.get("target_sex"), "industry": row.get("industry"),
            "awareness_level": row.get("awareness_level"), "belief_total": belief_total,
            "required_assets_json": json.dumps(elements["required_assets"], separators=separators)
            if elements and "required_assets" in elements else None,
        }

    return [tuple(values(row)[field] for field in RECORD_FIELDS_IN_TEST_ORDER) for row in rows]


def record_table(rows: list[dict], row_at=None, *, spaced_json: bool = False) -> CandidateTable:
    return CandidateTable.from_records(records_of(rows, spaced_json=spaced_json), fields=RECORD_FIELDS_IN_TEST_ORDER,
                                       row_at=row_at or rows.__getitem__)


class RowBuilder:
    """A `row_at` that records which rows were built."""

    def __init__(self, rows: list[dict]) -> None:
        self.rows = rows
        self.built: list[int] = []

    def __call__(self, position: int) -> dict:
        self.built.append(position)
        return self.rows[position]


@pytest.mark.parametrize("seed", range(30))
def test_record_table_selects_like_the_rows(seed):
    rng = np.random.default_rng(seed)
    rows = varied_rows(int(rng.integers(1, 300)), seed)
    table = record_table(rows, RowBuilder(rows), spaced_json=seed % 2 == 0)
    context, weights, min_score, count = random_setup(rng)
    assert_same_result(
        select_templates(rows, context, DEFAULT_SCORERS, weights, min_score, count, seed),
        select_templates(table, context, DEFAULT_SCORERS, weights, min_score, count, seed),
    )


@pytest.mark.parametrize("seed", range(10))
def test_record_table_holds_the_same_columns_as_the_rows(seed):
    rows = varied_rows(250, seed)
    from_rows = CandidateTable.from_rows(rows)
    from_columns = record_table(rows, spaced_json=True)
    for name in COLUMN_NAMES:
        if name.endswith("_codes") or name == "required_asset_keys":
            continue  # codes may number the same values differently; compared decoded below
        left, right = getattr(from_rows, name), getattr(from_columns, name)
        if isinstance(left, np.ndarray):
            np.testing.assert_array_equal(left, right, err_msg=name)
    assert [from_columns.required_asset_sets[k] for k in from_columns.required_asset_keys] == [
        from_rows.required_asset_sets[k] for k in from_rows.required_asset_keys]
    assert [from_columns.categories[k] for k in from_columns.category_codes] == [row.get("category") for row in rows]
    # Texts naming one set ('["logo","logo"]', '["logo"]') share one entry.
    assert len(set(from_columns.required_asset_sets)) == len(from_columns.required_asset_sets)


def test_record_table_builds_only_the_rows_that_are_read():
    rows = varied_rows(500, seed=4)
    builder = RowBuilder(rows)
    table = record_table(rows, builder)
    result = select_templates(table, make_context(requested_category="food"), DEFAULT_SCORERS, SMART_SELECT, 0.5, 3, 5)
    assert len(result.templates) == 3
    assert sorted(builder.built) == sorted(row["id"] for row in result.templates)  # ids are positions here
    assert table[builder.built[0]] is result.templates[0]  # built once, then the same dict
    assert len(builder.built) == 3


def test_record_table_is_a_sequence_of_built_rows():
    rows = varied_rows(6, seed=5)
    table = record_table(rows)
    assert len(table) == 6 and table[-1] is rows[5] and table[np.int64(2)] is rows[2]
    assert table[1:4] == rows[1:4] and list(table) == rows
    subset = table.filter(np.array([True, False, True, False, False, True]))
    assert [row["id"] for row in subset] == [0, 2, 5] and subset[-1] is rows[5]
    with pytest.raises(IndexError):
        table[6]
    with pytest.raises(IndexError):
        subset[-4]


def test_empty_records_select_nothing():
    table = record_table([])
    assert len(table) == 0 and table.belief_total.shape == (0,) and table.awareness_level.shape == (0,)
    assert select_templates(table, make_context(), DEFAULT_SCORERS, SMART_SELECT, 0.3).empty


def test_records_without_a_scoring_field_are_refused():
    with pytest.raises(ValueError, match="belief_total"):
        CandidateTable.from_records([], fields=RECORD_FIELDS_IN_TEST_ORDER[:1] + RECORD_FIELDS_IN_TEST_ORDER[2:],
                                    row_at=lambda position: {})


def test_required_assets_texts_that_are_not_json_arrays():
    # SQLite's JSON_EXTRACT returns a string value unquoted; PostgreSQL's jsonb text quotes it.
    rows = [make_row(i) for i in range(4)]
    records = [(0, None, 3, True, "skincare", '["logo", "logo"]', True, "female"),
               (1, None, 3, True, "skincare", "logo", True, "female"),
               (2, None, 3, True, "skincare", '"person"', True, "female"),
               (3, None, 3, True, "skincare", None, True, "female")]
    table = CandidateTable.from_records(records, fields=RECORD_FIELDS_IN_TEST_ORDER, row_at=rows.__getitem__)
    assert [table.required_asset_sets[key] for key in table.required_asset_keys] == [
        {"logo"}, {"logo"}, {"person"}, frozenset()]
