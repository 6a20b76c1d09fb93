"""Smart select's industry fit (issue 17): the template's industry / niche against the product's."""

from __future__ import annotations

import numpy as np
import pytest

from templates.scorers import (
    DEFAULT_SCORERS, INDUSTRY_OTHER_SCORE, INDUSTRY_SAME_INDUSTRY_SCORE, INDUSTRY_SAME_NICHE_SCORE,
    INDUSTRY_UNSTATED_TEMPLATE_SCORE, IndustryFitScorer, parse_industry,
)
from templates.scoring import SMART_SELECT, select_templates
from templates.tests.test_scoring import make_context, make_row


@pytest.mark.parametrize("text, parsed", [
    ("beauty / skincare", ("beauty", "skincare")), ("  Beauty /  Skin  Care ", ("beauty", "skin care")),
    ("Food and Drink / coffee", ("food & drink", "coffee")), ("pets", ("pets", None)),
    ("", None), ("  /  ", None), (None, None),
])
def test_industry_text_is_read_as_industry_and_niche(text, parsed):
    assert parse_industry(text) == parsed


@pytest.mark.parametrize("template, product, expected", [
    ("beauty / skincare", "Beauty / Skincare", INDUSTRY_SAME_NICHE_SCORE),
    ("beauty / haircare", "beauty / skincare", INDUSTRY_SAME_INDUSTRY_SCORE),
    ("beauty", "beauty / skincare", INDUSTRY_SAME_INDUSTRY_SCORE),  # the template names no niche
    ("beauty / skincare", "beauty", INDUSTRY_SAME_INDUSTRY_SCORE),
    ("beauty", "beauty", INDUSTRY_SAME_NICHE_SCORE),
    ("skincare", "beauty / skincare", INDUSTRY_SAME_NICHE_SCORE),  # the niche written alone
    ("food & drink / coffee", "beauty / skincare", INDUSTRY_OTHER_SCORE),
    ("", "beauty / skincare", INDUSTRY_UNSTATED_TEMPLATE_SCORE),
    (None, "beauty / skincare", INDUSTRY_UNSTATED_TEMPLATE_SCORE),
])
def test_fit_levels(template, product, expected):
    assert IndustryFitScorer().score(make_row(industry=template), make_context(product_industry=product)) == expected


def test_the_levels_are_ordered_as_the_rationale_says():
    assert INDUSTRY_SAME_NICHE_SCORE > INDUSTRY_SAME_INDUSTRY_SCORE > INDUSTRY_UNSTATED_TEMPLATE_SCORE > INDUSTRY_OTHER_SCORE == 0


def test_without_the_products_industry_the_fit_is_not_measured_not_guessed():
    rows = [make_row(i, industry=industry) for i, industry in enumerate(["beauty / skincare", "pets / dog food"] * 5)]
    result = select_templates(rows, make_context(product_industry=None), DEFAULT_SCORERS, SMART_SELECT, count=3, rng=1)
    assert result.not_measured == {"industry_fit": "the product's industry / niche is not set"}
    assert all("industry_fit" not in breakdown for breakdown in result.scores)
    # The composite is the weighted mean of the measured scorers only.
    measured = [s for s in DEFAULT_SCORERS if s.name != "industry_fit"]
    context = make_context(product_industry=None)
    for template, breakdown in zip(result.templates, result.scores):
        total = sum(SMART_SELECT.get(s.name, 0) for s in measured)
        expected = sum(SMART_SELECT.get(s.name, 0) * s.score(template, context) for s in measured) / total
        assert breakdown["composite"] == pytest.approx(expected)


def test_the_fit_moves_the_composite_by_its_weight():
    """Two templates alike but for their industry: their composites differ by exactly the industry
    weight's share of the preset (fit 1.0 against 0.0)."""
    rows = [make_row(0, industry="beauty / skincare"), make_row(1, industry="food & drink / coffee")]
    result = select_templates(rows, make_context(product_industry="beauty / skincare"), DEFAULT_SCORERS, SMART_SELECT,
                              count=2, rng=0)
    composite = {t["id"]: score["composite"] for t, score in zip(result.templates, result.scores)}
    weighted_total = sum(w for name, w in SMART_SELECT.items())
    assert composite[0] - composite[1] == pytest.approx(SMART_SELECT["industry_fit"] / weighted_total)
    assert {t["id"]: score["industry_fit"] for t, score in zip(result.templates, result.scores)} == {0: 1.0, 1: 0.0}


# --- Industry first (templates.industry_first) ----------------------------------------------------

from templates.candidates import CandidateTable  # noqa: E402
from templates.industry_first import select_industry_first  # noqa: E402

LIBRARY = (["beauty / skincare"] * 2 + ["beauty / suncare"] + ["food & drink / coffee"] * 5 + ["apparel / running"] * 5
           + ["pets / pet food"] * 3)


def _draw(count, product_industry="beauty / skincare", seed=0, rows=None):
    rows = rows or [make_row(i, industry=industry) for i, industry in enumerate(LIBRARY)]
    return select_industry_first(CandidateTable.from_rows(rows), make_context(product_industry=product_industry),
                                 DEFAULT_SCORERS, SMART_SELECT, min_asset_score=0.0, count=count,
                                 rng=np.random.default_rng(seed))


@pytest.mark.parametrize("seed", range(20))
def test_a_serum_gets_beauty_layouts_while_there_are_enough(seed):
    draw = _draw(3, seed=seed)
    assert {t["industry"].split(" / ")[0] for t in draw.result.templates} == {"beauty"}
    assert draw.note is None and draw.in_industry == 3 and draw.pool == 3


def test_other_industries_only_fill_the_count_and_the_note_says_so():
    draw = _draw(5, seed=3)
    industries = [t["industry"] for t in draw.result.templates]
    assert len(industries) == 5 and len(set(map(id, draw.result.templates))) == 5
    assert sorted(i for i in industries if i.startswith("beauty")) == ["beauty / skincare", "beauty / skincare",
                                                                       "beauty / suncare"]
    assert draw.note == "3 of beauty / skincare (all it has that fit), 2 from other industries"
    assert len(draw.result.scores) == 5 and draw.result.candidates_before_gate == len(LIBRARY)


def test_no_template_of_the_industry_draws_from_all_and_says_so():
    draw = _draw(3, product_industry="garden / tools")
    assert len(draw.result.templates) == 3 and draw.in_industry == 0
    assert draw.note == "no template of garden / tools: drawn from every industry"


def test_without_an_industry_the_draw_is_the_plain_one():
    plain = select_templates([make_row(i, industry=x) for i, x in enumerate(LIBRARY)], make_context(product_industry=None),
                             DEFAULT_SCORERS, SMART_SELECT, count=3, rng=np.random.default_rng(4))
    draw = _draw(3, product_industry=None, seed=4)
    assert [t["id"] for t in draw.result.templates] == [t["id"] for t in plain.templates] and draw.note is None


def test_the_same_seed_draws_the_same():
    assert [t["id"] for t in _draw(5, seed=9).result.templates] == [t["id"] for t in _draw(5, seed=9).result.templates]
