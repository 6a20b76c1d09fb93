"""The one typed state object the pipeline nodes read and write."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from adcreator.prompts.builder import ImageCandidate
from adcreator.prompts.elements import TemplateElements
from adcreator.providers.base import CongruenceResult
from generation.params import AdCreationParams


@dataclass
class TemplateContext:
    id: int | None
    name: str
    category: str
    awareness_level: int | None
    image_path: str
    width: int
    height: int
    elements: TemplateElements | None

    @property
    def native_ratio(self) -> str | None:
        from adcreator.prompts.models import CANVAS_SIZES

        if not self.width or not self.height:
            return None
        ratio = self.width / self.height
        return min(CANVAS_SIZES, key=lambda label: abs(CANVAS_SIZES[label][0] / CANVAS_SIZES[label][1] - ratio))


@dataclass
class Content:
    """The copy of one (template, variation): chosen, adapted, then checked for congruence."""

    template_index: int
    variation_index: int
    headline: str
    hook_id: int | None = None
    hook_type: str = ""
    subheadline: str | None = None
    original_headline: str | None = None
    congruence: CongruenceResult | None = None
    # The score of the headline before congruence adaptation, when it was adapted.
    congruence_before: float | None = None


@dataclass
class Brief:
    """One creative brief (template × variation × colour): its sizes share the prompt_index."""

    prompt_index: int
    template: TemplateContext
    content: Content
    color_mode: str
    palette: list[str]
    canvas_sizes: list[str]


@dataclass
class PipelineState:
    run_id: int
    params: AdCreationParams
    metadata: dict[str, Any] = field(default_factory=dict)
    # The job's progress reporter (adcreator.jobs.registry.Progress).
    progress: Any = None
    ad_run: Any = None
    organization: Any = None
    brand: Any = None
    product: Any = None
    persona: Any = None
    offer_variant: Any = None
    landing_page: Any = None
    belief_angle: Any = None
    hooks: list[Any] = field(default_factory=list)
    product_images: list[Any] = field(default_factory=list)
    brand_assets: list[Any] = field(default_factory=list)
    available_tags: set[str] = field(default_factory=set)
    templates: list[TemplateContext] = field(default_factory=list)
    contents: list[Content] = field(default_factory=list)
    selected_images: dict[int, list[ImageCandidate]] = field(default_factory=dict)
    briefs: list[Brief] = field(default_factory=list)
    selection: dict[str, Any] | None = None
    # Bytes of every image read from storage in this run, by storage name.
    file_cache: dict[str, bytes] = field(default_factory=dict)
