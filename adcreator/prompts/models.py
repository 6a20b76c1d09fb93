"""The generation prompt as pydantic models (spec section 7).

One `AdGenerationPrompt` describes one image to make: one template, one hook, one canvas
size, one colour mode. The whole object is stored as JSON on every generated ad, so any
ad can be explained and regenerated. Bump `PROMPT_VERSION` whenever the meaning of a field
or of the rendered instructions changes; old prompts stay parseable.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from adcreator.prompts.elements import Archetype, Region, TemplatePart, TextArea
# The vocabulary is re-exported here for the adapters that read the contract from this module.
from adcreator.prompts.vocabulary import CANVAS_SIZES, COLOR_MODES, ColorMode, canvas_label, size_for_canvas  # noqa: F401

PROMPT_VERSION = "v2.1"


def parse_canvas(canvas_size: str) -> tuple[int, int]:
    size = size_for_canvas(canvas_size)
    return size.width, size.height


def ratio_for_canvas(canvas_size: str) -> str:
    return size_for_canvas(canvas_size).ratio


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TaskConfig(_Model):
    action: Literal["create_facebook_ad"] = "create_facebook_ad"
    variation_index: int = Field(ge=1, le=100)
    total_variations: int = Field(ge=1, le=100)
    canvas_size: str = Field(pattern=r"^\d{3,4}x\d{3,4}$")
    aspect_ratio: str
    color_mode: ColorMode
    prompt_version: str = PROMPT_VERSION


class ProductContext(_Model):
    name: str
    brand_name: str
    current_offer: str = ""
    description: str = ""
    # Claims the ad must never make and text it must carry (brand guidelines).
    prohibited_claims: list[str] = Field(default_factory=list)
    required_disclaimers: list[str] = Field(default_factory=list)
    brand_voice: str = ""


class HeadlineConfig(_Model):
    text: str
    original_text: str | None = None  # the hook before congruence adaptation, when adapted
    hook_type: str = ""
    max_chars: int | None = None


class SubheadlineConfig(_Model):
    text: str
    max_chars: int | None = None


class ContentConfig(_Model):
    headline: HeadlineConfig
    subheadline: SubheadlineConfig | None = None
    cta: str = "Shop now"
    congruence_score: float | None = Field(default=None, ge=0.0, le=1.0)
    content_source: Literal["hooks", "belief_first", "offer_variant"] = "hooks"


class StyleConfig(_Model):
    color_mode: ColorMode
    # The palette the image must use, "#rrggbb", most prominent first. For "original" it is
    # the template's palette, for "complementary" a harmonised rotation of it, for "brand"
    # the brand's colours.
    palette: list[str] = Field(min_length=1)
    font_family: str = "Lato"
    visual_style: str = ""


class ReferenceImageSpec(_Model):
    role: Literal["template", "product", "logo", "person", "badge"]
    asset_tags: list[str] = Field(default_factory=list)
    # Opaque reference the pipeline resolves to bytes (a storage path), never the bytes.
    ref: str


class ImageConfig(_Model):
    canvas_width: int = Field(ge=64, le=4096)
    canvas_height: int = Field(ge=64, le=4096)
    aspect_ratio: str
    references: list[ReferenceImageSpec] = Field(default_factory=list)


class TemplateAnalysis(_Model):
    template_id: int | None = None  # None for an uploaded template (spec P1-3)
    name: str = ""
    category: str = ""
    awareness_level: int | None = None
    layout_summary: str = ""
    palette: list[str] = Field(default_factory=list)
    background: str | None = None
    text_areas: list[TextArea] = Field(default_factory=list)
    logo_areas: list[Region] = Field(default_factory=list)
    product_areas: list[Region] = Field(default_factory=list)
    people: list[Region] = Field(default_factory=list)
    native_aspect_ratio: str | None = None
    # The template's creative structure (see elements.Archetype); None when not known.
    archetype: Archetype | None = None
    parts: list[TemplatePart] = Field(default_factory=list)


class AssetContext(_Model):
    template_requires_logo: bool = False
    brand_has_logo: bool = False
    template_requires_person: bool = False
    available_person_images: int = 0
    logo_placement: str | None = None
    template_text_areas: list[TextArea] = Field(default_factory=list)
    missing_assets: list[str] = Field(default_factory=list)
    asset_match_score: float | None = Field(default=None, ge=0.0, le=1.0)
    # The instructions derived from the gaps above, one per rule that fired.
    asset_instructions: list[str] = Field(default_factory=list)


class GenerationRules(_Model):
    rules: list[str] = Field(default_factory=list)


class AdBriefConfig(_Model):
    persona_name: str = ""
    awareness_stage: int | None = Field(default=None, ge=1, le=5)
    belief_statement: str = ""
    offer_core_message: str = ""
    pain_points: list[str] = Field(default_factory=list)


class PerformanceContext(_Model):
    """Advisory context from the Creative Genome (spec 10); absent until it has data."""

    element_scores: list[tuple[str, float]] = Field(default_factory=list)
    winning_combos: list[str] = Field(default_factory=list)
    advisory_note: str = ""


class AdGenerationPrompt(_Model):
    prompt_version: str = PROMPT_VERSION
    task: TaskConfig
    product: ProductContext
    content: ContentConfig
    style: StyleConfig
    images: ImageConfig
    template_analysis: TemplateAnalysis
    asset_context: AssetContext
    rules: GenerationRules
    ad_brief: AdBriefConfig | None = None
    performance_context: PerformanceContext | None = None
