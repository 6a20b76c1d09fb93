"""SelectImages: each template's product images — quality plus the asset-tag bonuses (spec Phase 3)."""

from __future__ import annotations

from adcreator.prompts.builder import ImageCandidate, select_images
from generation.pipeline.state import PipelineState

IMAGES_PER_TEMPLATE = 2


class SelectImages:
    name = "select_images"

    def run(self, state: PipelineState) -> None:
        candidates = [ImageCandidate(id=img.pk, asset_tags=list(img.asset_tags or []), quality=img.quality)
                      for img in state.cat.product_images]
        for index, template in enumerate(state.templates):
            required = template.elements.required_assets if template.elements else []
            optional = template.elements.optional_assets if template.elements else []
            state.selected_images[index] = select_images(candidates, required=required, optional=optional,
                                                         limit=IMAGES_PER_TEMPLATE)
