"""Template scoring pipeline (spec section 8): pluggable scorers and weighted-random selection.

Pure computation over candidate rows already fetched by one query (8c); no Django, no I/O.
Each scorer maps a template row to [0, 1]; `select_templates` gates on asset match (8e),
blends the scores with weights into one composite per template and draws without replacement
with probability proportional to that composite. The weight presets ("Roll the dice", "Smart
select", 8b/8g), brand overrides and the fallback plan live in `selection_config`.

Each built-in scorer has a per-row `score` (the readable formula) and a vectorised
`score_columns`. At 10k candidates most of the time goes to reading fields out of the row
dicts, so `CandidateColumns` reads each field once, in C, for all scorers (and keeps what
it read for the gate's survivors), and repeated values are scored once per distinct value
(figures: bench/selection.py).
"""

from __future__ import annotations

import logging
import numbers
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence, Set as AbstractSet
from dataclasses import dataclass
from itertools import compress
from operator import itemgetter
from typing import Any, Protocol

import numpy as np

# Re-exported: callers (templates.services, tests) import the configuration from here too.
from templates.selection_config import (  # noqa: F401
    ASSET_STRICTNESS, KNOWN_SCORER_NAMES, PREMIUM_MIN_ASSET_SCORE, ROLL_THE_DICE, SELECTION_MODES, SMART_SELECT,
    fallback_plan, normalize_requested_category, resolve_selection_config, validate_min_asset_score, validate_weights,
)

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


class CandidateColumns:
    """The candidate rows' fields as columns, each read from the rows at most once per selection."""

    def __init__(self, rows: Sequence[dict]) -> None:
        self.rows = rows
        self._columns: dict[str, Any] = {}

    def values(self, key: str) -> list:
        """`row.get(key)` for every row."""
        if key not in self._columns:
            try:
                # In C, ~30% cheaper than row.get per row, while every row has the key. One pass
                # per field on purpose: one tuple of all fields per row measured up to 2x slower
                # at 100k rows, as that many live tuples set off full garbage collections.
                self._columns[key] = list(map(itemgetter(key), self.rows))
            except KeyError:
                self._columns[key] = [row.get(key) for row in self.rows]
        return self._columns[key]

    def flags(self, key: str) -> np.ndarray:
        """`row[key]` (a required field: KeyError when missing) for every row, as booleans."""
        if f"flags:{key}" not in self._columns:
            self._columns[f"flags:{key}"] = np.array(list(map(itemgetter(key), self.rows)), dtype=bool)
        return self._columns[f"flags:{key}"]

    def subset(self, keep: np.ndarray) -> CandidateColumns:
        """The rows where `keep` is true, with every column read so far carried over."""
        keep_list = keep.tolist()
        kept = CandidateColumns(list(compress(self.rows, keep_list)))
        for key, column in self._columns.items():
            kept._columns[key] = column[keep] if isinstance(column, np.ndarray) else list(compress(column, keep_list))
        return kept


class _ScoreByValue(dict):
    """Scores of distinct values, each computed on its first lookup."""

    def __init__(self, score_of: Callable[[Any], float]) -> None:
        super().__init__()
        self.score_of = score_of

    def __missing__(self, value: Hashable) -> float:
        score = self[value] = self.score_of(value)
        return score


def _scores_by_distinct_value(values: Iterable, score_of: Callable[[Any], float], count: int) -> np.ndarray:
    """Score a column whose values repeat a lot (tag combinations, sexes) once per distinct value."""
    # One hash per row, in C; a set of the values first, then a lookup, hashed each twice.
    return np.fromiter(map(_ScoreByValue(score_of).__getitem__, values), dtype=float, count=count)


class _ColumnScorer:
    """Base of the built-in scorers, which each define `score` and `score_columns`."""

    name: str

    def score_many(self, templates: Sequence[dict], context: SelectionContext) -> np.ndarray:
        return self.score_columns(CandidateColumns(templates), context)


# --- Asset match -------------------------------------------------------------------------


class AssetMatchScorer(_ColumnScorer):
    """Share of the template's required asset kinds the product can supply (8f)."""

    name = "asset_match"

    def score(self, template: dict, context: SelectionContext) -> float:
        elements = template.get("template_elements") or {}
        return _asset_coverage(elements.get("required_assets") or [], context.product_asset_tags)

    def score_columns(self, columns: CandidateColumns, context: SelectionContext) -> np.ndarray:
        # Libraries reuse a few hundred tag combinations, so each distinct one is scored once.
        tags = context.product_asset_tags
        # template_elements is '{}' for never-analysed templates and may be NULL on old rows.
        # A generator, not a list: each tuple is freed as soon as it is looked up, so 100k of
        # them never pile up to trigger garbage collections.
        elements = columns.values("template_elements")
        required = (tuple(kinds) if e and (kinds := e.get("required_assets")) else () for e in elements)
        return _scores_by_distinct_value(required, lambda kinds: _asset_coverage(kinds, tags), len(elements))


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


class UnusedBonusScorer(_ColumnScorer):
    name = "unused_bonus"

    def score(self, template: dict, context: SelectionContext) -> float:
        return 1.0 if template["is_unused"] else USED_TEMPLATE_SCORE

    def score_columns(self, columns: CandidateColumns, context: SelectionContext) -> np.ndarray:
        return np.where(columns.flags("is_unused"), 1.0, USED_TEMPLATE_SCORE)


# --- Category match ----------------------------------------------------------------------

# With no category requested every template is equally fitting: a neutral middle score.
NO_CATEGORY_SCORE = 0.5


class CategoryMatchScorer(_ColumnScorer):
    name = "category_match"

    def score(self, template: dict, context: SelectionContext) -> float:
        requested = normalize_requested_category(context.requested_category)
        if requested is None:
            return NO_CATEGORY_SCORE
        return 1.0 if template.get("category") == requested else 0.0

    def score_columns(self, columns: CandidateColumns, context: SelectionContext) -> np.ndarray:
        requested = normalize_requested_category(context.requested_category)
        if requested is None:
            return np.full(len(columns.rows), NO_CATEGORY_SCORE)
        categories = columns.values("category")
        return _scores_by_distinct_value(categories, lambda c: 1.0 if c == requested else 0.0, len(categories))


# --- Awareness alignment -----------------------------------------------------------------

# Awareness levels run 1-5, so 4 is the largest possible distance.
AWARENESS_SPAN = 4.0
UNKNOWN_AWARENESS_SCORE = 0.5


class AwarenessAlignScorer(_ColumnScorer):
    name = "awareness_align"

    def score(self, template: dict, context: SelectionContext) -> float:
        level, stage = template.get("awareness_level"), context.awareness_stage
        if level is None or stage is None:
            return UNKNOWN_AWARENESS_SCORE
        # Clipped so an out-of-range level from bad data cannot leave [0, 1].
        return min(1.0, max(0.0, 1.0 - abs(level - stage) / AWARENESS_SPAN))

    def score_columns(self, columns: CandidateColumns, context: SelectionContext) -> np.ndarray:
        stage = context.awareness_stage
        if stage is None:
            return np.full(len(columns.rows), UNKNOWN_AWARENESS_SCORE)
        # dtype=float turns None into NaN, which marks "level unknown".
        levels = np.array(columns.values("awareness_level"), dtype=float)
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


class AudienceMatchScorer(_ColumnScorer):
    name = "audience_match"

    @staticmethod
    def _persona_sex(context: SelectionContext) -> str | None:
        return _normalize_sex((context.persona or {}).get("target_sex"))

    def score(self, template: dict, context: SelectionContext) -> float:
        return _audience_score(template.get("target_sex"), self._persona_sex(context))

    def score_columns(self, columns: CandidateColumns, context: SelectionContext) -> np.ndarray:
        persona_sex = self._persona_sex(context)
        sexes = columns.values("target_sex")
        return _scores_by_distinct_value(sexes, lambda sex: _audience_score(sex, persona_sex), len(sexes))


# --- Belief clarity ----------------------------------------------------------------------

BELIEF_DIMENSIONS = ("d1", "d2", "d3", "d4", "d5")
# D1-D5 are 0-3 each, so 15 is a perfect evaluation.
BELIEF_MAX_TOTAL = 15.0
UNEVALUATED_BELIEF_SCORE = 0.5


def _is_non_compliant(d6: Any) -> bool:
    # Only an explicit "not compliant" gates; a missing D6 is not evidence of a violation.
    return d6 is not None and not d6


class BeliefClarityScorer(_ColumnScorer):
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

    def score_columns(self, columns: CandidateColumns, context: SelectionContext) -> np.ndarray:
        # Spelled out per row: a numpy matrix of the nested dicts, or totals memoised per distinct
        # (d1, ..., d6) tuple (building and hashing it costs what it saves), measured no faster.
        totals = [
            UNEVALUATED_BELIEF_SCORE * BELIEF_MAX_TOTAL
            if e is None
            else 0.0
            if (d6 := e.get("d6")) is not None and not d6
            else (e.get("d1") or 0) + (e.get("d2") or 0) + (e.get("d3") or 0) + (e.get("d4") or 0) + (e.get("d5") or 0)
            for e in columns.values("evaluation")
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

# --- Selection ---------------------------------------------------------------------------


def _score_column(scorer: TemplateScorer, columns: CandidateColumns, context: SelectionContext) -> np.ndarray:
    if hasattr(scorer, "score_columns"):
        return scorer.score_columns(columns, context)
    return scorer.score_many(columns.rows, context)  # scorers from elsewhere need only the protocol


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
    weighted = [s for s in scorers if weights.get(s.name, 0) > 0]
    gate_on = min_asset_score > 0
    columns = CandidateColumns(candidates)
    survivors = candidates
    survivor_asset_scores = None
    if gate_on:
        asset_scores = _score_column(asset_scorer, columns, context)
        # A strict gate needs detection data: unanalysed rows would otherwise pass at 1.0 (8e).
        detected = columns.flags("has_detection")
        passing = detected & (asset_scores >= min_asset_score)
        if not passing.any():
            undetected = int((~detected).sum())
            reason = (
                f"No templates passed asset gate (min_score={min_asset_score:g}, 0/{before} passed): "
                f"{undetected} lack element detection, {before - undetected} below threshold"
            )
            return _empty_result(reason, before)
        columns = columns.subset(passing)
        survivors = columns.rows
        survivor_asset_scores = asset_scores[passing]

    # 3. Clamp.
    n = len(survivors)
    if count > n:
        logger.warning("Requested %d templates but only %d candidates passed the gate", count, n)
        count = n

    # 4. Composite = weighted mean of the weighted scorers' columns; unweighted ones are
    # not computed for every candidate, only later for the drawn few.
    scores_by_name: dict[str, np.ndarray] = {}
    if survivor_asset_scores is not None:
        scores_by_name[asset_scorer.name] = survivor_asset_scores
    for scorer in weighted:
        if scorer.name not in scores_by_name:
            scores_by_name[scorer.name] = _score_column(scorer, columns, context)
    if not weighted:
        composite = np.ones(n)
    else:
        weight_vector = np.array([float(weights[s.name]) for s in weighted])
        # Scaled by the largest weight so huge-but-finite weights cannot overflow the sum.
        weight_vector /= weight_vector.max()
        composite = weight_vector @ np.stack([scores_by_name[s.name] for s in weighted]) / weight_vector.sum()

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
        s.name: scores_by_name[s.name][drawn_index] if s.name in scores_by_name else s.score_many(drawn, context)
        for s in scorers
    }
    scores = [
        {**{name: float(values[k]) for name, values in breakdown.items()}, "composite": float(composite[i])}
        for k, i in enumerate(drawn_index)
    ]
    return SelectionResult(drawn, scores, False, None, before, n)
