"""The archetype's part copy is copy the ad may carry: a before/after's labels, a review's quote
and reviewer, the benefits, a post's handle are read and matched, never "text matching no
requested copy" (which rejected every before/after ad of the quickstart)."""

from __future__ import annotations

import io

import pytest

from adcreator.demo.render_cases import Case, case_prompt, product_sources, templates
from adcreator.providers.base import ReviewRequest
from adcreator.providers.local.copyplan import BEFORE_AFTER_LABELS, part_lines, plan_copy
from adcreator.providers.local.judge import LocalVisionJudge
from adcreator.providers.local.render import render_ad_detailed

PART_ARCHETYPES = ("before_after", "testimonial", "ugc", "comparison", "benefits", "story", "offer")


def _png(image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _one_template_per_archetype():
    seen = {}
    for template in templates():
        seen.setdefault(template.elements.archetype, template)
    return [seen[a] for a in PART_ARCHETYPES if a in seen]


def test_the_before_after_labels_are_part_copy():
    template = next(t for t in templates() if t.elements.archetype == "before_after")
    prompt, _ = case_prompt(Case(template, "1:1"))
    lines = part_lines(plan_copy(prompt, "before_after"), "before_after")
    assert [text for part, text in lines if part == "panel_label"] == list(BEFORE_AFTER_LABELS)
    assert any(part == "before_text" for part, _ in lines)


@pytest.mark.parametrize("template", _one_template_per_archetype(), ids=lambda t: t.elements.archetype)
def test_no_part_of_a_rendered_archetype_reads_as_unrequested_text(template):
    prompt, references = case_prompt(Case(template, "1:1"))
    outcome = render_ad_detailed(prompt, references)
    request = ReviewRequest(image=_png(outcome.image), prompt=prompt, product_images=product_sources())
    scan = LocalVisionJudge().defect_scan(request)
    garbled = next(f for f in scan.findings if f.defect == "TEXT_GARBLED")
    assert outcome.archetype == template.elements.archetype
    # What this test pins: no part is text nobody asked for. (A small handle the recogniser
    # misreads, "Priva" for "Priya", is a spelling finding of its own: see the note on ugc/story.)
    assert not (garbled.present and "matching no requested copy" in garbled.evidence), (outcome.archetype, garbled.evidence)
