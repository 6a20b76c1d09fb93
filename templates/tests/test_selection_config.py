"""Pure tests of template selection configuration (spec section 8): presets, overrides, fallback."""

from __future__ import annotations

import math

import pytest

from templates import scoring, selection_config
from templates.selection_config import (
    ASSET_STRICTNESS,
    KNOWN_SCORER_NAMES,
    ROLL_THE_DICE,
    SMART_SELECT,
    fallback_plan,
    resolve_selection_config,
)


def test_known_scorer_names_are_the_built_in_scorers():
    assert KNOWN_SCORER_NAMES == {s.name for s in scoring.DEFAULT_SCORERS}


@pytest.mark.parametrize(
    "name",
    ["ROLL_THE_DICE", "SMART_SELECT", "SELECTION_MODES", "ASSET_STRICTNESS", "PREMIUM_MIN_ASSET_SCORE",
     "KNOWN_SCORER_NAMES", "resolve_selection_config", "fallback_plan", "normalize_requested_category",
     "validate_weights", "validate_min_asset_score"],
)
def test_configuration_is_still_importable_from_scoring(name):
    assert getattr(scoring, name) is getattr(selection_config, name)


# --- Presets, configuration and fallback ---------------------------------------------------


def test_presets_cover_known_scorers():
    assert ROLL_THE_DICE == {"unused_bonus": 1.0, "category_match": 0.5}
    # Every built-in scorer has a preset weight, but the performance one: the genome supplies it (8d).
    assert set(SMART_SELECT) == {s.name for s in scoring.DEFAULT_SCORERS} - {"performance"}
    assert all(w > 0 for w in SMART_SELECT.values())
    assert ASSET_STRICTNESS == {"default": 0.0, "growth": 0.3, "premium": 0.8}


@pytest.mark.parametrize(
    "mode, brand_config, strictness, expected_weights, expected_min",
    [
        ("roll_the_dice", None, None, ROLL_THE_DICE, 0.0),
        ("smart_select", {}, None, SMART_SELECT, 0.0),
        ("smart_select", {"min_asset_score": 0.3}, None, SMART_SELECT, 0.3),
        ("smart_select", {"min_asset_score": 0.3}, "premium", SMART_SELECT, 0.8),  # stricter wins
        ("smart_select", {"min_asset_score": 0.8}, "default", SMART_SELECT, 0.8),  # looser loses
        ("smart_select", None, "growth", SMART_SELECT, 0.3),
        ("smart_select", None, "Premium", SMART_SELECT, 0.8),
        ("roll_the_dice", {"weights": {"asset_match": 2}}, None, {**ROLL_THE_DICE, "asset_match": 2.0}, 0.0),
        ("smart_select", {"weights": {"unused_bonus": 0}}, None, {**SMART_SELECT, "unused_bonus": 0.0}, 0.0),
        ("smart_select", {"weights": {"smart_select": {"asset_match": 3}}}, None, {**SMART_SELECT, "asset_match": 3.0}, 0.0),
        ("roll_the_dice", {"weights": {"smart_select": {"asset_match": 3}}}, None, ROLL_THE_DICE, 0.0),
        ("smart_select", {"min_asset_score": 0.0, "note": "kept for later"}, None, SMART_SELECT, 0.0),
    ],
)
def test_resolve_selection_config(mode, brand_config, strictness, expected_weights, expected_min):
    weights, min_asset_score = resolve_selection_config(mode, brand_config, strictness)
    assert weights == expected_weights
    assert min_asset_score == expected_min


def test_resolve_selection_config_does_not_mutate_presets():
    before = dict(SMART_SELECT)
    weights, _ = resolve_selection_config("smart_select", {"weights": {"asset_match": 9}}, None)
    weights["belief_clarity"] = 0
    assert SMART_SELECT == before


@pytest.mark.parametrize(
    "mode, brand_config, strictness",
    [
        ("random", None, None),
        ("smart_select", None, "ultra"),
        ("smart_select", {"min_asset_score": 1.5}, None),
        ("smart_select", {"min_asset_score": "high"}, None),
        ("smart_select", {"min_asset_score": True}, None),
        ("smart_select", {"weights": {"asset_match": -1}}, None),
        ("smart_select", {"weights": {"asset_match": math.nan}}, None),
        ("smart_select", {"weights": {"asset_macth": 1}}, None),
        ("smart_select", {"weights": [1, 2]}, None),
        ("smart_select", {"weights": {"smart_select": {"asset_match": 1}, "asset_match": 1}}, None),
        ("smart_select", {"weights": {"smart_select": {"asset_match": "x"}}}, None),
        ("smart_select", "premium", None),
        ("smart_select", {"weights": {"smart_select": {"asset_match": 1}, "roll_the_dice": [1]}}, None),
        ("smart_select", {"min_asset_score": None}, None),
    ],
)
def test_resolve_selection_config_rejects_invalid_overrides(mode, brand_config, strictness):
    with pytest.raises(ValueError):
        resolve_selection_config(mode, brand_config, strictness)


@pytest.mark.parametrize(
    "min_asset_score, category, expected",
    [
        (0.0, None, [(0.0, None, "as_requested")]),
        (0.0, "All", [(0.0, None, "as_requested")]),
        (0.0, "food", [(0.0, "food", "as_requested"), (0.0, None, "category_removed")]),
        (0.3, None, [(0.3, None, "as_requested"), (0.0, None, "gate_off")]),
        (
            0.3,
            "food",
            [(0.3, "food", "as_requested"), (0.0, "food", "gate_off"), (0.0, None, "category_removed")],
        ),
        (0.8, "food", [(0.8, "food", "as_requested"), (0.8, None, "category_removed")]),
        (0.8, None, [(0.8, None, "as_requested")]),
        (0.9, None, [(0.9, None, "as_requested")]),
    ],
)
def test_fallback_plan(min_asset_score, category, expected):
    assert fallback_plan(min_asset_score, category) == expected


def test_fallback_plan_rejects_invalid_threshold():
    with pytest.raises(ValueError):
        fallback_plan(-0.5, None)
