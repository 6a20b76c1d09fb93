"""The copy rules several nodes apply: headline limits and when two lines say the same thing."""

from __future__ import annotations

from generation.pipeline.state import TemplateContext

# Below this congruence the headline is rewritten (spec 5 gives no number). 0.4 is where the
# results dashboard turns a congruence score red (spec Phase 4: red < 0.4): no headline
# that the dashboard would flag red ships unadapted.
CONGRUENCE_THRESHOLD = 0.4
# A headline longer than this reads as body copy on a feed ad, whatever the template allows.
DEFAULT_HEADLINE_MAX_CHARS = 60
# Below this a headline cannot carry a hook ("Smoother" is not an ad). A template whose
# headline area was sized for a shorter slogan gets smaller type instead.
MIN_HEADLINE_CHARS = 45


def headline_limit(template: TemplateContext) -> int:
    if template.elements:
        limits = [a.max_chars for a in template.elements.text_areas if a.role == "headline"]
        if limits:
            return max(min(limits), MIN_HEADLINE_CHARS)
    return DEFAULT_HEADLINE_MAX_CHARS


def same_copy(a: str, b: str) -> bool:
    def norm(text: str) -> str:
        return " ".join("".join(ch for ch in text.lower() if ch.isalnum() or ch.isspace()).split())
    return norm(a) == norm(b) or norm(a) in norm(b)
