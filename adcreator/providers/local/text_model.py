"""The offline text model: headline congruence scoring and hook adaptation by word heuristics.

No network and no weights: it reads concepts and stances with `text_heuristics`, so a score
can always be explained by the words that matched or contradicted. Deterministic: the same
request always gives the same answer.
"""

from __future__ import annotations

import re

from adcreator.providers.base import (
    CongruenceRequest,
    CongruenceResult,
    HookAdaptationRequest,
    HookAdaptationResult,
    Usage,
)
from adcreator.providers.local.text_heuristics import (
    NEGATORS,
    STOPWORDS,
    Conflict,
    Term,
    analyse,
    contradictions,
    overlap,
)

# Below this the headline is rewritten. Half-way is where, by the overlap formula, the headline
# shares fewer than about half its concepts with the offer: readers would not connect the two.
ADAPTATION_THRESHOLD = 0.5

# A contradiction caps a dimension this low whatever the word overlap: a headline that says
# the opposite of the offer shares its vocabulary ("shipping") and would otherwise score well.
CONTRADICTION_CAP = 0.2

# Matching a pain point is good evidence, but weaker than restating the offer's core message.
PAIN_POINT_WEIGHT = 0.9

# When cutting copy short, prefer ending at a clause boundary if that keeps this share of
# the allowed length; otherwise cut at the last word that fits.
CLAUSE_CUT_MIN = 0.4

_URGENCY = re.compile(r"\b(today|tonight|now|limited|last chance|ends|hurry|this week)\b", re.I)


class LocalTextModel:
    """TextModel for the `local` provider."""

    provider_name = "local"
    model_name = "local-heuristic-text-v1"

    def score_congruence(self, request: CongruenceRequest) -> CongruenceResult:
        headline_terms = analyse(request.headline)
        notes: list[str] = []
        conflicts: list[Conflict] = []

        offer_alignment = self._offer_alignment(request, headline_terms, notes, conflicts)
        hero_text = " ".join(part for part in (request.hero_headline, request.hero_subhead) if part)
        hero_alignment = self._dimension("hero", hero_text, headline_terms, notes, conflicts)
        belief_alignment = self._dimension(
            "belief", request.belief_statement or "", headline_terms, notes, conflicts
        )

        present = [s for s in (offer_alignment, hero_alignment, belief_alignment) if s is not None]
        if present:
            overall = sum(present) / len(present)
        else:
            # Nothing to compare against: neutral, and never a trigger for rewriting copy.
            overall = 1.0
            notes.append("nothing to compare against (no offer, landing page or belief)")

        adapted = None
        if present and (overall < ADAPTATION_THRESHOLD or conflicts):
            adapted = adapt_headline_to_offer(request, headline_terms)
            notes.append(f"adapted to lead with the offer: {adapted!r}" if adapted
                         else "below threshold but no offer text to adapt towards")
        return CongruenceResult(
            offer_alignment=offer_alignment,
            hero_alignment=hero_alignment,
            belief_alignment=belief_alignment,
            overall_score=round(overall, 4),
            adapted_headline=adapted,
            reasoning="; ".join(notes),
            model=self.model_name,
            usage=Usage(input_tokens=_word_count(request),
                        output_tokens=len((adapted or "").split())),
        )

    def _offer_alignment(
        self, request: CongruenceRequest, headline: list[Term], notes: list[str],
        conflicts: list[Conflict],
    ) -> float | None:
        pains = [p for p in request.pain_points if p.strip()]
        if not request.offer_core_message.strip() and not pains:
            notes.append("offer: none given")
            return None
        conflicts_before = len(conflicts)
        core_score = None
        if request.offer_core_message.strip():
            core_score = self._dimension(
                "offer", request.offer_core_message, headline, notes, conflicts)
        if len(conflicts) > conflicts_before:
            return core_score  # a contradiction with the offer is not rescued by pain points
        # Pain points are problems the headline should oppose, so only overlap counts here.
        best_pain, best_shared = 0.0, ()
        for pain in pains:
            match = overlap(headline, analyse(pain))
            if match.score > best_pain:
                best_pain, best_shared = match.score, match.shared
        if pains:
            notes.append(f"pain points: best overlap {best_pain:.2f}"
                         + (f" on {', '.join(best_shared)}" if best_shared else ""))
        score = max(core_score or 0.0, PAIN_POINT_WEIGHT * best_pain)
        return round(min(1.0, score), 4)

    @staticmethod
    def _dimension(
        name: str, reference_text: str, headline: list[Term], notes: list[str],
        conflicts: list[Conflict],
    ) -> float | None:
        if not reference_text.strip():
            notes.append(f"{name}: none given")
            return None
        reference = analyse(reference_text)
        match = overlap(headline, reference)
        found = contradictions(headline, reference)
        shared = ", ".join(match.shared) or "no shared concepts"
        if not found:
            notes.append(f"{name} {match.score:.2f}: {shared}")
            return match.score
        conflicts.extend(Conflict(f"{name} {c.description}") for c in found)
        score = round(min(match.score, CONTRADICTION_CAP / len(found)), 4)
        notes.append(f"{name} {score:.2f}: {shared}; contradicts it on "
                     + "; ".join(c.description for c in found))
        return score

    def adapt_hook(self, request: HookAdaptationRequest) -> HookAdaptationResult:
        hook = _clean(request.hook_text)
        product = _clean(request.product_name).rstrip(".!?")
        stage = request.awareness_stage
        candidates = _stage_candidates(hook, product, stage)
        headline = _first_fitting(candidates, request.max_chars)
        subheadline = _subheadline(request, product, stage)
        return HookAdaptationResult(
            headline=headline,
            subheadline=subheadline,
            model=self.model_name,
            usage=Usage(
                input_tokens=sum(len(text.split()) for text in (
                    request.hook_text, request.persona_name, request.persona_description,
                    request.product_name)),
                output_tokens=len(headline.split()) + len(subheadline.split()),
            ),
        )


def adapt_headline_to_offer(request: CongruenceRequest, headline: list[Term]) -> str | None:
    """Lead with the offer's message; keep a clause of the hook that agrees with it, if any.

    The hook's intent survives as an agreeing clause (a question, a benefit) or its urgency;
    clauses that contradict the offer are dropped rather than reworded.
    """
    lead = _clean(request.offer_core_message or request.belief_statement
                  or request.hero_headline or "").rstrip(".!?;:,")
    if not lead and request.pain_points:
        lead = f"No more {_clean(request.pain_points[0]).rstrip('.!?').lower()}"
    if not lead:
        return None
    lead_terms = analyse(lead)
    lead_keys = {term.key for term in lead_terms}
    echo = ""
    for clause in re.split(r"(?<=[.!?;:—–])\s+", _clean(request.headline)):
        terms = analyse(clause)
        if terms and not contradictions(terms, lead_terms) and {t.key for t in terms} - lead_keys:
            echo = clause.strip(" —–-")
            break
    urgency = _URGENCY.search(request.headline or "")
    candidates: list[str] = []
    if echo.endswith("?"):
        candidates.append(f"{echo} {lead}.")
    elif echo:
        candidates.append(f"{lead} — {echo.rstrip('.!;:')}")
    if urgency and urgency.group(0).lower() not in lead.lower():
        candidates.append(f"{lead} {urgency.group(0).lower()}")
    candidates.append(lead)
    return _first_fitting(candidates, request.max_chars)


def _stage_candidates(hook: str, product: str, stage: int | None) -> list[str]:
    """Headline candidates for an awareness stage, best first, shorter fallbacks after.

    Stages follow Schwartz: 1 unaware, 2 problem-aware, 3 solution-aware, 4 product-aware,
    5 most aware. Unaware and problem-aware readers meet the problem, not a pitch; each
    later stage moves the product and then the offer/call to action to the front.
    """
    hook_without_product = _remove_phrase(hook, product) if product else hook
    first_clause = re.split(r"(?<=[.!?;:—–])\s+", hook)[0]
    closed = (hook_without_product if hook_without_product.endswith((".", "!", "?"))
              else f"{hook_without_product}.")
    if stage is None:
        return [hook, first_clause]
    if stage <= 1:
        return [hook_without_product, re.split(r"(?<=[.!?;:—–])\s+", hook_without_product)[0]]
    if stage == 2:
        return [f"{closed} There's a better way.", f"{closed} There's a fix.",
                f"{first_clause} There's a fix.", hook_without_product]
    if stage == 3:
        name = product or "a simpler fix"
        # The hook itself beats a bare product line: it carries the message the user chose.
        return [f"{closed} Meet {name}.", f"Meet {name}: {first_clause}", hook, first_clause, f"Meet {name}."]
    if stage == 4:
        if not product:
            return [hook, first_clause]
        return [f"{product}: {hook}", f"{product}: {first_clause}", hook, first_clause, product]
    target = product or "yours"
    return [f"Shop {target} now: {hook_without_product}", hook, first_clause, f"Get {target} today", "Shop now"]


def _subheadline(request: HookAdaptationRequest, product: str, stage: int | None) -> str:
    audience = _audience(request)
    if stage is not None and stage <= 2:
        return f"For {audience}" if audience else ""
    if product and audience:
        return f"{product}, made for {audience}"
    return product or (f"For {audience}" if audience else "")


def _audience(request: HookAdaptationRequest) -> str:
    """The persona as a phrase: the description's first clause, else the persona's name."""
    description = re.split(r"[.;:\n]", _clean(request.persona_description))[0].strip(" ,")
    phrase = description if 0 < len(description) <= 60 else _clean(request.persona_name)
    if len(phrase) > 1 and phrase[0].isupper() and phrase[1].islower() and description:
        phrase = phrase[0].lower() + phrase[1:]  # "Busy parents who..." -> "For busy parents"
    return phrase


def _first_fitting(candidates: list[str], max_chars: int | None) -> str:
    for candidate in candidates:
        candidate = _clean(candidate)
        if candidate and (max_chars is None or len(candidate) <= max_chars):
            return candidate
    last = next((c for c in reversed(candidates) if _clean(c)), "")
    return truncate_on_word_boundary(_clean(candidates[0]) or last, max_chars)


def _remove_phrase(text: str, phrase: str) -> str:
    stripped = re.sub(rf"\s*\b{re.escape(phrase)}\b[’']?s?\s*", " ", text, flags=re.I)
    stripped = _clean(stripped).strip(" :—–-,")
    return stripped or text


def _clean(text: str | None) -> str:
    return " ".join((text or "").split())


def _word_count(request: CongruenceRequest) -> int:
    texts = [request.headline, request.offer_core_message, *request.pain_points,
             request.hero_headline or "", request.hero_subhead or "",
             request.belief_statement or ""]
    return sum(len(text.split()) for text in texts)


def truncate_on_word_boundary(text: str, max_chars: int | None) -> str:
    """Cut `text` to at most `max_chars` on a word boundary, with no dangling word or mark."""
    text = " ".join(text.split())
    if max_chars is None or len(text) <= max_chars:
        return text
    cut = text[: max_chars + 1]
    cut = cut[: cut.rfind(" ")] if " " in cut else text[:max_chars]
    clause_end = max(cut.rfind(mark) for mark in (",", ";", ":", " —", " –"))
    if clause_end >= CLAUSE_CUT_MIN * max_chars:
        cut = cut[:clause_end]  # a whole clause reads better than a clipped one
    words = cut.split()
    while len(words) > 1 and (words[-1].lower().strip(",;:—–-") in STOPWORDS | NEGATORS
                              or not words[-1].strip(",;:—–-&+")):
        words.pop()  # "Free shipping on" reads broken; end on a content word
    return " ".join(words).rstrip(",;:—–-&+ ")[:max_chars]
