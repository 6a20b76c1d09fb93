"""Builds one `AdGenerationPrompt` from plain pipeline values (spec sections 3, 5, 7, 9a).

The pipeline node gathers rows (template, product, brand, hook, persona, images) and hands
them here as a `PromptInputs`; this module decides nothing by I/O and the same inputs always
give the same prompt. `select_images` is the pure scoring step of the SelectImages node.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from adcreator.prompts.asset_rules import build_asset_context, describe_position, enforce_char_limit, tag_satisfies
from adcreator.prompts.elements import TemplateElements, TextRole
from adcreator.prompts.models import (
    PROMPT_VERSION,
    AdBriefConfig,
    AdGenerationPrompt,
    ColorMode,
    ContentConfig,
    GenerationRules,
    HeadlineConfig,
    ImageConfig,
    ProductContext,
    ReferenceImageSpec,
    StyleConfig,
    SubheadlineConfig,
    TaskConfig,
    TemplateAnalysis,
    parse_canvas,
    ratio_for_canvas,
)

_HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TemplateInput(_Input):
    template_id: int | None = None  # None for an uploaded template (spec P1-3)
    name: str = ""
    category: str = ""
    awareness_level: int | None = None
    elements: TemplateElements | None = None  # None = never analysed
    native_aspect_ratio: str | None = None


class ProductInput(_Input):
    name: str = Field(min_length=1)
    brand_name: str = Field(min_length=1)
    current_offer: str = ""
    description: str = ""


class BrandInput(_Input):
    voice: str = ""
    prohibited_claims: list[str] = Field(default_factory=list)
    required_disclaimers: list[str] = Field(default_factory=list)
    colors: list[str] = Field(default_factory=list)
    # A logo among the brand assets; counts as an available "logo" tag.
    has_logo: bool = False


class ContentInput(_Input):
    headline: str = Field(min_length=1)
    original_headline: str | None = None  # the hook before congruence adaptation
    hook_type: str = ""
    subheadline: str | None = None
    cta: str = "Shop now"
    congruence_score: float | None = Field(default=None, ge=0.0, le=1.0)
    content_source: Literal["hooks", "belief_first", "offer_variant"] = "hooks"


class PromptInputs(_Input):
    template: TemplateInput
    product: ProductInput
    brand: BrandInput = Field(default_factory=BrandInput)
    content: ContentInput
    ad_brief: AdBriefConfig | None = None
    canvas_size: str = Field(pattern=r"^\d{3,4}x\d{3,4}$")
    color_mode: ColorMode
    # Computed by the caller for the colour mode; when empty, "brand" falls back to the brand
    # colours and "original" to the template palette ("complementary" has no fallback).
    palette: list[str] = Field(default_factory=list)
    references: list[ReferenceImageSpec] = Field(default_factory=list)
    variation_index: int = Field(default=1, ge=1, le=100)
    total_variations: int = Field(default=1, ge=1, le=100)
    available_tags: frozenset[str] = frozenset()
    person_image_count: int = Field(default=0, ge=0)
    # The caller's headline limit for templates that give none.
    headline_max_chars_hint: int | None = Field(default=None, ge=1)
    # A floor under the template's headline limit: an area sized for a 12-character slogan
    # still gets this many characters (the type is set smaller), so a hook keeps its point.
    min_headline_chars: int | None = Field(default=None, ge=1)
    font_family: str = "Lato"
    visual_style: str = ""

    @field_validator("palette")
    @classmethod
    def _palette_is_hex(cls, palette: list[str]) -> list[str]:
        return [_check_hex(colour) for colour in palette]

    @model_validator(mode="after")
    def _consistent(self) -> PromptInputs:
        if self.variation_index > self.total_variations:
            raise ValueError("variation_index must not exceed total_variations")
        ratio_for_canvas(self.canvas_size)  # rejects a canvas that is not one of CANVAS_SIZES
        return self


def _check_hex(colour: str) -> str:
    if not _HEX_COLOUR.match(colour):
        raise ValueError(f"colour {colour!r} is not #rrggbb")
    return colour.lower()


# ---------------------------------------------------------------------------- base rules

# The base rules every prompt carries, in this order. Their wording is part of the prompt's
# meaning: changing one means bumping PROMPT_VERSION in models.py.
BASE_RULE_IDS: tuple[str, ...] = (
    "exact_product",
    "legible_text",
    "text_inside_canvas",
    "palette_compliance",
    "prohibited_claims",
    "required_disclaimers",
    "cta_present",
)


def base_rules(inputs: PromptInputs, *, palette: list[str], cta: str) -> list[str]:
    width, height = parse_canvas(inputs.canvas_size)
    claims = inputs.brand.prohibited_claims
    disclaimers = inputs.brand.required_disclaimers
    rules = {
        "exact_product": (
            "Reproduce the product exactly as in the product reference images: same shape, "
            "proportions, colours, label text and branding; never add, remove or redesign a feature."
        ),
        "legible_text": (
            "Render the headline, subheadline and call to action exactly as written, correctly "
            "spelled and sharp; no garbled, blurred, cut-off or invented text anywhere."
        ),
        "text_inside_canvas": (
            f"Keep every piece of text fully inside the {width}x{height} canvas with a clear "
            "margin from each edge; nothing cropped."
        ),
        "palette_compliance": (
            f"Use only the palette {', '.join(palette)} for the background, shapes and text; "
            "the product alone keeps its own colours."
        ),
        "prohibited_claims": (
            "Never state or imply any of these claims: " + "; ".join(f'"{claim}"' for claim in claims) + "."
            if claims
            else "State no claim about the product beyond its description and the copy given here."
        ),
        "required_disclaimers": (
            "Include these disclaimers verbatim in small, legible type: "
            + "; ".join(f'"{text}"' for text in disclaimers)
            + "."
            if disclaimers
            else "Add no disclaimers or fine print of your own."
        ),
        "cta_present": f'Show the call to action "{cta}" exactly once, clearly legible.',
    }
    return [rules[rule_id] for rule_id in BASE_RULE_IDS]


def layout_adaptation_rule(native_ratio: str | None, canvas_ratio: str) -> str | None:
    """The reference is drawn for another ratio: say how to carry its layout over."""
    if native_ratio is None or native_ratio == canvas_ratio:
        return None
    return (
        f"The reference template is {native_ratio}; re-flow its layout onto the {canvas_ratio} "
        "canvas, keeping each element's relative position and the reading order, without "
        "stretching anything."
    )


# ---------------------------------------------------------------------------- the builder


def build_prompt(*, brief: PromptInputs) -> AdGenerationPrompt:
    elements = brief.template.elements
    width, height = parse_canvas(brief.canvas_size)
    canvas_ratio = ratio_for_canvas(brief.canvas_size)
    available_tags = set(brief.available_tags) | ({"logo"} if brief.brand.has_logo else set())
    palette = _resolve_palette(brief)

    headline_max = _max_chars_for(elements, "headline") or brief.headline_max_chars_hint
    if headline_max is not None and brief.min_headline_chars:
        headline_max = max(headline_max, brief.min_headline_chars)
    headline_text = _fit(brief.content.headline, headline_max)
    was_shortened = headline_text != " ".join(brief.content.headline.split())
    original_headline = brief.content.original_headline or (brief.content.headline if was_shortened else None)

    subheadline = None
    if brief.content.subheadline:
        subheadline_max = _max_chars_for(elements, "subheadline")
        subheadline = SubheadlineConfig(
            text=_fit(brief.content.subheadline, subheadline_max), max_chars=subheadline_max
        )

    asset_context = build_asset_context(
        elements=elements,
        available_tags=available_tags,
        person_image_count=brief.person_image_count,
        brand_name=brief.product.brand_name,
        headline_max_chars_hint=brief.headline_max_chars_hint,
    )
    adaptation = layout_adaptation_rule(brief.template.native_aspect_ratio, canvas_ratio)
    rules = base_rules(brief, palette=palette, cta=brief.content.cta)
    rules += [adaptation] if adaptation else []
    rules += asset_context.asset_instructions

    return AdGenerationPrompt(
        prompt_version=PROMPT_VERSION,
        task=TaskConfig(
            variation_index=brief.variation_index,
            total_variations=brief.total_variations,
            canvas_size=brief.canvas_size,
            aspect_ratio=canvas_ratio,
            color_mode=brief.color_mode,
            prompt_version=PROMPT_VERSION,
        ),
        product=ProductContext(
            name=brief.product.name,
            brand_name=brief.product.brand_name,
            current_offer=brief.product.current_offer,
            description=brief.product.description,
            prohibited_claims=list(brief.brand.prohibited_claims),
            required_disclaimers=list(brief.brand.required_disclaimers),
            brand_voice=brief.brand.voice,
        ),
        content=ContentConfig(
            headline=HeadlineConfig(
                text=headline_text,
                original_text=original_headline,
                hook_type=brief.content.hook_type,
                max_chars=headline_max,
            ),
            subheadline=subheadline,
            cta=brief.content.cta,
            congruence_score=brief.content.congruence_score,
            content_source=brief.content.content_source,
        ),
        style=StyleConfig(
            color_mode=brief.color_mode,
            palette=palette,
            font_family=brief.font_family,
            visual_style=brief.visual_style,
        ),
        images=ImageConfig(
            canvas_width=width,
            canvas_height=height,
            aspect_ratio=canvas_ratio,
            references=list(brief.references),
        ),
        template_analysis=_template_analysis(brief.template),
        asset_context=asset_context,
        rules=GenerationRules(rules=rules),
        ad_brief=brief.ad_brief,
    )


def prompt_json(prompt: AdGenerationPrompt) -> dict:
    """The prompt as stored on the generated ad; `AdGenerationPrompt.model_validate` reads it back."""
    return prompt.model_dump(mode="json")


def _fit(text: str, max_chars: int | None) -> str:
    collapsed = " ".join(text.split())
    return enforce_char_limit(collapsed, max_chars) if max_chars is not None else collapsed


def _max_chars_for(elements: TemplateElements | None, role: TextRole) -> int | None:
    # With several areas of one role the smallest wins: the text must fit wherever it goes.
    limits = [area.max_chars for area in (elements.text_areas if elements else []) if area.role == role]
    return min(limits) if limits else None


def _resolve_palette(brief: PromptInputs) -> list[str]:
    if brief.palette:
        return list(brief.palette)
    if brief.color_mode == "brand" and brief.brand.colors:
        return [_check_hex(colour) for colour in brief.brand.colors]
    elements = brief.template.elements
    if brief.color_mode == "original" and elements is not None and elements.palette:
        return [_check_hex(colour) for colour in elements.palette]
    raise ValueError(f"no palette for colour mode {brief.color_mode!r}: the caller must compute one")


def _template_analysis(template: TemplateInput) -> TemplateAnalysis:
    elements = template.elements
    common = {
        "template_id": template.template_id,
        "name": template.name,
        "category": template.category,
        "awareness_level": template.awareness_level,
        "native_aspect_ratio": template.native_aspect_ratio,
        "layout_summary": layout_summary(elements),
    }
    if elements is None:
        return TemplateAnalysis(**common)
    return TemplateAnalysis(
        **common,
        palette=list(elements.palette),
        background=elements.background,
        text_areas=list(elements.text_areas),
        logo_areas=list(elements.logo_areas),
        product_areas=list(elements.product_areas),
        people=list(elements.people),
        archetype=elements.archetype,
        parts=list(elements.parts),
    )


def layout_summary(elements: TemplateElements | None) -> str:
    """One line a person (or a model) can read: what sits where in the template."""
    if elements is None:
        return "not analysed; read the layout from the reference image"
    parts = [f"{area.role} {describe_position(area.box)}" for area in elements.text_areas]
    parts += [f"logo {describe_position(region.box)}" for region in elements.logo_areas]
    parts += [f"product {describe_position(region.box)}" for region in elements.product_areas]
    parts += [f"person {describe_position(region.box)}" for region in elements.people]
    if elements.archetype:
        parts.insert(0, f"{elements.archetype.replace('_', ' ')} layout")
    if elements.background:
        parts.append(f"background {elements.background}")
    if elements.not_detected:
        parts.append("not looked for: " + ", ".join(elements.not_detected))
    return "; ".join(parts) if parts else "analysed, no elements detected"


# ---------------------------------------------------------------------------- image selection

# Bonuses on top of visual quality (spec Phase 3): an image carrying a tag the template
# requires should usually beat a slightly prettier one that does not, an optional tag less so.
REQUIRED_TAG_BONUS = 0.3
OPTIONAL_TAG_BONUS = 0.1
# Scores are rounded before comparison so 0.7 + 0.3 ties with 1.0 instead of losing by 1e-16.
_SCORE_DECIMALS = 9


class ImageCandidate(_Input):
    id: int | str
    asset_tags: list[str] = Field(default_factory=list)
    quality: float = Field(ge=0.0, le=1.0)


def image_selection_score(candidate: ImageCandidate, *, required: list[str], optional: list[str]) -> float:
    """Quality plus each bonus once: carrying two required tags earns +0.3, not +0.6, so a
    heavily tagged image cannot outrank a clearly better one on tags alone."""
    tags = set(candidate.asset_tags)
    score = candidate.quality
    if any(tag_satisfies(asset, tags) for asset in required):
        score += REQUIRED_TAG_BONUS
    if any(tag_satisfies(asset, tags) for asset in optional):
        score += OPTIONAL_TAG_BONUS
    return round(score, _SCORE_DECIMALS)


def select_images(
    images: list[ImageCandidate], *, required: list[str], optional: list[str], limit: int = 2
) -> list[ImageCandidate]:
    """The `limit` best images, best first; equal scores go to the smaller id (ints before strs)."""
    if limit < 0:
        raise ValueError("limit must not be negative")
    ranked = sorted(
        images,
        key=lambda image: (
            -image_selection_score(image, required=required, optional=optional),
            _id_order(image.id),
        ),
    )
    return ranked[:limit]


def _id_order(image_id: int | str) -> tuple[int, int | str]:
    return (0, image_id) if isinstance(image_id, int) else (1, image_id)
