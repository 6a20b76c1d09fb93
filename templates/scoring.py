"""Template selection (spec section 8b): gate, blend and draw with the scorers.

Pure computation over candidate rows already fetched by one query (8c); no Django, no I/O.
`select_templates` gates on asset match (8e), blends the scorers' values (templates.scorers)
with weights into one composite per template and draws without replacement with probability
proportional to that composite. The weight presets ("Roll the dice", "Smart select", 8b/8g),
brand overrides and the fallback plan live in `selection_config`.

The scorers read numpy columns that come straight from the candidate query's tuples: reading
10k row dicts cost more than the whole draw over columns (figures: bench/selection.py).
`select_templates` takes the `CandidateTable`, or a list of rows it turns into one.
"""

from __future__ import annotations

import logging
import numbers
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from templates.candidates import CandidateTable

# Re-exported: this module is the selection's front door (templates.services, tests, bench).
from templates.scorers import (  # noqa: F401
    DEFAULT_SCORERS, AssetMatchScorer, AudienceMatchScorer, AwarenessAlignScorer, BeliefClarityScorer,
    CategoryMatchScorer, IndustryFitScorer, PerformanceScorer, SelectionContext, TemplateScorer, TemplateScores,
    UnusedBonusScorer,
)
from templates.selection_config import (  # noqa: F401
    ASSET_STRICTNESS, KNOWN_SCORER_NAMES, PREMIUM_MIN_ASSET_SCORE, ROLL_THE_DICE, SELECTION_MODES, SMART_SELECT,
    fallback_plan, normalize_requested_category, resolve_selection_config, validate_min_asset_score, validate_weights,
)

logger = logging.getLogger(__name__)


@dataclass
class SelectionResult:
    templates: list[dict]  # drawn rows, in draw order (not ranked)
    scores: list[dict[str, float]]  # parallel to templates: every scorer's value + "composite"
    empty: bool
    reason: str | None  # set only when empty
    candidates_before_gate: int
    candidates_after_gate: int
    # Scorers that had nothing to measure in this context (name → why): not in `scores`, not weighted.
    not_measured: dict[str, str] = field(default_factory=dict)


# --- Selection ---------------------------------------------------------------------------


def _score_table(scorer: TemplateScorer, table: CandidateTable, context: SelectionContext) -> np.ndarray:
    if hasattr(scorer, "score_table"):
        return scorer.score_table(table, context)
    # Scorers from elsewhere need only the protocol: they get the (surviving) row dicts.
    return np.asarray(scorer.score_many(table.rows, context), dtype=float)


def _empty_result(reason: str, before: int, not_measured: dict[str, str]) -> SelectionResult:
    return SelectionResult([], [], True, reason, before, 0, not_measured)


def select_templates(
    candidates: CandidateTable | Sequence[dict],
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
    `candidates` is a CandidateTable, or rows that are made into one here (the costlier part
    at 10k rows: pass the table when drawing repeatedly from the same candidates).
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
    not_measured = {s.name: why for s in scorers
                    if (why := getattr(s, "not_measured_because", lambda _context: None)(context))}
    scorers = [s for s in scorers if s.name not in not_measured]
    before = len(candidates)
    if before == 0:
        return _empty_result("No candidate templates (0 candidates before gate)", 0, not_measured)

    # 1-2. Gate first, so the other scorers only see survivors (same result, less work).
    asset_scorer = next((s for s in scorers if s.name == AssetMatchScorer.name), AssetMatchScorer())
    weighted = [s for s in scorers if weights.get(s.name, 0) > 0]
    gate_on = min_asset_score > 0
    # Rows given as a list are read lazily: only the fields this draw's scorers need.
    table = candidates if isinstance(candidates, CandidateTable) else CandidateTable.for_one_draw(candidates)
    survivor_asset_scores = None
    if gate_on:
        asset_scores = _score_table(asset_scorer, table, context)
        # A strict gate needs detection data: unanalysed rows would otherwise pass at 1.0 (8e).
        detected = table.has_detection
        passing = detected & (asset_scores >= min_asset_score)
        if not passing.any():
            undetected = int((~detected).sum())
            reason = (
                f"No templates passed asset gate (min_score={min_asset_score:g}, 0/{before} passed): "
                f"{undetected} lack element detection, {before - undetected} below threshold"
            )
            return _empty_result(reason, before, not_measured)
        table = table.filter(passing)
        survivor_asset_scores = asset_scores[passing]

    # 3. Clamp.
    n = len(table)
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
            scores_by_name[scorer.name] = _score_table(scorer, table, context)
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
    drawn = [table[i] for i in drawn_index]
    breakdown = {
        s.name: scores_by_name[s.name][drawn_index] if s.name in scores_by_name else s.score_many(drawn, context)
        for s in scorers
    }
    scores = [
        {**{name: float(values[k]) for name, values in breakdown.items()}, "composite": float(composite[i])}
        for k, i in enumerate(drawn_index)
    ]
    return SelectionResult(drawn, scores, False, None, before, n, not_measured)
