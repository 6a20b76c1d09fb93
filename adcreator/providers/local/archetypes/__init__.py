"""One composer per template archetype (see `adcreator.prompts.elements.Archetype`).

`archetype_for` decides which idea an ad carries: the template's detected or curated
archetype, else its category when that names one, else a product hero.
"""

from __future__ import annotations

from collections.abc import Callable

from adcreator.prompts.elements import ARCHETYPES
from adcreator.prompts.models import TemplateAnalysis
from adcreator.providers.local.archetypes.before_after import compose_before_after
from adcreator.providers.local.archetypes.compose import Arrangement, Hints
from adcreator.providers.local.archetypes.hero import compose_hero, compose_offer
from adcreator.providers.local.archetypes.lists import compose_benefits, compose_comparison
from adcreator.providers.local.archetypes.social import compose_story, compose_testimonial, compose_ugc
from adcreator.providers.local.canvas import Kit

COMPOSERS: dict[str, Callable[[Kit, Hints], Arrangement]] = {
    "testimonial": compose_testimonial,
    "ugc": compose_ugc,
    "story": compose_story,
    "comparison": compose_comparison,
    "before_after": compose_before_after,
    "benefits": compose_benefits,
    "offer": compose_offer,
    "product_hero": compose_hero,
}
# Template categories in the library that are another name for an archetype.
CATEGORY_ALIASES = {"review": "testimonial", "hero": "product_hero", "discount": "offer", "bundle": "offer",
                    "social_proof": "testimonial", "versus": "comparison"}


def archetype_for(analysis: TemplateAnalysis) -> tuple[str, str]:
    """(archetype, where it came from)."""
    if analysis.archetype:
        return analysis.archetype, "template analysis"
    category = (analysis.category or "").strip().lower().replace(" ", "_").replace("-", "_")
    category = CATEGORY_ALIASES.get(category, category)
    if category in ARCHETYPES:
        return category, "template category"
    return "product_hero", "default (the template names no archetype)"
