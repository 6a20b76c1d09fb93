"""The element tags of a generated ad (spec 10.2): what the Creative Genome learns from.

Written for every ad at generation, from the pipeline state alone (no extra model call).
`ELEMENT_DIMENSIONS` is the one list of what an ad is tagged with; the genome scores a
subset of it and a test holds both sides to it.
"""

from __future__ import annotations

from adcreator.prompts.models import AdGenerationPrompt
from adcreator.prompts.vocabulary import CanvasSize
from generation.pipeline.state import Brief, PipelineState

ELEMENT_DIMENSIONS: tuple[str, ...] = (
    "hook_type", "hook_id", "belief_angle_id", "persona_id", "color_mode", "visual_style", "template_category",
    "awareness_stage", "offer_variant_id", "canvas_size", "template_id", "prompt_version", "content_source",
)


def element_tags(state: PipelineState, brief: Brief, size: CanvasSize, prompt: AdGenerationPrompt) -> dict:
    cat = state.cat
    tags = {
        "hook_type": brief.content.hook_type,
        "hook_id": brief.content.hook_id,
        "belief_angle_id": cat.belief_angle.pk if cat.belief_angle else None,
        "persona_id": cat.persona.pk if cat.persona else None,
        "color_mode": brief.color_mode,
        "visual_style": brief.template.category,
        "template_category": brief.template.category,
        "awareness_stage": state.awareness_stage,
        "offer_variant_id": cat.offer_variant.pk if cat.offer_variant else None,
        "canvas_size": size.canvas,
        "template_id": brief.template.id,
        "prompt_version": prompt.prompt_version,
        "content_source": state.params.content_source,
    }
    assert tuple(tags) == ELEMENT_DIMENSIONS  # one list of dimensions, written in full
    return tags
