"""What we tell the models, and the answer shapes we ask back.

`prompt_to_instructions` renders an `AdGenerationPrompt` as the image model's instruction
text: task, canvas, colours, copy, assets and rules in plain language, then the full prompt
JSON. It is deterministic (same prompt → same text, byte for byte), so a stored prompt
explains exactly what the model was told.

The text-model tasks (congruence scoring, hook adaptation, template element detection) are
shared by the Gemini and Claude adapters: each has an instruction builder, an SDK-friendly
answer schema (explicit fields only: Gemini refuses `dict[str, float]`), and a converter to
the boundary model that enforces what a schema cannot (score range, limits, valid boxes).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Literal, TypeVar

from pydantic import BaseModel, Field

from adcreator.prompts.elements import ARCHETYPES, ASSET_TAGS, PART_KINDS, Archetype, PartKind, Region, TemplateElements, TemplatePart, TextArea
from adcreator.prompts.models import AdGenerationPrompt
from adcreator.providers.base import (
    CongruenceRequest,
    CongruenceResult,
    HookAdaptationRequest,
    HookAdaptationResult,
    Usage,
)
from adcreator.providers.errors import MalformedResponseError

# The order reference images are attached in, and described in: the template sets the
# layout so it comes first, then what must appear (product), then the logo, then extras.
REFERENCE_ROLE_ORDER: tuple[str, ...] = ("template", "product", "logo", "person", "badge")

_COLOR_MODE_MEANING = {
    "original": "Keep the template's own colour scheme",
    "complementary": "Recolour the template with this harmonised variation of its palette",
    "brand": "Recolour the template with the brand's colours",
}
_ROLE_DESCRIPTION = {
    "template": "the ad template — reproduce its layout, composition and visual hierarchy, not its text",
    "product": "a product photo — show this exact product faithfully (shape, colours, label)",
    "logo": "the brand logo — place it unaltered, legible, in the logo area",
    "person": "a person photo — use this person where the template shows people",
    "badge": "a badge/seal — place it small and legible",
}

_HasRole = TypeVar("_HasRole")


def order_references(references: Iterable[_HasRole]) -> list[_HasRole]:
    """References sorted by role (template, product, logo, person, badge), stable within a role."""
    rank = {role: index for index, role in enumerate(REFERENCE_ROLE_ORDER)}
    return sorted(references, key=lambda ref: rank.get(getattr(ref, "role"), len(rank)))


def prompt_to_instructions(prompt: AdGenerationPrompt) -> str:
    sections = [
        _task(prompt),
        _canvas(prompt),
        _references(prompt),
        _colours(prompt),
        _copy(prompt),
        _product(prompt),
        _layout(prompt),
        _bulleted("ASSET INSTRUCTIONS", prompt.asset_context.asset_instructions),
        _bulleted("RULES", prompt.rules.rules),
        _compliance(prompt),
        _brief(prompt),
        _advisory(prompt),
        "FULL PROMPT (JSON, authoritative if anything above is unclear)\n"
        + json.dumps(prompt.model_dump(mode="json"), indent=2, ensure_ascii=False),
    ]
    return "\n\n".join(section for section in sections if section)


def expected_ad_sections(prompt: AdGenerationPrompt, *names: str) -> str:
    """The named sections of the generation instructions (canvas, colours, copy, product,
    layout, assets, compliance, audience): what a reviewer holds the finished ad against."""
    builders = {"canvas": _canvas, "colours": _colours, "copy": _copy, "product": _product, "layout": _layout,
                "assets": lambda p: _bulleted("ASSET INSTRUCTIONS", p.asset_context.asset_instructions),
                "compliance": _compliance, "audience": _brief}
    return "\n\n".join(text for text in (builders[name](prompt) for name in names) if text)


def _task(prompt: AdGenerationPrompt) -> str:
    task = prompt.task
    return (
        "TASK\n"
        f"Create one finished static Facebook/Instagram ad image for {prompt.product.brand_name} "
        f"(variation {task.variation_index} of {task.total_variations}). Output only the image."
    )


def _canvas(prompt: AdGenerationPrompt) -> str:
    images = prompt.images
    return (
        "CANVAS\n"
        f"- {images.canvas_width}x{images.canvas_height} pixels, aspect ratio {images.aspect_ratio}.\n"
        "- Fill the whole canvas edge to edge: no borders, frames, letterboxing or mock-up device.\n"
        "- Keep all text and the logo at least 5% away from every edge (safe zone)."
    )


def _references(prompt: AdGenerationPrompt) -> str:
    specs = order_references(prompt.images.references)
    if not specs:
        return "REFERENCE IMAGES\n- None attached: design the layout yourself."
    lines = ["REFERENCE IMAGES (attached after this text, in this order)"]
    for number, spec in enumerate(specs, start=1):
        tags = f" (tags: {', '.join(spec.asset_tags)})" if spec.asset_tags else ""
        lines.append(f"{number}. {_ROLE_DESCRIPTION[spec.role]}{tags}")
    return "\n".join(lines)


def _colours(prompt: AdGenerationPrompt) -> str:
    style = prompt.style
    lines = [
        f"COLOURS (colour mode: {style.color_mode})",
        f"- {_COLOR_MODE_MEANING[style.color_mode]}.",
        f"- Palette, most prominent first: {', '.join(style.palette)}.",
        "- Text must contrast strongly with what is behind it.",
    ]
    if style.visual_style:
        lines.append(f"- Visual style: {style.visual_style}.")
    return "\n".join(lines)


def _copy(prompt: AdGenerationPrompt) -> str:
    content = prompt.content
    headline = content.headline
    lines = [
        "TEXT (render exactly as written, correctly spelled; add no other words)",
        f'- Headline{_limit(headline.max_chars)}: "{headline.text}"',
    ]
    if content.subheadline is not None:
        lines.append(f'- Subheadline{_limit(content.subheadline.max_chars)}: "{content.subheadline.text}"')
    if content.cta:
        lines.append(f'- Call-to-action button: "{content.cta}"')
    lines.append(f"- Typeface: {prompt.style.font_family} or a close clean sans-serif.")
    return "\n".join(lines)


def _limit(max_chars: int | None) -> str:
    return f" (at most {max_chars} characters)" if max_chars else ""


def _product(prompt: AdGenerationPrompt) -> str:
    product = prompt.product
    lines = ["PRODUCT", f"- {product.name} by {product.brand_name}."]
    if product.description:
        lines.append(f"- About it: {product.description}")
    if product.current_offer:
        lines.append(f"- Current offer: {product.current_offer}")
    if product.brand_voice:
        lines.append(f"- Brand voice: {product.brand_voice}")
    return "\n".join(lines)


def _layout(prompt: AdGenerationPrompt) -> str:
    analysis = prompt.template_analysis
    lines = []
    if analysis.layout_summary:
        lines.append(f"- {analysis.layout_summary}")
    areas = analysis.text_areas or prompt.asset_context.template_text_areas
    lines.extend(_text_area_line(area) for area in areas)
    lines.extend(f"- Logo area at {_box_percent(region.box)}." for region in analysis.logo_areas)
    lines.extend(f"- Product area at {_box_percent(region.box)}." for region in analysis.product_areas)
    lines.extend(f"- Person area at {_box_percent(region.box)}." for region in analysis.people)
    if prompt.asset_context.logo_placement:
        lines.append(f"- Logo placement: {prompt.asset_context.logo_placement}.")
    if not lines:
        return ""
    return "TEMPLATE LAYOUT (boxes as % of width/height: left, top, right, bottom)\n" + "\n".join(lines)


def _text_area_line(area: TextArea) -> str:
    return f"- {area.role} text at {_box_percent(area.box)}, {area.align}-aligned, up to {area.max_chars} characters."


def _box_percent(box: tuple[float, float, float, float]) -> str:
    return "(" + ", ".join(f"{value * 100:.0f}%" for value in box) + ")"


def _bulleted(title: str, items: list[str]) -> str:
    if not items:
        return ""
    return title + "\n" + "\n".join(f"- {item}" for item in items)


def _compliance(prompt: AdGenerationPrompt) -> str:
    product = prompt.product
    lines = []
    if product.prohibited_claims:
        lines.append("- Never state or imply: " + "; ".join(product.prohibited_claims) + ".")
    for disclaimer in product.required_disclaimers:
        lines.append(f'- Include this disclaimer, small but legible: "{disclaimer}"')
    if not lines:
        return ""
    return "BRAND COMPLIANCE\n" + "\n".join(lines)


def _brief(prompt: AdGenerationPrompt) -> str:
    brief = prompt.ad_brief
    if brief is None:
        return ""
    lines = []
    if brief.persona_name:
        lines.append(f"- Audience: {brief.persona_name}" + (f" (awareness stage {brief.awareness_stage})" if brief.awareness_stage else ""))
    if brief.offer_core_message:
        lines.append(f"- Core message: {brief.offer_core_message}")
    if brief.belief_statement:
        lines.append(f"- Belief to reinforce: {brief.belief_statement}")
    if brief.pain_points:
        lines.append("- Pain points: " + "; ".join(brief.pain_points))
    return ("AUDIENCE\n" + "\n".join(lines)) if lines else ""


def _advisory(prompt: AdGenerationPrompt) -> str:
    """The genome's context: advisory — the model may weigh it, the brief above always wins."""
    context = prompt.performance_context
    if context is None or not (context.advisory_note or context.element_scores):
        return ""
    lines = [context.advisory_note] if context.advisory_note else []
    if context.element_scores:
        lines.append("Leading elements (share of past ads that succeeded): "
                     + "; ".join(f"{name} {score:.0%}" for name, score in context.element_scores))
    if context.winning_combos:
        lines.append("Winning combinations: " + "; ".join(context.winning_combos))
    return "PERFORMANCE CONTEXT (advisory)\n" + "\n".join(f"- {line}" for line in lines)


# -- text-model tasks ---------------------------------------------------------------------

# A model asked for [0, 1] sometimes answers 1.02: a rounding slip worth clamping. Anything
# further out means it used another scale (0-10, percent), which clamping would hide.
SCORE_SLACK = 0.05
_HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


class CongruenceAnswer(BaseModel):
    offer_alignment: float | None = Field(description="0..1, null when no offer/pain points were given")
    hero_alignment: float | None = Field(description="0..1, null when no hero headline was given")
    belief_alignment: float | None = Field(description="0..1, null when no belief statement was given")
    overall_score: float = Field(description="0..1 overall message congruence")
    adapted_headline: str | None = Field(description="a more congruent headline, or null if none is needed")
    reasoning: str = Field(description="one or two sentences")


class HookAnswer(BaseModel):
    headline: str
    subheadline: str


class BoxAnswer(BaseModel):
    x0: float
    y0: float
    x1: float
    y1: float


class TextAreaAnswer(BaseModel):
    role: Literal["headline", "subheadline", "body", "cta", "disclaimer"]
    box: BoxAnswer
    max_chars: int
    align: Literal["left", "center", "right"]


class RegionAnswer(BaseModel):
    box: BoxAnswer
    confidence: float


class PartAnswer(BaseModel):
    kind: PartKind
    box: BoxAnswer


class TemplateElementsAnswer(BaseModel):
    required_assets: list[str]
    optional_assets: list[str]
    text_areas: list[TextAreaAnswer]
    logo_areas: list[RegionAnswer]
    product_areas: list[RegionAnswer]
    people: list[RegionAnswer]
    palette: list[str]
    background: str | None
    # Added later, so an answer without them still parses (as "not known").
    archetype: Archetype | None = None
    parts: list[PartAnswer] = Field(default_factory=list)


CONGRUENCE_SYSTEM = (
    "You are a direct-response copy chief. Score how congruent an ad headline is with the "
    "offer, the landing page hero and the audience's belief, each from 0 (contradicts or "
    "unrelated) to 1 (same promise, same words). Use null for a dimension whose input is "
    "missing. If the headline could be more congruent, propose an adapted headline within "
    "max_chars; otherwise null."
)
HOOK_SYSTEM = (
    "You turn a marketing hook into ad copy for one persona: a headline (within max_chars "
    "when given) and a short supporting subheadline. Keep the hook's angle; no claims the "
    "hook does not make."
)
TEMPLATE_ANALYSIS_SYSTEM = (
    "You analyse an ad template image for reuse. Report every text area (role, box, how many "
    "characters fit at a legible size, alignment), logo areas, product areas and people, "
    "each box as fractions of the image width and height: x0, y0 (top-left) and x1, y1 "
    "(bottom-right), all within 0..1. List required_assets and optional_assets using only "
    f"these words: {', '.join(ASSET_TAGS)}. palette: dominant colours as #rrggbb, most "
    "frequent first; background: the dominant background colour or null. archetype: the "
    f"template's creative structure, one of {', '.join(ARCHETYPES)}, or null; parts: each "
    "structural part with its box, kind one of: " + ", ".join(PART_KINDS) + "."
)


def input_json_text(task: str, payload: BaseModel) -> str:
    """The user turn of a text task: a one-line task, then the input as JSON."""
    return f"{task}\n\nINPUT JSON:\n" + json.dumps(payload.model_dump(mode="json"), indent=2, ensure_ascii=False)


def congruence_result(
    answer: CongruenceAnswer, request: CongruenceRequest, *, provider: str, model: str, usage: Usage
) -> CongruenceResult:
    def score(value: float | None, has_input: bool, name: str) -> float | None:
        # Nothing to compare against is "unknown", whatever the model put there.
        return bounded_score(value, name, provider) if has_input else None

    adapted = (answer.adapted_headline or "").strip() or None
    if adapted and request.max_chars and len(adapted) > request.max_chars:
        raise MalformedResponseError(
            f"adapted headline is {len(adapted)} characters, limit {request.max_chars}", provider=provider
        )
    overall = bounded_score(answer.overall_score, "overall_score", provider)
    return CongruenceResult(
        offer_alignment=score(answer.offer_alignment, bool(request.offer_core_message or request.pain_points), "offer_alignment"),
        hero_alignment=score(answer.hero_alignment, bool(request.hero_headline), "hero_alignment"),
        belief_alignment=score(answer.belief_alignment, bool(request.belief_statement), "belief_alignment"),
        overall_score=overall if overall is not None else 0.0,
        adapted_headline=adapted,
        reasoning=answer.reasoning.strip(),
        model=model,
        usage=usage,
    )


def bounded_score(value: float | None, name: str, provider: str, *, top: float = 1.0, slack: float = SCORE_SLACK) -> float | None:
    """`value` clamped into 0..top when it strays by at most `slack`; further out is malformed."""
    if value is None:
        return None
    if not -slack <= value <= top + slack:
        raise MalformedResponseError(f"{name}={value} is outside 0..{top:g}", provider=provider)
    return min(top, max(0.0, value))


def hook_result(
    answer: HookAnswer, request: HookAdaptationRequest, *, provider: str, model: str, usage: Usage
) -> HookAdaptationResult:
    headline = answer.headline.strip()
    if not headline:
        raise MalformedResponseError("adapted headline is empty", provider=provider)
    if request.max_chars and len(headline) > request.max_chars:
        # Retryable on purpose: a second answer usually respects the limit.
        raise MalformedResponseError(
            f"headline is {len(headline)} characters, limit {request.max_chars}", provider=provider
        )
    return HookAdaptationResult(headline=headline, subheadline=answer.subheadline.strip(), model=model, usage=usage)


def template_elements(answer: TemplateElementsAnswer, *, detector: str) -> TemplateElements:
    """Convert a model's answer, dropping what is invalid and saying so in `not_detected`."""
    gaps: list[str] = []

    def box_or_none(where: str, box: BoxAnswer) -> tuple[float, float, float, float] | None:
        values = (box.x0, box.y0, box.x1, box.y1)
        if 0.0 <= box.x0 < box.x1 <= 1.0 and 0.0 <= box.y0 < box.y1 <= 1.0:
            return values
        gaps.append(f"{where}: invalid box {values} dropped")
        return None

    text_areas = []
    for index, area in enumerate(answer.text_areas):
        box = box_or_none(f"text_areas[{index}] ({area.role})", area.box)
        if box is not None:
            text_areas.append(
                TextArea(role=area.role, box=box, max_chars=min(400, max(1, area.max_chars)), align=area.align)
            )

    def regions(name: str, found: list[RegionAnswer]) -> list[Region]:
        kept = []
        for index, region in enumerate(found):
            box = box_or_none(f"{name}[{index}]", region.box)
            if box is not None:
                kept.append(Region(box=box, confidence=min(1.0, max(0.0, region.confidence))))
        return kept

    def tags(name: str, words: list[str]) -> list[str]:
        kept = []
        for word in (w.strip().lower() for w in words):
            if word in ASSET_TAGS and word not in kept:
                kept.append(word)
            elif word not in ASSET_TAGS:
                gaps.append(f"{name}: unknown asset tag {word!r} dropped")
        return kept

    palette = [colour.lower() for colour in answer.palette if _HEX_COLOUR.match(colour)]
    if len(palette) < len(answer.palette):
        gaps.append("palette: entries that are not #rrggbb dropped")
    background = answer.background.lower() if answer.background and _HEX_COLOUR.match(answer.background) else None
    parts = []
    for index, part in enumerate(answer.parts):
        box = box_or_none(f"parts[{index}] ({part.kind})", part.box)
        if box is not None:
            parts.append(TemplatePart(kind=part.kind, box=box))
    return TemplateElements(
        archetype=answer.archetype,
        parts=parts,
        required_assets=tags("required_assets", answer.required_assets),
        optional_assets=tags("optional_assets", answer.optional_assets),
        text_areas=text_areas,
        logo_areas=regions("logo_areas", answer.logo_areas),
        product_areas=regions("product_areas", answer.product_areas),
        people=regions("people", answer.people),
        palette=palette,
        background=background,
        not_detected=gaps,
        detector=detector,
    )
