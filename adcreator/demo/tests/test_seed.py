"""seed_demo gives every seeded demo template its archetype, also in a library seeded before."""

from __future__ import annotations

import pytest

from adcreator.demo.seed import SEED_DETECTION_VERSION, seed_demo
from templates.models import ScrapedTemplate


@pytest.mark.django_db
def test_seeded_templates_carry_their_archetype_and_an_old_library_is_backfilled_once():
    seed_demo()
    detected = ScrapedTemplate.objects.filter(source=ScrapedTemplate.Source.DEMO, element_detection_version=SEED_DETECTION_VERSION)
    assert detected.count() >= 10
    assert all(t.template_elements.get("archetype") for t in detected)
    review = detected.get(name="Glow Co. - review quote")
    assert review.template_elements["archetype"] == "testimonial"
    assert {p["kind"] for p in review.template_elements["parts"]} == {"stars", "quote", "reviewer"}
    # A library seeded before archetypes existed: the keys are missing.
    for template in detected:
        template.template_elements = {k: v for k, v in template.template_elements.items() if k not in ("archetype", "parts")}
        template.save(update_fields=["template_elements"])
    report = seed_demo()
    assert report.created.get("template_archetypes") == detected.count()
    assert ScrapedTemplate.objects.get(pk=review.pk).template_elements["archetype"] == "testimonial"
    assert seed_demo().created == {}  # a second run changes nothing
