"""The element tags of a generated ad (spec 10.2): what the Creative Genome learns from.

Written for every ad at generation, from the pipeline state alone (no extra model call). The
genome's scored dimensions (genome.dimensions) are all written, plus two tags kept for
traceability only (which hook, which content source); a test holds both lists to each other.
"""

from __future__ import annotations

from adcreator.prompts.models import AdGenerationPrompt
from adcreator.prompts.vocabulary import CanvasSize
from generation.pipeline.ad_prompts import visual_style_of
from generation.pipeline.state import Brief, PipelineState
from genome.dimensions import ELEMENT_DIMENSIONS as SCORED_DIMENSIONS

TRACEABILITY_TAGS: tuple[str, ...] = ("hook_id", "content_source")
WRITTEN_TAGS: tuple[str, ...] = SCORED_DIMENSIONS + TRACEABILITY_TAGS


def element_tags(state: PipelineState, brief: Brief, size: CanvasSize, prompt: AdGenerationPrompt) -> dict:
    cat = state.cat
    tags = {
        "hook_type": brief.content.hook_type,
        "hook_id": brief.content.hook_id,
        "belief_angle_id": cat.belief_angle.pk if cat.belief_angle else None,
        "persona_id": cat.persona.pk if cat.persona else None,
        "color_mode": brief.color_mode,
        "visual_style": visual_style_of(brief.template),
        "template_category": brief.template.category,
        "awareness_stage": state.awareness_stage,
        "offer_variant_id": cat.offer_variant.pk if cat.offer_variant else None,
        "canvas_size": size.canvas,
        "template_id": brief.template.id,
        "prompt_version": prompt.prompt_version,
        "content_source": state.params.content_source,
    }
    return {name: tags[name] for name in WRITTEN_TAGS}  # KeyError if a scored dimension were not written
