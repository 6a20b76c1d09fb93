"""Smart select draws from the product's own industry first (issue 17), then fills from the rest.

The spec 8b draw is proportional to the composite, so a scorer alone only tilts the odds: with
3 beauty layouts among 16, a serum's first pick would still be another industry's most of the
time whatever the industry weight. A demanding user expects a serum's layouts to come from
beauty while there are enough of them, and other industries only to fill the count. So:
  1. draw `count` among the candidates whose industry fit is at least "same industry";
  2. if fewer came back, draw the rest among the others, with the same scorers and weights;
  3. say what happened (`IndustryDraw.note`), which the draw panel and the API show.
Within each pool the IndustryFitScorer still weighs (same niche above same industry).
Pure computation: no Django.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from templates.candidates import CandidateTable
from templates.scorers import (
    INDUSTRY_SAME_INDUSTRY_SCORE, IndustryFitScorer, SelectionContext, TemplateScorer, parse_industry,
)
from templates.scoring import SelectionResult, select_templates


@dataclass
class IndustryDraw:
    result: SelectionResult
    in_industry: int  # drawn templates of the product's industry
    pool: int  # candidates of the product's industry before the gate
    note: str | None  # None when the industry played no part (not set, or every pick from the industry)


def select_industry_first(candidates: CandidateTable, context: SelectionContext, scorers: Sequence[TemplateScorer],
                          weights: Mapping[str, float], *, min_asset_score: float, count: int,
                          rng: np.random.Generator) -> IndustryDraw:
    product = parse_industry(context.product_industry)
    if product is None or len(candidates) == 0:
        result = select_templates(candidates, context, scorers, weights, min_asset_score=min_asset_score,
                                  count=count, rng=rng)
        return IndustryDraw(result, 0, 0, None)
    fit = IndustryFitScorer().score_table(candidates, context)
    same = fit >= INDUSTRY_SAME_INDUSTRY_SCORE
    pool = int(same.sum())
    label = " / ".join(part for part in product if part)
    if pool == 0:
        result = select_templates(candidates, context, scorers, weights, min_asset_score=min_asset_score,
                                  count=count, rng=rng)
        return IndustryDraw(result, 0, 0, f"no template of {label}: drawn from every industry")
    first = select_templates(candidates.filter(same), context, scorers, weights, min_asset_score=min_asset_score,
                             count=count, rng=rng)
    drawn = 0 if first.empty else len(first.templates)
    if drawn >= count:
        return IndustryDraw(first, drawn, pool, None)
    rest = select_templates(candidates.filter(~same), context, scorers, weights, min_asset_score=min_asset_score,
                            count=count - drawn, rng=rng)
    if first.empty:
        note = f"no template of {label} passed the asset gate: drawn from other industries"
        merged = rest
        merged.candidates_before_gate = len(candidates)
        merged.candidates_after_gate = rest.candidates_after_gate
        return IndustryDraw(merged, 0, pool, note)
    if rest.empty:
        return IndustryDraw(first, drawn, pool, f"only {drawn} template{'s' if drawn != 1 else ''} of {label} "
                                                f"passed; no other industry's did")
    merged = SelectionResult(
        templates=first.templates + rest.templates, scores=first.scores + rest.scores, empty=False, reason=None,
        candidates_before_gate=len(candidates),
        candidates_after_gate=first.candidates_after_gate + rest.candidates_after_gate,
        not_measured=first.not_measured)
    return IndustryDraw(merged, drawn, pool, f"{drawn} of {label} (all it has that fit), "
                                             f"{len(rest.templates)} from other industries")
