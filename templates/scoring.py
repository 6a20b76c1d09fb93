"""Template scoring pipeline (spec section 8): pluggable scorers and weighted-random selection.

Pure computation over candidate rows already fetched by one query (8c); no Django, no I/O.
Each scorer maps a template row to [0, 1]; `select_templates` gates on asset match (8e),
blends the scores with weights into one composite per template and draws without replacement
with probability proportional to that composite. "Roll the dice" and "Smart select" are the
same function with different weight presets (8b, 8g).

Every scorer has a per-row `score` (the readable formula) and a vectorised `score_many`: the
selection path only uses `score_many`, because a Python loop over scorers x templates costs
several times more at 10k candidates (figures: bench/selection.py).
"""

from __future__ import annotations

import logging
import math
import numbers
from collections.abc import Iterable, Mapping, Sequence, Set as AbstractSet
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SelectionContext:
    """Everything the scorers may read besides the row itself, prefetched once per selection."""

    product_id: Any
    brand_id: Any
    # Prefetched from the product's images once (8f), so asset matching is a set intersection.
    product_asset_tags: set[str]
    persona: dict | None
    requested_category: str | None
    awareness_stage: int | None
    has_meta_connection: bool = False

    def __post_init__(self) -> None:
        if not isinstance(self.product_asset_tags, (set, frozenset)):
            object.__setattr__(self, "product_asset_tags", frozenset(self.product_asset_tags or ()))


@dataclass
class SelectionResult:
    templates: list[dict]  # drawn rows, in draw order (not ranked)
    scores: list[dict[str, float]]  # parallel to templates: every scorer's value + "composite"
    empty: bool
    reason: str | None  # set only when empty
    candidates_before_gate: int
    candidates_after_gate: int


class TemplateScorer(Protocol):
    name: str

    def score(self, template: dict, context: SelectionContext) -> float: ...

    def score_many(self, templates: Sequence[dict], context: SelectionContext) -> np.ndarray: ...


def _scores_by_distinct_value(values: list, score_of) -> np.ndarray:
    """Score a column whose values repeat a lot (categories, sexes) by scoring each distinct value once."""
    score_for_value = {value: score_of(value) for value in set(values)}
    return np.fromiter(map(score_for_value.__getitem__, values), dtype=float, count=len(values))


# --- Asset match -------------------------------------------------------------------------


def _required_assets(template: dict) -> list:
    # template_elements is '{}' for never-analysed templates and may be NULL on old rows.
    elements = template.get("template_elements") or {}
    return elements.get("required_assets") or []


class AssetMatchScorer:
    """Share of the template's required asset kinds the product can supply (8f)."""

    name = "asset_match"

    def score(self, template: dict, context: SelectionContext) -> float:
        return _asset_coverage(_required_assets(template), context.product_asset_tags)

    def score_many(self, templates: Sequence[dict], context: SelectionContext) -> np.ndarray:
        # Libraries reuse a few hundred tag combinations, so each distinct one is scored once.
        # Inlined rather than map(_required_assets, ...): a Python call per row cost ~3x more.
        elements = [t.get("template_elements") for t in templates]
        required = [tuple(e.get("required_assets") or ()) if e else () for e in elements]
        tags = context.product_asset_tags
        return _scores_by_distinct_value(required, lambda kinds: _asset_coverage(kinds, tags))


def _asset_coverage(required: Iterable[str], tags: AbstractSet[str]) -> float:
    # Duplicate tags in required_assets would otherwise make a fully covered template
    # score below 1.0, so the formula works on the set of required kinds.
    required = set(required)
    if not required:
        return 1.0
    return len(required & tags) / len(required)


# --- Unused bonus ------------------------------------------------------------------------

# A used template stays eligible (no dead ends once most templates are used) but at under a
# third of an unused one's weight, so fresh layouts dominate without being the only option.
USED_TEMPLATE_SCORE = 0.3


class UnusedBonusScorer:
    name = "unused_bonus"

    def score(self, template: dict, context: SelectionContext) -> float:
        return 1.0 if template["is_unused"] else USED_TEMPLATE_SCORE

    def score_many(self, templates: Sequence[dict], context: SelectionContext) -> np.ndarray:
        unused = np.array([t["is_unused"] for t in templates], dtype=bool)
        return np.where(unused, 1.0, USED_TEMPLATE_SCORE)


# --- Category match ----------------------------------------------------------------------

# With no category requested every template is equally fitting: a neutral middle score.
NO_CATEGORY_SCORE = 0.5


def normalize_requested_category(category: str | None) -> str | None:
    """The UI's "All" choice (any case) and a blank value mean "no category filter"."""
    if category is None or not category.strip() or category.strip().lower() == "all":
        return None
    return category


class CategoryMatchScorer:
    name = "category_match"

    def score(self, template: dict, context: SelectionContext) -> float:
        requested = normalize_requested_category(context.requested_category)
        if requested is None:
            return NO_CATEGORY_SCORE
        return 1.0 if template.get("category") == requested else 0.0

    def score_many(self, templates: Sequence[dict], context: SelectionContext) -> np.ndarray:
        requested = normalize_requested_category(context.requested_category)
        if requested is None:
            return np.full(len(templates), NO_CATEGORY_SCORE)
        categories = [t.get("category") for t in templates]
        return _scores_by_distinct_value(categories, lambda c: 1.0 if c == requested else 0.0)


# --- Awareness alignment -----------------------------------------------------------------

# Awareness levels run 1-5, so 4 is the largest possible distance.
AWARENESS_SPAN = 4.0
UNKNOWN_AWARENESS_SCORE = 0.5


class AwarenessAlignScorer:
    name = "awareness_align"

    def score(self, template: dict, context: SelectionContext) -> float:
        level, stage = template.get("awareness_level"), context.awareness_stage
        if level is None or stage is None:
            return UNKNOWN_AWARENESS_SCORE
        # Clipped so an out-of-range level from bad data cannot leave [0, 1].
        return min(1.0, max(0.0, 1.0 - abs(level - stage) / AWARENESS_SPAN))

    def score_many(self, templates: Sequence[dict], context: SelectionContext) -> np.ndarray:
        stage = context.awareness_stage
        if stage is None:
            return np.full(len(templates), UNKNOWN_AWARENESS_SCORE)
        # dtype=float turns None into NaN, which marks "level unknown".
        levels = np.array([t.get("awareness_level") for t in templates], dtype=float)
        aligned = np.clip(1.0 - np.abs(levels - stage) / AWARENESS_SPAN, 0.0, 1.0)
        return np.where(np.isnan(levels), UNKNOWN_AWARENESS_SCORE, aligned)


# --- Audience match ----------------------------------------------------------------------

AUDIENCE_EXACT_SCORE = 1.0
# A unisex or unknown side could suit anyone: better than a clash, worse than a sure fit.
AUDIENCE_NEUTRAL_SCORE = 0.7
AUDIENCE_MISMATCH_SCORE = 0.2


def _normalize_sex(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip().lower()
    return text or None


def _audience_score(template_sex: Any, persona_sex: str | None) -> float:
    template_sex = _normalize_sex(template_sex)
    # Exact match is checked first, so a unisex persona and a unisex template fit perfectly.
    if template_sex is not None and template_sex == persona_sex:
        return AUDIENCE_EXACT_SCORE
    if template_sex in (None, "unisex") or persona_sex in (None, "unisex"):
        return AUDIENCE_NEUTRAL_SCORE
    return AUDIENCE_MISMATCH_SCORE


class AudienceMatchScorer:
    name = "audience_match"

    @staticmethod
    def _persona_sex(context: SelectionContext) -> str | None:
        return _normalize_sex((context.persona or {}).get("target_sex"))

    def score(self, template: dict, context: SelectionContext) -> float:
        return _audience_score(template.get("target_sex"), self._persona_sex(context))

    def score_many(self, templates: Sequence[dict], context: SelectionContext) -> np.ndarray:
        persona_sex = self._persona_sex(context)
        sexes = [t.get("target_sex") for t in templates]
        return _scores_by_distinct_value(sexes, lambda sex: _audience_score(sex, persona_sex))


# --- Belief clarity ----------------------------------------------------------------------

BELIEF_DIMENSIONS = ("d1", "d2", "d3", "d4", "d5")
# D1-D5 are 0-3 each, so 15 is a perfect evaluation.
BELIEF_MAX_TOTAL = 15.0
UNEVALUATED_BELIEF_SCORE = 0.5


def _is_non_compliant(d6: Any) -> bool:
    # Only an explicit "not compliant" gates; a missing D6 is not evidence of a violation.
    return d6 is not None and not d6


class BeliefClarityScorer:
    """Evaluated D1-D5 total on [0, 1]; D6 = false is an in-scorer veto (0.0), not a filter (8f)."""

    name = "belief_clarity"

    def score(self, template: dict, context: SelectionContext) -> float:
        evaluation = template.get("evaluation")
        if evaluation is None:
            return UNEVALUATED_BELIEF_SCORE
        if _is_non_compliant(evaluation.get("d6")):
            return 0.0
        total = sum(evaluation.get(d) or 0 for d in BELIEF_DIMENSIONS)
        # Clipped so an out-of-scale dimension from bad data cannot leave [0, 1].
        return min(1.0, max(0.0, total / BELIEF_MAX_TOTAL))

    def score_many(self, templates: Sequence[dict], context: SelectionContext) -> np.ndarray:
        # Spelled out per row on purpose: converting nested dicts into a numpy matrix first
        # measured slower than this single comprehension.
        totals = [
            UNEVALUATED_BELIEF_SCORE * BELIEF_MAX_TOTAL
            if e is None
            else 0.0
            if (d6 := e.get("d6")) is not None and not d6
            else (e.get("d1") or 0) + (e.get("d2") or 0) + (e.get("d3") or 0) + (e.get("d4") or 0) + (e.get("d5") or 0)
            for e in [t.get("evaluation") for t in templates]
        ]
        return np.clip(np.array(totals, dtype=float) / BELIEF_MAX_TOTAL, 0.0, 1.0)


DEFAULT_SCORERS: list[TemplateScorer] = [
    AssetMatchScorer(),
    UnusedBonusScorer(),
    CategoryMatchScorer(),
    AwarenessAlignScorer(),
    AudienceMatchScorer(),
    BeliefClarityScorer(),
]
KNOWN_SCORER_NAMES = frozenset(s.name for s in DEFAULT_SCORERS)

# --- Selection ---------------------------------------------------------------------------


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


def _empty_result(reason: str, before: int) -> SelectionResult:
    return SelectionResult([], [], True, reason, before, 0)


def select_templates(
    candidates: Sequence[dict],
    context: SelectionContext,
    scorers: Sequence[TemplateScorer],
    weights: Mapping[str, float],
    min_asset_score: float = 0.0,
    count: int = 3,
    rng: np.random.Generator | int | None = None,
) -> SelectionResult:
    """Weighted-random draw of `count` templates without replacement (spec 8b steps 0-8).

    Weights for scorers not passed are ignored (but still validated); passed scorers without
    a weight get 0. Only weighted scorers score every candidate; the others score just the
    drawn templates, for the per-template breakdown. `rng` is a numpy Generator (or a seed).
    """
    # 0. Validate.
    validate_weights(weights)
    min_asset_score = validate_min_asset_score(min_asset_score)
    if isinstance(count, bool) or not isinstance(count, numbers.Integral) or count < 1:
        raise ValueError(f"Invalid count: {count!r} (must be an integer >= 1)")
    names = [s.name for s in scorers]
    if len(set(names)) != len(names):
        raise ValueError(f"Duplicate scorer names: {names}")
    rng = np.random.default_rng(rng)
    before = len(candidates)
    if before == 0:
        return _empty_result("No candidate templates (0 candidates before gate)", 0)

    # 1-2. Gate first, so the other scorers only see survivors (same result, less work).
    asset_scorer = next((s for s in scorers if s.name == AssetMatchScorer.name), AssetMatchScorer())
    survivors = list(candidates)
    survivor_asset_scores = None
    if min_asset_score > 0:
        asset_scores = asset_scorer.score_many(candidates, context)
        # A strict gate needs detection data: unanalysed rows would otherwise pass at 1.0 (8e).
        detected = np.array([c["has_detection"] for c in candidates], dtype=bool)
        passing = detected & (asset_scores >= min_asset_score)
        if not passing.any():
            undetected = int((~detected).sum())
            reason = (
                f"No templates passed asset gate (min_score={min_asset_score:g}, 0/{before} passed): "
                f"{undetected} lack element detection, {before - undetected} below threshold"
            )
            return _empty_result(reason, before)
        survivor_index = np.flatnonzero(passing)
        survivors = [candidates[i] for i in survivor_index]
        survivor_asset_scores = asset_scores[survivor_index]

    # 3. Clamp.
    n = len(survivors)
    if count > n:
        logger.warning("Requested %d templates but only %d candidates passed the gate", count, n)
        count = n

    # 4. Composite = weighted mean of the weighted scorers' columns; unweighted ones are
    # not computed for every candidate, only later for the drawn few.
    columns: dict[str, np.ndarray] = {}
    if survivor_asset_scores is not None:
        columns[asset_scorer.name] = survivor_asset_scores
    weighted = [s for s in scorers if weights.get(s.name, 0) > 0]
    for scorer in weighted:
        if scorer.name not in columns:
            columns[scorer.name] = scorer.score_many(survivors, context)
    if not weighted:
        composite = np.ones(n)
    else:
        weight_vector = np.array([float(weights[s.name]) for s in weighted])
        # Scaled by the largest weight so huge-but-finite weights cannot overflow the sum.
        weight_vector /= weight_vector.max()
        composite = weight_vector @ np.stack([columns[s.name] for s in weighted]) / weight_vector.sum()

    # 5. Probabilities, uniform when everything scored zero.
    score_total = composite.sum()
    p = np.full(n, 1.0 / n) if score_total == 0 else composite / score_total

    # 6-7. Draw without replacement among nonzero-probability candidates.
    draw_count = min(count, n, int(np.count_nonzero(p > 0)))
    if draw_count < count:
        logger.warning("Only %d candidates with nonzero score (requested %d)", draw_count, count)
    drawn_index = rng.choice(n, size=draw_count, replace=False, p=p)

    # 8. Per-template breakdown in draw order.
    drawn = [survivors[i] for i in drawn_index]
    breakdown = {
        s.name: columns[s.name][drawn_index] if s.name in columns else s.score_many(drawn, context)
        for s in scorers
    }
    scores = [
        {**{name: float(values[k]) for name, values in breakdown.items()}, "composite": float(composite[i])}
        for k, i in enumerate(drawn_index)
    ]
    return SelectionResult(drawn, scores, False, None, before, n)


# --- Presets and configuration -----------------------------------------------------------

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
    # Freshness matters, but less than fit: a good used layout beats a poor unused one.
    "unused_bonus": 0.5,
    # The candidate query already filters by category, so this column is nearly constant:
    # a low weight keeps it as a small uniform floor that preserves variety.
    "category_match": 0.2,
}

SELECTION_MODES: dict[str, dict[str, float]] = {"roll_the_dice": ROLL_THE_DICE, "smart_select": SMART_SELECT}

# Brand tiers of 8e: premium needs nearly every required asset; growth lets AI fill some gaps.
ASSET_STRICTNESS: dict[str, float] = {"default": 0.0, "growth": 0.3, "premium": 0.8}
PREMIUM_MIN_ASSET_SCORE = ASSET_STRICTNESS["premium"]


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

