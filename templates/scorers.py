"""The built-in template scorers (spec section 8c-8g) and what they read: `SelectionContext`.

Pure computation, no Django. Each scorer maps a template row to [0, 1] with a per-row `score`
(the readable formula) and a vectorised `score_table` over a `CandidateTable`
(templates.candidates); `templates.scoring` gates, blends and draws with them. A scorer that has
nothing to measure in a context says why (`not_measured_because`) and is left out of the draw.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence, Set as AbstractSet
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
from scipy.stats import beta as beta_distribution

from templates.candidates import CandidateTable, required_asset_kinds
from templates.selection_config import normalize_requested_category


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
    # The genome's template_id scores (spec 8d PerformanceScorer): ids ascending, their Beta(α, β),
    # and the seed of this selection's Thompson draws (the same seed draws the same).
    template_scores: "TemplateScores | None" = None
    # The product's "industry / niche" (Product.industry); None when not set: IndustryFitScorer
    # is then not run at all (templates.services), rather than scoring every template alike.
    product_industry: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.product_asset_tags, (set, frozenset)):
            object.__setattr__(self, "product_asset_tags", frozenset(self.product_asset_tags or ()))


class TemplateScorer(Protocol):
    """`score` maps a row to [0, 1]. A scorer may also define `not_measured_because(context)`:
    a reason when it has nothing to measure in that context (then it is left out of the draw)."""

    name: str

    def score(self, template: dict, context: SelectionContext) -> float: ...

    def score_many(self, templates: Sequence[dict], context: SelectionContext) -> np.ndarray: ...


def _score_distinct(distinct_values: list, codes: np.ndarray, score_of: Callable[[Any], float]) -> np.ndarray:
    """Score each distinct value of a coded column once, then gather per row."""
    return np.array([score_of(value) for value in distinct_values], dtype=float)[codes]


class _TableScorer:
    """Base of the built-in scorers, which each define `score` and `score_table`."""

    name: str

    def score_many(self, templates: Sequence[dict], context: SelectionContext) -> np.ndarray:
        return self.score_table(CandidateTable.for_one_draw(templates), context)


# --- Asset match -------------------------------------------------------------------------


class AssetMatchScorer(_TableScorer):
    """Share of the template's required asset kinds the product can supply (8f)."""

    name = "asset_match"

    def score(self, template: dict, context: SelectionContext) -> float:
        elements = template.get("template_elements") or {}
        return _asset_coverage(required_asset_kinds(elements.get("required_assets")), context.product_asset_tags)

    def score_table(self, table: CandidateTable, context: SelectionContext) -> np.ndarray:
        # Libraries reuse a few hundred tag combinations, so each distinct one is scored once.
        tags = context.product_asset_tags
        return _score_distinct(table.required_asset_sets, table.required_asset_keys, lambda kinds: _asset_coverage(kinds, tags))


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


class UnusedBonusScorer(_TableScorer):
    name = "unused_bonus"

    def score(self, template: dict, context: SelectionContext) -> float:
        return 1.0 if template["is_unused"] else USED_TEMPLATE_SCORE

    def score_table(self, table: CandidateTable, context: SelectionContext) -> np.ndarray:
        return np.where(table.is_unused, 1.0, USED_TEMPLATE_SCORE)


# --- Category match ----------------------------------------------------------------------

# With no category requested every template is equally fitting: a neutral middle score.
NO_CATEGORY_SCORE = 0.5


class CategoryMatchScorer(_TableScorer):
    name = "category_match"

    def score(self, template: dict, context: SelectionContext) -> float:
        requested = normalize_requested_category(context.requested_category)
        if requested is None:
            return NO_CATEGORY_SCORE
        return 1.0 if template.get("category") == requested else 0.0

    def score_table(self, table: CandidateTable, context: SelectionContext) -> np.ndarray:
        requested = normalize_requested_category(context.requested_category)
        if requested is None:
            return np.full(len(table), NO_CATEGORY_SCORE)
        return _score_distinct(table.categories, table.category_codes, lambda c: 1.0 if c == requested else 0.0)


# --- Awareness alignment -----------------------------------------------------------------

# Awareness levels run 1-5, so 4 is the largest possible distance.
AWARENESS_SPAN = 4.0
UNKNOWN_AWARENESS_SCORE = 0.5


class AwarenessAlignScorer(_TableScorer):
    name = "awareness_align"

    def score(self, template: dict, context: SelectionContext) -> float:
        level, stage = template.get("awareness_level"), context.awareness_stage
        if level is None or stage is None:
            return UNKNOWN_AWARENESS_SCORE
        # Clipped so an out-of-range level from bad data cannot leave [0, 1].
        return min(1.0, max(0.0, 1.0 - abs(level - stage) / AWARENESS_SPAN))

    def score_table(self, table: CandidateTable, context: SelectionContext) -> np.ndarray:
        stage = context.awareness_stage
        if stage is None:
            return np.full(len(table), UNKNOWN_AWARENESS_SCORE)
        levels = table.awareness_level  # NaN marks "level unknown"
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


class AudienceMatchScorer(_TableScorer):
    name = "audience_match"

    @staticmethod
    def _persona_sex(context: SelectionContext) -> str | None:
        return _normalize_sex((context.persona or {}).get("target_sex"))

    def score(self, template: dict, context: SelectionContext) -> float:
        return _audience_score(template.get("target_sex"), self._persona_sex(context))

    def score_table(self, table: CandidateTable, context: SelectionContext) -> np.ndarray:
        persona_sex = self._persona_sex(context)
        return _score_distinct(table.target_sexes, table.target_sex_codes, lambda sex: _audience_score(sex, persona_sex))


# --- Industry fit --------------------------------------------------------------------------

# A layout made for the product's own niche fits best; one made for its industry but another
# niche is a reasonable fit (the visual codes of "beauty" carry across skincare and haircare);
# a template that states no industry is a generic layout: weaker than a made-for-you one,
# better than one made for another industry (a coffee bag's layout for a serum), which scores 0.
INDUSTRY_SAME_NICHE_SCORE = 1.0
INDUSTRY_SAME_INDUSTRY_SCORE = 0.6
INDUSTRY_UNSTATED_TEMPLATE_SCORE = 0.3
INDUSTRY_OTHER_SCORE = 0.0


def parse_industry(value: Any) -> tuple[str, str | None] | None:
    """("beauty", "skincare") from "Beauty / Skincare"; ("beauty", None) from "beauty"; None from blank."""
    if value is None:
        return None
    parts = [" ".join(part.split()).lower().replace(" and ", " & ") for part in str(value).split("/")]
    parts = [part for part in parts if part]
    if not parts:
        return None
    return parts[0], (parts[1] if len(parts) > 1 else None)


def industry_fit(template_industry: Any, product: tuple[str, str | None]) -> float:
    template = parse_industry(template_industry)
    if template is None:
        return INDUSTRY_UNSTATED_TEMPLATE_SCORE
    (t_industry, t_niche), (p_industry, p_niche) = template, product
    if t_industry != p_industry:
        # A niche named as the other side's industry ("skincare" vs "beauty / skincare") is the same niche.
        if p_niche is not None and t_industry == p_niche or t_niche is not None and t_niche == p_industry:
            return INDUSTRY_SAME_NICHE_SCORE
        return INDUSTRY_OTHER_SCORE
    if t_niche is None or p_niche is None or t_niche == p_niche:
        return INDUSTRY_SAME_NICHE_SCORE if t_niche == p_niche else INDUSTRY_SAME_INDUSTRY_SCORE
    return INDUSTRY_SAME_INDUSTRY_SCORE


class IndustryFitScorer(_TableScorer):
    """The template's industry / niche against the product's (issue 17). Needs the product's
    industry: without it the scorer is left out of the draw (`not_measured_because`), never
    scored as a guess."""

    name = "industry_fit"

    @staticmethod
    def not_measured_because(context: SelectionContext) -> str | None:
        return None if parse_industry(context.product_industry) else "the product's industry / niche is not set"

    @staticmethod
    def _product(context: SelectionContext) -> tuple[str, str | None]:
        product = parse_industry(context.product_industry)
        if product is None:
            raise ValueError("IndustryFitScorer needs the product's industry (SelectionContext.product_industry)")
        return product

    def score(self, template: dict, context: SelectionContext) -> float:
        return industry_fit(template.get("industry"), self._product(context))

    def score_table(self, table: CandidateTable, context: SelectionContext) -> np.ndarray:
        product = self._product(context)
        return _score_distinct(table.industries, table.industry_codes, lambda value: industry_fit(value, product))


# --- Belief clarity ----------------------------------------------------------------------

BELIEF_DIMENSIONS = ("d1", "d2", "d3", "d4", "d5")
# D1-D5 are 0-3 each, so 15 is a perfect evaluation.
BELIEF_MAX_TOTAL = 15.0
UNEVALUATED_BELIEF_SCORE = 0.5


def _is_non_compliant(d6: Any) -> bool:
    # Only an explicit "not compliant" gates; a missing D6 is not evidence of a violation.
    return d6 is not None and not d6


class BeliefClarityScorer(_TableScorer):
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

    def score_table(self, table: CandidateTable, context: SelectionContext) -> np.ndarray:
        # The same formula as `score`, over the D1-D5 totals (D6 veto applied) read into the table.
        totals = np.where(table.evaluated, table.belief_total, UNEVALUATED_BELIEF_SCORE * BELIEF_MAX_TOTAL)
        return np.clip(totals / BELIEF_MAX_TOTAL, 0.0, 1.0)


# --- Performance (spec 8d, the Creative Genome) ----------------------------------------------


@dataclass(frozen=True)
class TemplateScores:
    ids: np.ndarray          # template ids with a score, ascending
    alpha: np.ndarray
    beta: np.ndarray
    seed: int
    evidence: int            # rewarded ads behind the scores (the weight grows with it)


class PerformanceScorer(_TableScorer):
    """A Thompson draw from each template's Beta(α, β) of the genome's template_id scores (spec 8d):
    a template that won before is likely drawn high, an unproven one gets Beta(1, 1) — optimism
    that keeps exploring. Its weight grows with the evidence (templates.services), so with no
    rewarded ads it weighs nothing."""

    name = "performance"

    def score(self, template: dict, context: SelectionContext) -> float:
        return float(self.score_table(CandidateTable.for_one_draw([template]), context)[0])

    def score_table(self, table: CandidateTable, context: SelectionContext) -> np.ndarray:
        ids = table.template_ids
        scores = context.template_scores
        alpha, beta = np.ones(len(ids)), np.ones(len(ids))
        if scores is not None and len(scores.ids):
            where = np.searchsorted(scores.ids, ids)
            where[where >= len(scores.ids)] = 0
            known = scores.ids[where] == ids
            alpha[known], beta[known] = scores.alpha[where[known]], scores.beta[where[known]]
        # One uniform per (seed, template id), so a template's draw does not depend on which other
        # templates are candidates; the inverse CDF turns it into its Beta draw.
        unit = _unit_per_id(ids, scores.seed if scores else 0)
        draws = unit.copy()  # Beta(1, 1) is the uniform itself
        informed = (alpha != 1.0) | (beta != 1.0)
        if informed.any():
            draws[informed] = beta_distribution.ppf(unit[informed], alpha[informed], beta[informed])
        return draws


def _unit_per_id(ids: np.ndarray, seed: int) -> np.ndarray:
    """A uniform in (0, 1) per id for this seed: splitmix64 of (seed, id), vectorised."""
    with np.errstate(over="ignore"):
        z = ids.astype(np.uint64) + np.uint64(seed % 2**64) * np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z = z ^ (z >> np.uint64(31))
    return ((z >> np.uint64(11)).astype(np.float64) + 0.5) / float(2**53)


DEFAULT_SCORERS: list[TemplateScorer] = [
    AssetMatchScorer(),
    UnusedBonusScorer(),
    CategoryMatchScorer(),
    AwarenessAlignScorer(),
    AudienceMatchScorer(),
    IndustryFitScorer(),
    BeliefClarityScorer(),
    PerformanceScorer(),
]
