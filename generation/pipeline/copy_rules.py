"""The copy rules several nodes apply: headline limits and when two lines say the same thing."""

from __future__ import annotations

from adcreator.prompts import copyfit
from generation.pipeline.state import TemplateContext

# Below this congruence the headline is rewritten (spec 5 gives no number). 0.4 is where the
# results dashboard turns a congruence score red (spec Phase 4: red < 0.4): no headline
# that the dashboard would flag red ships unadapted.
CONGRUENCE_THRESHOLD = 0.4
# The headline budget's numbers live with the copy-fitting rules (one definition).
DEFAULT_HEADLINE_MAX_CHARS, MIN_HEADLINE_CHARS = copyfit.DEFAULT_HEADLINE_MAX_CHARS, copyfit.MIN_HEADLINE_CHARS


def headline_limit(template: TemplateContext) -> int:
    areas = template.elements.text_areas if template.elements else []
    return copyfit.headline_limit([a.max_chars for a in areas if a.role == "headline"])


def same_copy(a: str, b: str) -> bool:
    def norm(text: str) -> str:
        return " ".join("".join(ch for ch in text.lower() if ch.isalnum() or ch.isspace()).split())
    return norm(a) == norm(b) or norm(a) in norm(b)
