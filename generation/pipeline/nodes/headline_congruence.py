"""HeadlineCongruence: score each headline against offer, landing-page hero and belief; adapt the weak ones (spec 5)."""

from __future__ import annotations

import logging

from adcreator.prompts.asset_rules import enforce_char_limit
from adcreator.prompts.material import parse_review
from adcreator.providers import factory
from adcreator.providers.base import CongruenceRequest, CongruenceResult
from generation.pipeline.copy_rules import CONGRUENCE_THRESHOLD, headline_limit, same_copy
from generation.pipeline.state import PipelineState
from generation.pipeline.tooling import ledger_for

logger = logging.getLogger(__name__)


class HeadlineCongruence:
    name = "headline_congruence"

    def run(self, state: PipelineState) -> None:
        cat = state.cat
        text_model = factory.text_model()
        ledger = ledger_for(state)
        offer, hero, belief = cat.offer_variant, cat.landing_page, cat.belief_angle
        if not (offer or hero or belief):
            # Spec 5 measures the headline against an offer variant, a landing page or a
            # belief. With none chosen there is nothing to be congruent with: the score stays
            # unknown (None) rather than measured against a promo line it was never meant to echo.
            state.report(congruence="not checked: no offer variant, landing page or belief chosen")
            return
        cache: dict[tuple[str, int], CongruenceResult | None] = {}

        def score(headline: str, max_chars: int) -> CongruenceResult | None:
            key = (headline, max_chars)
            if key not in cache:
                request = CongruenceRequest(
                    headline=headline, offer_core_message=offer.core_message if offer else "",
                    pain_points=list(offer.pain_points or []) if offer else [],
                    hero_headline=hero.hero_headline if hero else None, hero_subhead=hero.hero_subhead if hero else None,
                    belief_statement=belief.belief_statement if belief else None, max_chars=max_chars,
                )
                result, error = ledger.call(lambda: text_model.score_congruence(request), purpose="congruence",
                                            provider=text_model.provider_name, model=text_model.model_name)
                if error is not None:
                    logger.warning("congruence check failed for %r: %s", headline, error)
                cache[key] = result
            return cache[key]

        for content in state.contents:
            max_chars = headline_limit(state.templates[content.template_index])
            result = score(content.headline, max_chars)
            if result is None:
                continue
            content.congruence = result
            content.congruence_before = result.overall_score
            # A headline a person wrote is measured, never rewritten; nor is a customer's review
            # (rewording a quote would put words in a customer's mouth).
            if (state.params.headline is None and parse_review(content.headline) is None
                    and result.overall_score < CONGRUENCE_THRESHOLD and result.adapted_headline):
                adapted = enforce_char_limit(result.adapted_headline, max_chars)
                rescored = score(adapted, max_chars)
                # Keep the adaptation only when it really scores better than what it replaces.
                if rescored is not None and rescored.overall_score > result.overall_score:
                    content.original_headline = content.original_headline or content.headline
                    content.headline = adapted
                    content.congruence = rescored
                    if content.subheadline and same_copy(content.subheadline, adapted):
                        content.subheadline = cat.product.name
