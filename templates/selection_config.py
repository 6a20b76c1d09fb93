"""Template selection configuration (spec section 8): weight presets, brand overrides, fallback.

Pure computation, no Django. Decides *which* weights and gate threshold one selection runs
with and what to relax when it comes back empty; `templates.scorers` scores and
`templates.scoring` draws. This module imports neither, so both can import it at module top
without an import cycle.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping
from typing import Any

import numpy as np

# Names of the built-in scorers defined in templates.scorers (a test keeps the two in step).
# Listed here rather than derived from the scorer objects so this module needs no scoring import.
KNOWN_SCORER_NAMES = frozenset(
    {"asset_match", "unused_bonus", "category_match", "awareness_align", "audience_match", "belief_clarity",
     "performance", "industry_fit"}
)

# The scorers as people read them (the draw panel, the API's breakdown stays by name).
SCORER_LABELS = {
    "asset_match": "Asset match", "unused_bonus": "Unused", "category_match": "Category",
    "awareness_align": "Awareness", "audience_match": "Audience", "industry_fit": "Industry fit",
    "belief_clarity": "Belief clarity", "performance": "Performance (genome)",
}

ROLL_THE_DICE: dict[str, float] = {"unused_bonus": 1.0, "category_match": 0.5}

SMART_SELECT: dict[str, float] = {
    # Missing required assets is what most often ruins a generated ad (a layout built around
    # a face or a logo the product cannot supply), so fit to the product's assets leads.
    "asset_match": 1.0,
    # Evaluated belief clarity is the next best quality signal, and carries the D6 veto.
    "belief_clarity": 0.8,
    # Persona fit: awareness stage shapes the whole message; sex only narrows the audience.
    "awareness_align": 0.6,
    "audience_match": 0.4,
    # A layout made for another industry (a coffee bag's for a serum) reads wrong however well
    # it fits the assets: industry fit weighs nearly as much as asset fit. Only when the
    # product's industry is set (templates.services leaves the scorer out otherwise).
    "industry_fit": 0.8,
    # Freshness matters, but less than fit: a good used layout beats a poor unused one.
    "unused_bonus": 0.5,
    # The candidate query already filters by category, so this column is nearly constant:
    # a low weight keeps it as a small uniform floor that preserves variety.
    "category_match": 0.2,
}
# Smart select's PerformanceScorer (spec 8d) has no hard-coded weight: the genome supplies it,
# growing with the evidence — PERFORMANCE_FULL_WEIGHT × evidence / (evidence + PERFORMANCE_EVIDENCE_HALF),
# evidence being the rewarded ads behind the brand's template scores (templates.services).
PERFORMANCE_FULL_WEIGHT = 3.5  # at full evidence, proven results weigh as much as every fit scorer together
PERFORMANCE_EVIDENCE_HALF = 50

SELECTION_MODES: dict[str, dict[str, float]] = {"roll_the_dice": ROLL_THE_DICE, "smart_select": SMART_SELECT}

# Brand tiers of 8e: premium needs nearly every required asset; growth lets AI fill some gaps.
ASSET_STRICTNESS: dict[str, float] = {"default": 0.0, "growth": 0.3, "premium": 0.8}
PREMIUM_MIN_ASSET_SCORE = ASSET_STRICTNESS["premium"]


def normalize_requested_category(category: str | None) -> str | None:
    """The UI's "All" choice (any case) and a blank value mean "no category filter"."""
    if category is None or not category.strip() or category.strip().lower() == "all":
        return None
    return category


def _is_valid_number(value: Any) -> bool:
    # bool is an int subclass, but True as a weight is a config mistake, not 1.0.
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        return False
    return math.isfinite(value)


def validate_weights(weights: Mapping[str, Any]) -> None:
    """Runtime check (not assert, so it survives python -O) that every weight is finite and >= 0."""
    for name, weight in weights.items():
        if not (_is_valid_number(weight) and weight >= 0):
            raise ValueError(f"Invalid weight for {name}: {weight!r} (must be finite and >= 0)")


def validate_min_asset_score(value: Any) -> float:
    if not (_is_valid_number(value) and 0.0 <= value <= 1.0):
        raise ValueError(f"Invalid min_asset_score: {value!r} (must be a finite number in [0, 1])")
    return float(value)


def _validated_weight_override(override: Any, where: str) -> dict[str, float]:
    if not isinstance(override, Mapping):
        raise ValueError(f"{where} must be an object of scorer weights, got {override!r}")
    unknown = set(override) - KNOWN_SCORER_NAMES
    if unknown:
        raise ValueError(f"{where} names unknown scorers {sorted(unknown)}; known: {sorted(KNOWN_SCORER_NAMES)}")
    validate_weights(override)
    return {name: float(w) for name, w in override.items()}


def resolve_selection_config(
    mode: str, brand_config: Mapping | None, strictness: str | None
) -> tuple[dict[str, float], float]:
    """Weights and gate threshold for one selection, from the preset and the brand's overrides.

    Accepted `brands.template_selection_config` shapes (other top-level keys are ignored):
      {"min_asset_score": 0.3}                                  -- gate threshold in [0, 1]
      {"weights": {"asset_match": 2.0}}                         -- applies to every mode
      {"weights": {"smart_select": {...}, "roll_the_dice": {...}}}  -- per mode
    Weight overrides are merged over the preset scorer by scorer (0 switches one off).
    An explicit `strictness` tier may only tighten the brand's gate, never loosen it: the
    brand's threshold is a quality floor set by staff, and relaxing it is the fallback plan's
    job (8h), which never relaxes premium.
    """
    if mode not in SELECTION_MODES:
        raise ValueError(f"Unknown selection mode {mode!r}; expected one of {sorted(SELECTION_MODES)}")
    config = brand_config or {}
    if not isinstance(config, Mapping):
        raise ValueError(f"template_selection_config must be an object, got {config!r}")
    weights = dict(SELECTION_MODES[mode])

    override = config.get("weights")
    if override is not None:
        if not isinstance(override, Mapping):
            raise ValueError(f"template_selection_config.weights must be an object, got {override!r}")
        mode_keys = set(override) & set(SELECTION_MODES)
        if mode_keys and mode_keys != set(override):
            raise ValueError("template_selection_config.weights mixes mode names and scorer names")
        if mode_keys:
            # Every mode's override is checked, so a bad one surfaces whichever mode runs first.
            per_mode = {
                name: _validated_weight_override(value, f"template_selection_config.weights.{name}")
                for name, value in override.items()
            }
            weights.update(per_mode.get(mode, {}))
        else:
            weights.update(_validated_weight_override(override, "template_selection_config.weights"))

    min_asset_score = validate_min_asset_score(config.get("min_asset_score", 0.0))
    if strictness is not None:
        tier = str(strictness).strip().lower()  # the UI labels them "Default", "Growth", "Premium"
        if tier not in ASSET_STRICTNESS:
            raise ValueError(f"Unknown asset strictness {strictness!r}; expected one of {sorted(ASSET_STRICTNESS)}")
        min_asset_score = max(min_asset_score, ASSET_STRICTNESS[tier])
    return weights, min_asset_score


def fallback_plan(min_asset_score: float, requested_category: str | None) -> list[tuple[float, str | None, str]]:
    """Attempts to make, in order, when a selection comes back empty (8h).

    Each step keeps the previous relaxations. The gate is switched off only below the
    premium threshold, and only if it was on; the category is dropped only if one was set.
    """
    min_asset_score = validate_min_asset_score(min_asset_score)
    category = normalize_requested_category(requested_category)
    plan = [(min_asset_score, category, "as_requested")]
    gate = min_asset_score
    if 0.0 < min_asset_score < PREMIUM_MIN_ASSET_SCORE:
        gate = 0.0
        plan.append((gate, category, "gate_off"))
    if category is not None:
        plan.append((gate, None, "category_removed"))
    return plan
