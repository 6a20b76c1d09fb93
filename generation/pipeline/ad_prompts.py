"""The briefs of a run and the prompt of each ad (brief × size), from the pipeline state."""

from __future__ import annotations

from adcreator.prompts.builder import (
    BrandInput, ContentInput, ProductInput, PromptInputs, TemplateInput, build_prompt,
)
from adcreator.prompts.models import AdBriefConfig, AdGenerationPrompt, PerformanceContext, ReferenceImageSpec
from adcreator.prompts.palette import palette_for_mode
from adcreator.prompts.vocabulary import SIZE_BY_RATIO, CanvasSize
from generation.pipeline.copy_rules import MIN_HEADLINE_CHARS
from generation.pipeline.state import Brief, PipelineState


def ordered_sizes(native_ratio: str | None, sizes: list[CanvasSize]) -> list[CanvasSize]:
    """The template's native ratio first (spec 2): it is the layout the template was made for."""
    native = SIZE_BY_RATIO.get(native_ratio) if native_ratio else None
    return sorted(sizes, key=lambda size: (size != native, sizes.index(size)))


def visual_style_of(template) -> str:
    """The template's structural archetype (testimonial, comparison…) when analysis found it, else
    its category: what the ad looks like, a dimension of its own beside the template category."""
    archetype = template.elements.archetype if template.elements else None
    return str(archetype or template.category)


def build_briefs(state: PipelineState) -> list[Brief]:
    params = state.params
    brand_colors = list(state.cat.brand.colors or [])
    briefs: list[Brief] = []
    for content in state.contents:
        template = state.templates[content.template_index]
        template_palette = (template.elements.palette if template.elements else []) or brand_colors or ["#222222"]
        for color_mode in params.color_modes:
            briefs.append(Brief(
                prompt_index=len(briefs) + 1, template=template, content=content, color_mode=color_mode,
                palette=palette_for_mode(color_mode, template_palette, brand_colors),
                sizes=ordered_sizes(template.native_ratio, params.sizes_to_make),
            ))
    return briefs


def prompt_for(state: PipelineState, brief: Brief, size: CanvasSize) -> AdGenerationPrompt:
    params, cat, template, content = state.params, state.cat, brief.template, brief.content
    persona, offer, belief = cat.persona, cat.offer_variant, cat.belief_angle
    images = state.selected_images.get(content.template_index, [])
    by_id = {img.pk: img for img in cat.product_images}
    references = [ReferenceImageSpec(role="template", ref=template.image_path)]
    references += [
        ReferenceImageSpec(role="product", asset_tags=list(by_id[c.id].asset_tags or []), ref=by_id[c.id].image.name)
        for c in images
    ]
    logo = next((a for a in cat.brand_assets if a.asset_type == "logo"), None)
    logo_dark = next((a for a in cat.brand_assets if a.asset_type == "logo_dark"), None)
    badge = next((a for a in cat.brand_assets if a.asset_type == "badge"), None)
    if logo:
        references.append(ReferenceImageSpec(role="logo", asset_tags=["logo"], ref=logo.image.name))
    if logo_dark:  # the variant for dark grounds: the renderer takes it where the plain logo would vanish
        references.append(ReferenceImageSpec(role="logo", asset_tags=["logo_dark"], ref=logo_dark.image.name))
    if badge:
        references.append(ReferenceImageSpec(role="badge", asset_tags=["badge"], ref=badge.image.name))
    brand, product = cat.brand, cat.product
    inputs = PromptInputs(
        template=TemplateInput(template_id=template.id, name=template.name, category=template.category,
                               awareness_level=template.awareness_level, elements=template.elements,
                               native_aspect_ratio=template.native_ratio),
        product=ProductInput(name=product.name, brand_name=brand.name, current_offer=product.current_offer,
                             description=product.description),
        brand=BrandInput(voice=brand.voice, prohibited_claims=list(brand.prohibited_claims or []),
                         required_disclaimers=list(brand.required_disclaimers or []),
                         colors=list(brand.colors or []), has_logo=logo is not None),
        content=ContentInput(headline=content.headline, original_headline=content.original_headline,
                             hook_type=content.hook_type, subheadline=content.subheadline,
                             cta="Shop now", content_source=params.content_source,
                             congruence_score=content.congruence.overall_score if content.congruence else None),
        ad_brief=AdBriefConfig(
            persona_name=persona.name if persona else "",
            awareness_stage=state.awareness_stage,
            belief_statement=belief.belief_statement if belief else "",
            offer_core_message=offer.core_message if offer else "",
            pain_points=list(offer.pain_points or []) if offer else [],
        ),
        canvas_size=size.canvas, color_mode=brief.color_mode, palette=brief.palette, references=references,
        variation_index=content.variation_index, total_variations=params.variations,
        available_tags=frozenset(cat.available_tags),
        person_image_count=sum(1 for img in cat.product_images if "person" in (img.asset_tags or [])),
        visual_style=visual_style_of(template), min_headline_chars=MIN_HEADLINE_CHARS,
    )
    prompt = build_prompt(brief=inputs)
    advice = state.genome
    if advice is not None and advice.has_evidence:
        prompt = prompt.model_copy(update={"performance_context": PerformanceContext(
            element_scores=advice.prompt_scores(), winning_combos=list(advice.winning_combos),
            advisory_note=advice.note())})
    return prompt
