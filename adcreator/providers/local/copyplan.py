"""What each part of the ad says, from the prompt's copy and the brand's material.

One plan per ad: the headline the pipeline chose, and for the archetype's parts the quote
and reviewer of a review-style hook, the product's benefits, the offer as a burst, the
"before" and "after" of a pain point. The offer is said once: whichever element carries it
first (the burst, else the headline) keeps it, and every later element that would repeat it
is dropped or replaced. A part the material cannot fill is left empty and noted.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from adcreator.prompts.copyfit import collapse, ends_cleanly, fit_chars, same_copy, shorten
from adcreator.prompts.material import (
    OfferBurst,
    benefits_from,
    mentions_offer,
    offer_burst,
    offer_phrase,
    parse_review,
    reviewer_initial,
    them_label,
)
from adcreator.prompts.models import AdGenerationPrompt

# A benefit, row or panel line longer than this no longer reads at a glance.
PART_LINE_CHARS = 40
# Words some archetypes set besides the plan's copy: the panels' labels of a before/after and
# the actions under a UGC comment. Defined here so the renderer and the judge agree on them.
BEFORE_AFTER_LABELS = ("BEFORE", "AFTER")
POST_ACTIONS = "Like   \u00b7   Reply"


@dataclass
class CopyPlan:
    headline: str
    subheadline: str | None
    cta: str
    offer: str  # the offer this ad may state once ("" when there is none)
    quote: str | None = None
    reviewer: str | None = None
    handle: str = ""
    handle_meta: str = ""
    avatar_initial: str = ""
    benefits: list[str] = field(default_factory=list)
    burst: OfferBurst | None = None
    us_label: str = ""
    them_label: str = ""
    before_text: str | None = None
    after_text: str | None = None
    notes: list[str] = field(default_factory=list)


def _sentence(text: str) -> str:
    text = collapse(text).rstrip(".!?")
    return text[:1].upper() + text[1:] if text else text


def plan_copy(prompt: AdGenerationPrompt, archetype: str) -> CopyPlan:
    content, product = prompt.content, prompt.product
    brief = prompt.ad_brief
    headline = collapse(content.headline.text)
    if not ends_cleanly(headline):
        headline = shorten(headline, len(headline)) or headline
    subheadline = collapse(content.subheadline.text) if content.subheadline and content.subheadline.text.strip() else None
    offer = collapse(product.current_offer) or (offer_phrase(brief.offer_core_message) if brief and brief.offer_core_message else None) or ""
    plan = CopyPlan(headline=headline, subheadline=subheadline, cta=collapse(content.cta) or "Shop now", offer=offer)

    if archetype == "offer":
        burst = offer_burst(offer) if offer else None
        if burst is None:
            plan.notes.append("offer archetype: no discount, gift or price in the offer, so no burst was drawn")
        elif mentions_offer(headline, offer):
            plan.notes.append("offer archetype: the headline already states the offer, so no burst repeats it")
        else:
            plan.burst = burst

    review = parse_review(headline)
    if archetype == "testimonial":
        if review is None:
            plan.notes.append("testimonial: the headline is not a customer's words, so it is set as a plain headline "
                              "with no quote marks, stars or reviewer (no review is invented)")
        else:
            plan.quote, plan.reviewer = review.quote, review.reviewer
            if plan.reviewer is None:
                plan.notes.append("testimonial: the review names nobody, so no reviewer line is set")
    if archetype in ("ugc", "story"):
        plan.quote = review.quote if review else headline
        if review and review.reviewer:
            name, _, detail = review.reviewer.partition(",")
            plan.handle, plan.handle_meta = name.strip(), detail.strip() or "customer"
            plan.avatar_initial = reviewer_initial(name)
        else:
            # Nobody is quoted: the post is the brand's own, with its logo as the avatar.
            plan.handle = "".join(ch for ch in product.brand_name.lower() if ch.isalnum())
            plan.handle_meta = "Sponsored"
            plan.avatar_initial = reviewer_initial(product.brand_name)

    if archetype in ("benefits", "comparison", "before_after"):
        said = [headline] + ([subheadline] if subheadline else [])
        plan.benefits = [b for b in benefits_from(product.description) if not any(same_copy(b, s) for s in said)]
        if archetype == "benefits" and len(plan.benefits) < 2:
            plan.notes.append("benefits: the product description gives fewer than two benefits, so the list is "
                              f"{'one line' if plan.benefits else 'left out'}")
    if archetype == "comparison":
        plan.us_label = product.name
        plan.them_label = them_label(product.name)
        if len(plan.benefits) < 2:
            plan.notes.append("comparison: the product description gives fewer than two benefits to compare, "
                              "so the table has fewer rows")
    if archetype == "before_after":
        pains = list(brief.pain_points) if brief else []
        plan.before_text = fit_chars(_sentence(pains[0]), PART_LINE_CHARS) if pains else None
        plan.after_text = plan.benefits[0] if plan.benefits else (subheadline or None)
        if plan.before_text is None:
            plan.notes.append("before/after: no pain point in the brief, so the 'before' panel carries its label only")

    _say_the_offer_once(plan)
    return plan


def _say_the_offer_once(plan: CopyPlan) -> None:
    """Keep the offer in the first element that states it; drop it from the later ones."""
    if not plan.offer:
        return
    stated = plan.burst is not None or mentions_offer(plan.headline, plan.offer) or (plan.quote is not None and mentions_offer(plan.quote, plan.offer))
    if plan.subheadline and mentions_offer(plan.subheadline, plan.offer):
        if stated:
            plan.notes.append("subheadline repeated the offer: left out")
            plan.subheadline = None
        stated = True
    if plan.cta and mentions_offer(plan.cta, plan.offer) and stated:
        plan.cta = "Shop now"
    plan.benefits = [b for b in plan.benefits if not mentions_offer(b, plan.offer)]
    if plan.subheadline and same_copy(plan.subheadline, plan.headline):
        plan.subheadline = None


def part_lines(plan: CopyPlan, archetype: str) -> list[tuple[str, str]]:
    """The copy an archetype's parts may carry beyond the headline, subheadline, CTA and offer,
    as (part, text): the quote and reviewer, the post's handle, the benefits, the comparison's
    column labels, the before/after panels and labels, the offer burst. An ad may carry them
    without being asked for them line by line, so the judge accepts them; none is required."""
    lines = [(part, text) for part, text in (
        ("quote", plan.quote), ("reviewer", plan.reviewer), ("handle", plan.handle), ("handle_meta", plan.handle_meta),
        ("us_label", plan.us_label), ("them_label", plan.them_label),
        ("before_text", plan.before_text), ("after_text", plan.after_text)) if text]
    lines += [("benefit", benefit) for benefit in plan.benefits]
    if plan.burst is not None:
        lines += [("burst", text) for text in (plan.burst.big, plan.burst.small) if text]
    if archetype == "before_after":
        lines += [("panel_label", label) for label in BEFORE_AFTER_LABELS]
    if archetype == "ugc":
        lines.append(("post_actions", POST_ACTIONS))
    return lines
