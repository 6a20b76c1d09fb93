"""Asset-aware prompt rules (spec section 3): what the template needs versus what the brand has.

`build_asset_context` compares a template's detected elements with the brand's tagged assets
and turns every gap into one explicit instruction for the image model. Each rule has an id
(`AssetRuleId`) and its own wording function, so a test or a reviewer can point at the rule
that produced a sentence. Pure: no Django, no I/O.

Decisions the spec leaves open:
- A *required* "logo" asset makes the logo mandatory ("must"); a logo area that the template
  shows without requiring it is optional ("may"). Only the required case sets
  `template_requires_logo`.
- A required asset is satisfied by any available tag that starts with it, matching the spec's
  `t.startswith("logo")` for logos, so "logo_dark" satisfies "logo".
- A template that was never analysed (`elements is None`) gets a single instruction to read the
  layout from the reference image and no match score; the brand facts (has a logo, person
  image count) are still filled in because they do not depend on the analysis.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from adcreator.prompts.copyfit import fit_chars
from adcreator.prompts.elements import Region, TemplateElements, TextArea
from adcreator.prompts.models import AssetContext

Box = tuple[float, float, float, float]


class AssetRuleId(StrEnum):
    LAYOUT_FROM_REFERENCE = "layout_from_reference"
    LOGO_AREA_WITHOUT_LOGO = "logo_area_without_logo"
    PLACE_SUPPLIED_LOGO = "place_supplied_logo"
    PERSON_WITHOUT_PERSON_IMAGES = "person_without_person_images"
    TEXT_CHAR_LIMIT = "text_char_limit"
    TEXT_PLACEMENT = "text_placement"
    MISSING_ASSET = "missing_asset"


class FiredRule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    rule_id: AssetRuleId
    instruction: str


# Assets with a rule of their own; the generic "missing asset" rule would only repeat them.
_ASSETS_WITH_DEDICATED_RULES = ("logo", "person")

_ROLE_LABELS = {
    "headline": "Headline",
    "subheadline": "Subheadline",
    "body": "Body text",
    "cta": "Call to action",
    "disclaimer": "Disclaimer",
}

# A box at least this wide reads as a band across the canvas, not as left/centre/right.
_FULL_WIDTH_FRACTION = 0.8


# ---------------------------------------------------------------------------- geometry words


def describe_position(box: Box) -> str:
    """Name where a fractional box sits: "top-left", "center", "bottom band", ..."""
    x0, y0, x1, y1 = box
    vertical = _third((y0 + y1) / 2, ("top", "middle", "bottom"))
    if x1 - x0 >= _FULL_WIDTH_FRACTION:
        return f"{vertical} band"
    horizontal = _third((x0 + x1) / 2, ("left", "center", "right"))
    if (vertical, horizontal) == ("middle", "center"):
        return "center"
    return f"{vertical}-{horizontal}"


def describe_extent(box: Box) -> str:
    """The box in percent of the canvas, which survives re-projection onto any size."""
    x0, y0, x1, y1 = box
    return (
        f"{_percent(x0)}–{_percent(x1)}% of the width and "
        f"{_percent(y0)}–{_percent(y1)}% of the height"
    )


def _third(value: float, names: tuple[str, str, str]) -> str:
    if value < 1 / 3:
        return names[0]
    if value < 2 / 3:
        return names[1]
    return names[2]


def _percent(fraction: float) -> int:
    return round(fraction * 100)


def logo_placement(logo_areas: list[Region]) -> str | None:
    # The first area is the detector's most confident one; a second logo is rarely wanted.
    return describe_position(logo_areas[0].box) if logo_areas else None


# ---------------------------------------------------------------------------- text limits

# Kept for callers that test for it: no text this module returns ends in it any more.
ELLIPSIS = "…"


def enforce_char_limit(text: str, max_chars: int) -> str:
    """Shorten `text` to at most `max_chars` characters at a phrase boundary, never with "…".

    Whitespace is collapsed first; text that fits is returned unchanged. Otherwise the text
    is cut at the longest phrase boundary that fits (a sentence end keeps its mark; a
    clause mark or a connective such as "with" is where a phrase ends, and the mark is
    dropped) so no cut ends on a colon, a comma or a dangling small word. When no phrase
    fits, whole words are kept up to the last one that ends cleanly; only a first word
    longer than the limit is cut inside the word. See `copyfit`.
    """
    return fit_chars(text, max_chars)


# ---------------------------------------------------------------------------- rule wording


def layout_from_reference_instruction(headline_max_chars: int | None) -> str:
    instruction = (
        "This template's layout has not been analysed: read the layout, the text positions and "
        "any logo placement from the reference template image and follow them."
    )
    if headline_max_chars is not None:
        instruction += f" Keep the headline to at most {headline_max_chars} characters."
    return instruction


def logo_area_without_logo_instruction(placement: str | None, brand_name: str, *, required: bool) -> str:
    area = f"the logo area ({placement})" if placement else "the area where the template shows its logo"
    if required:
        return (
            f"The layout needs a brand mark in {area} but no logo is supplied: set the brand name "
            f'"{brand_name}" there as a simple text wordmark; do not invent a logo.'
        )
    return (
        f'Leave {area} empty or set the brand name "{brand_name}" as a text wordmark there; '
        "do not invent a logo."
    )


def place_supplied_logo_instruction(placement: str | None, *, required: bool) -> str:
    where = f"in the logo area ({placement})" if placement else "where the template shows its logo"
    necessity = "it must appear" if required else "do not add a second logo elsewhere"
    return (
        f"Place the supplied logo {where} exactly as given: unaltered shape, colours and "
        f"proportions; {necessity}."
    )


def person_without_person_images_instruction() -> str:
    return (
        "Use a product-only composition: omit the person shown in the template and give the "
        "product the space the person occupied; do not invent a person."
    )


def text_char_limit_instruction(area: TextArea) -> str:
    label = _ROLE_LABELS[area.role]
    return f"{label} at most {area.max_chars} characters, in the {describe_position(area.box)} area."


def headline_hint_instruction(max_chars: int) -> str:
    return f"Headline at most {max_chars} characters."


def text_placement_instruction(area: TextArea) -> str:
    label = _ROLE_LABELS[area.role].lower()
    return (
        f"Place the {label} within {describe_extent(area.box)} of the canvas, "
        f"{area.align}-aligned, and nowhere else."
    )


def missing_asset_instruction(asset: str) -> str:
    return f"No {asset} image is available; compose without it and do not invent one."


# ---------------------------------------------------------------------------- the rules


def tag_satisfies(required_asset: str, available_tags: set[str]) -> bool:
    return any(tag.startswith(required_asset) for tag in available_tags)


def fire_asset_rules(
    *,
    elements: TemplateElements | None,
    available_tags: set[str],
    person_image_count: int,
    brand_name: str,
    headline_max_chars_hint: int | None = None,
) -> list[FiredRule]:
    """Every rule that applies, in a fixed order: logo, person, text, other missing assets.

    `headline_max_chars_hint` is the caller's headline limit for when the template gives none
    (never analysed, or no headline area detected); a detected headline area always wins.
    """
    if elements is None:
        instruction = layout_from_reference_instruction(headline_max_chars_hint)
        return [FiredRule(rule_id=AssetRuleId.LAYOUT_FROM_REFERENCE, instruction=instruction)]

    fired: list[FiredRule] = []
    logo_required = template_requires_logo(elements)
    placement = logo_placement(elements.logo_areas)
    if logo_required or elements.logo_areas:
        if brand_has_logo(available_tags):
            instruction = place_supplied_logo_instruction(placement, required=logo_required)
            fired.append(FiredRule(rule_id=AssetRuleId.PLACE_SUPPLIED_LOGO, instruction=instruction))
        else:
            instruction = logo_area_without_logo_instruction(placement, brand_name, required=logo_required)
            fired.append(FiredRule(rule_id=AssetRuleId.LOGO_AREA_WITHOUT_LOGO, instruction=instruction))

    if template_requires_person(elements) and person_image_count == 0:
        fired.append(
            FiredRule(
                rule_id=AssetRuleId.PERSON_WITHOUT_PERSON_IMAGES,
                instruction=person_without_person_images_instruction(),
            )
        )

    for area in elements.text_areas:
        fired.append(FiredRule(rule_id=AssetRuleId.TEXT_CHAR_LIMIT, instruction=text_char_limit_instruction(area)))
    has_headline_area = any(area.role == "headline" for area in elements.text_areas)
    if headline_max_chars_hint is not None and not has_headline_area:
        instruction = headline_hint_instruction(headline_max_chars_hint)
        fired.append(FiredRule(rule_id=AssetRuleId.TEXT_CHAR_LIMIT, instruction=instruction))
    for area in elements.text_areas:
        fired.append(FiredRule(rule_id=AssetRuleId.TEXT_PLACEMENT, instruction=text_placement_instruction(area)))

    for asset in missing_assets(elements, available_tags):
        if any(dedicated in asset for dedicated in _ASSETS_WITH_DEDICATED_RULES):
            continue
        fired.append(FiredRule(rule_id=AssetRuleId.MISSING_ASSET, instruction=missing_asset_instruction(asset)))
    return fired


def template_requires_logo(elements: TemplateElements) -> bool:
    return any("logo" in asset for asset in elements.required_assets)


def template_requires_person(elements: TemplateElements) -> bool:
    return any("person" in asset for asset in elements.required_assets) or bool(elements.people)


def brand_has_logo(available_tags: set[str]) -> bool:
    return any(tag.startswith("logo") for tag in available_tags)


def missing_assets(elements: TemplateElements, available_tags: set[str]) -> list[str]:
    """Required assets nothing available satisfies, in the template's order, without repeats."""
    required = list(dict.fromkeys(elements.required_assets))
    return [asset for asset in required if not tag_satisfies(asset, available_tags)]


def asset_match_score(elements: TemplateElements | None, available_tags: set[str]) -> float | None:
    """Share of required assets satisfied: 1.0 when nothing is required, None when never analysed."""
    if elements is None:
        return None
    required = list(dict.fromkeys(elements.required_assets))
    if not required:
        return 1.0
    satisfied = sum(1 for asset in required if tag_satisfies(asset, available_tags))
    return satisfied / len(required)


def build_asset_context(
    *,
    elements: TemplateElements | None,
    available_tags: set[str],
    person_image_count: int,
    brand_name: str,
    headline_max_chars_hint: int | None = None,
) -> AssetContext:
    """The prompt's `AssetContext`: the template's needs, the brand's gaps, and what to do."""
    if person_image_count < 0:
        raise ValueError("person_image_count must not be negative")
    fired = fire_asset_rules(
        elements=elements,
        available_tags=available_tags,
        person_image_count=person_image_count,
        brand_name=brand_name,
        headline_max_chars_hint=headline_max_chars_hint,
    )
    instructions = [rule.instruction for rule in fired]
    if elements is None:
        return AssetContext(
            brand_has_logo=brand_has_logo(available_tags),
            available_person_images=person_image_count,
            asset_instructions=instructions,
        )
    return AssetContext(
        template_requires_logo=template_requires_logo(elements),
        brand_has_logo=brand_has_logo(available_tags),
        template_requires_person=template_requires_person(elements),
        available_person_images=person_image_count,
        logo_placement=logo_placement(elements.logo_areas),
        template_text_areas=list(elements.text_areas),
        missing_assets=missing_assets(elements, available_tags),
        asset_match_score=asset_match_score(elements, available_tags),
        asset_instructions=instructions,
    )
