"""SelectContent: the copy of every (template, variation), from the requested content source."""

from __future__ import annotations

from adcreator.catalog.models import Hook
from adcreator.prompts.copyfit import copy_for_source, pick_hook
from adcreator.prompts.material import parse_review
from adcreator.providers import factory
from adcreator.providers.base import HookAdaptationRequest
from generation.pipeline.copy_rules import headline_limit
from generation.pipeline.state import Content, PipelineState
from generation.models import AdRun
from generation.pipeline.tooling import ledger_for
from genome.advice import choose_hook_types


class SelectContent:
    name = "select_content"

    def run(self, state: PipelineState) -> None:
        params, cat = state.params, state.cat
        text_model = factory.text_model()
        ledger = ledger_for(state)
        persona = cat.persona
        slots = [(t_index, variation) for t_index in range(len(state.templates))
                 for variation in params.effective_variations]
        self._choose_hook_types(state, len(slots))
        contents: list[Content] = []
        for slot, (t_index, variation) in enumerate(slots):
            template = state.templates[t_index]
            max_chars = headline_limit(template)
            hook = self._hook_for(state, t_index, variation, max_chars, slot)
            base_text, hook_type = self._base_text(state, hook)
            content = Content(template_index=t_index, variation_index=variation, headline=base_text,
                              hook_id=hook.pk if hook else None, hook_type=hook_type)
            # Only a hook is adapted: an offer's or a belief's message must lead as written, and
            # a customer's review that fits is quoted as written, never reworded for a persona.
            customer_words = parse_review(base_text) is not None and len(base_text) <= max_chars
            if params.headline is None and hook_type not in ("belief", "offer") and not customer_words and (
                    persona is not None or len(base_text) > max_chars):
                request = HookAdaptationRequest(
                    hook_text=base_text, hook_type=hook_type, persona_name=persona.name if persona else "",
                    persona_description=persona.description if persona else "",
                    awareness_stage=state.awareness_stage, product_name=cat.product.name, max_chars=max_chars,
                )
                result, _ = ledger.call(lambda: text_model.adapt_hook(request), purpose="hook_adaptation",
                                        provider=text_model.provider_name, model=text_model.model_name)
                if result is not None:
                    content.original_headline = base_text if result.headline != base_text else None
                    content.headline = result.headline
                    content.subheadline = result.subheadline or None
            # The content source leads; the offer beats a generated subheadline (it is the brand's
            # own, approved copy) but is never said twice (adcreator.prompts.copyfit).
            led_by_source = hook_type in ("belief", "offer")
            chosen = copy_for_source(
                params.content_source if led_by_source else "hooks",
                hook_text=(hook.text if hook else None) if led_by_source else content.headline, hook_type=hook_type,
                belief=cat.belief_angle.belief_statement if cat.belief_angle else "",
                offer_message=cat.offer_variant.core_message if cat.offer_variant else "",
                current_offer=cat.product.current_offer, product_name=cat.product.name, max_chars=max_chars,
            )
            content.headline = chosen.headline
            content.subheadline = chosen.subheadline or content.subheadline
            if params.headline is not None:  # a person's edit: exactly as written
                content.headline, content.original_headline = params.headline, None
            contents.append(content)
        state.contents = contents

    def _choose_hook_types(self, state: PipelineState, slots: int) -> None:
        """The hook types of the slots, by the genome — only when the user left the hooks to us
        (hook_ids chosen explicitly are never overridden) and the copy comes from hooks."""
        if state.params.hook_ids or state.params.content_source != "hooks" or not state.cat.hooks or state.genome is None:
            return
        state.hook_choice = choose_hook_types(state.genome, [h.hook_type for h in state.cat.hooks], slots,
                                              seed=state.params.genome_seed or 0)
        config = dict(state.run.generation_config, hook_choice=state.hook_choice.as_json())
        AdRun.objects.filter(pk=state.run.pk).update(generation_config=config)
        state.run.generation_config = config

    def _hook_for(self, state: PipelineState, t_index: int, variation: int, max_chars: int, slot: int) -> Hook | None:
        hooks = state.cat.hooks
        if not hooks:
            return None
        # A hook that fits the template's headline area and suits its archetype (a review for a
        # testimonial, adcreator.prompts.copyfit.pick_hook); rotated so that different templates
        # and variations get different hooks.
        template = state.templates[t_index]
        archetype = (template.elements.archetype if template.elements else None) or template.category
        position = t_index * state.params.variations + (variation - 1)
        choice = state.hook_choice
        if choice is not None and choice.method == "thompson":
            # The genome chose this slot's hook type: the same choice among the hooks of that type.
            wanted = choice.types[slot]
            hooks = [h for h in hooks if h.hook_type == wanted] or hooks
            position = sum(1 for t in choice.types[:slot] if t == wanted)
        index = pick_hook([h.text for h in hooks], archetype=archetype, max_chars=max_chars, position=position,
                          offer=state.cat.product.current_offer)
        return hooks[index]

    def _base_text(self, state: PipelineState, hook: Hook | None) -> tuple[str, str]:
        source, cat = state.params.content_source, state.cat
        if source == "belief_first" and cat.belief_angle:
            return cat.belief_angle.belief_statement, "belief"
        if source == "offer_variant" and cat.offer_variant:
            return cat.offer_variant.core_message, "offer"
        if hook is not None:
            return hook.text, hook.hook_type
        return cat.product.current_offer or cat.product.name, "offer"
