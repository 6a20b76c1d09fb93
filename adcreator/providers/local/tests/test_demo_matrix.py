"""Every demo template, rendered as a job would ask for it: the copy rules and the layout bars.

- rendered: every template x every size x every content source (the hook chosen as the
  pipeline chooses it, rotated across sizes), and every hook on one template per archetype;
- planned (no pixels): every template x every hook x every content source x every size.
Checked: no set line ends in an ellipsis or a colon; the offer is stated by one element at
most; every line sits inside the area it was fitted to; nothing of the copy, the logo or the
CTA in Meta's 9:16 interface zones; no empty band over MAX_EMPTY_BAND; the product at its
archetype's minimum extent (less the share the layout may give up); the logo at 3:1 or more.
"""

from __future__ import annotations

import functools
import itertools

import pytest

from adcreator.demo.render_cases import CONTENT_SOURCES, Case, case_prompt, hook_texts, templates
from adcreator.prompts.elements import ARCHETYPE_PARTS
from adcreator.prompts.material import mentions_offer
from adcreator.prompts.models import CANVAS_SIZES
from adcreator.providers.local.archetypes.blocks import MIN_PRODUCT_EXTENT
from adcreator.providers.local.copyplan import plan_copy
from adcreator.providers.local.layout import VISUAL_GIVE
from adcreator.providers.local.render import RenderOutcome, render_ad_detailed
from adcreator.providers.local.render_metrics import MAX_EMPTY_BAND, measure

RATIOS = list(CANVAS_SIZES)
OFFER = "20% off your first order"
BAD_ENDINGS = ("\u2026", "...", ":")


@functools.lru_cache(maxsize=None)
def rendered(template_index: int, ratio: str, source: str, hook: str | None = None) -> RenderOutcome:
    case = Case(templates()[template_index], ratio, source=source, position=RATIOS.index(ratio), hook=hook)
    prompt, references = case_prompt(case)
    return render_ad_detailed(prompt, references)


MATRIX = [(i, ratio, source) for i in range(len(templates())) for ratio in RATIOS for source in CONTENT_SOURCES]
EVERY_HOOK = [(next(i for i, t in enumerate(templates()) if t.elements.archetype == archetype), RATIOS[n % 4], hook)
              for archetype in ARCHETYPE_PARTS for n, hook in enumerate(hook_texts())]


def _element(role: str) -> str:
    return "burst" if role.startswith("burst") else role


def check_copy(outcome: RenderOutcome, where: str) -> None:
    width, height = outcome.image.size
    assert outcome.lines, where
    for line in outcome.lines:
        assert not line.text.rstrip("\u201d\"'").endswith(BAD_ENDINGS), (where, line)
        x0, y0, x1, y1 = line.box
        ax0, ay0, ax1, ay1 = line.area
        assert ax0 - 1 <= x0 and ay0 - 1 <= y0 and x1 <= ax1 + 1 and y1 <= ay1 + 1, (where, line)
        assert 0 <= x0 and 0 <= y0 and x1 <= width and y1 <= height, (where, line)
    texts: dict[str, list[str]] = {}
    for line in outcome.lines:
        texts.setdefault(_element(line.role), []).append(line.text)
    stating = {role for role, words in texts.items() if mentions_offer(" ".join(words), OFFER)}
    assert len(stating) <= 1, (where, stating)


@pytest.mark.parametrize(("index", "ratio", "source"), MATRIX)
def test_copy_is_clean_said_once_and_inside_its_areas(index, ratio, source):
    check_copy(rendered(index, ratio, source), f"{templates()[index].metadata.name} {ratio} {source}")


@pytest.mark.parametrize(("index", "ratio", "hook"), EVERY_HOOK)
def test_every_hook_is_set_cleanly_on_every_archetype(index, ratio, hook):
    check_copy(rendered(index, ratio, "hooks", hook), f"{templates()[index].metadata.name} {ratio} {hook!r}")


@pytest.mark.parametrize(("index", "ratio", "source"), MATRIX)
def test_layout_bars_hold_on_every_template_and_size(index, ratio, source):
    outcome = rendered(index, ratio, source)
    metrics = measure(outcome)
    where = f"{templates()[index].metadata.name} {ratio} {source}"
    assert metrics.interface_zone_violations == [], where
    assert metrics.empty_band <= MAX_EMPTY_BAND, (where, metrics)
    if ratio == "16:9":
        assert metrics.empty_band_columns <= MAX_EMPTY_BAND, (where, metrics)
    assert metrics.product_extent is not None
    floor = MIN_PRODUCT_EXTENT[outcome.archetype] * VISUAL_GIVE
    assert metrics.product_extent >= floor - 0.005, (where, metrics.product_extent, floor)
    if outcome.logo_box is not None:
        assert metrics.logo_contrast >= 3.0, (where, metrics)


def test_every_hook_source_and_size_plans_clean_copy_that_states_the_offer_once():
    checked = 0
    for template, ratio, source, hook in itertools.product(templates(), RATIOS, CONTENT_SOURCES, hook_texts()):
        prompt, _ = case_prompt(Case(template, ratio, source=source, hook=hook))
        plan = plan_copy(prompt, template.elements.archetype)
        parts = [plan.headline, plan.subheadline, plan.quote, plan.before_text, plan.after_text, *plan.benefits]
        burst = f"{plan.burst.big} {plan.burst.small}" if plan.burst else None
        said = [text for text in parts + [burst] if text and mentions_offer(text, OFFER)]
        assert len(said) <= 1 or (plan.quote == plan.headline and len(set(said)) == 1), (template.metadata.name, source, hook, said)
        for text in parts:
            assert not text or not text.rstrip("\u201d\"'.").endswith(BAD_ENDINGS), (template.metadata.name, source, hook, text)
        if source == "offer_variant":
            assert prompt.content.headline.text.startswith("Smoother, calmer skin")  # the offer's message leads
        if source == "belief_first":
            assert prompt.content.headline.text.startswith("Skin repairs best")  # the belief leads
        checked += 1
    assert checked == len(templates()) * 4 * 3 * len(hook_texts())
