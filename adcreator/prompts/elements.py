"""The shape of `ScrapedTemplate.template_elements`: what element detection found in a template.

Shared by detection (which writes it), template scoring (which reads `required_assets`),
prompt construction (asset rules) and the local renderer (which lays out an ad from it).
Boxes are fractions of the template's width and height, `(x0, y0, x1, y1)` with
0 <= x0 < x1 <= 1, so a layout can be re-projected onto any canvas size.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

# The asset vocabulary. Product images and brand assets are tagged with these words, and a
# template's required/optional assets use the same words, so matching is a set intersection.
ASSET_TAGS: tuple[str, ...] = (
    "product",  # the product itself, clearly visible
    "packshot",  # product on a clean background, suitable for cut-out
    "lifestyle",  # product in use / in a scene
    "person",  # a human in the frame
    "hand",  # a hand holding or using the product
    "texture",  # close-up of texture / ingredient
    "logo",  # the brand's logo
    "badge",  # a seal / award / guarantee badge
)

TextRole = Literal["headline", "subheadline", "body", "cta", "disclaimer"]

# The creative idea a template carries, beyond where its text and product sit. A renderer
# (or an image model) that knows it can rebuild the idea with the brand's own material.
Archetype = Literal[
    "testimonial",  # a customer quote with stars and the reviewer's name
    "ugc",  # a social post or comment: avatar, handle, the comment in a bubble
    "comparison",  # "us" vs "them": two columns of ticks and crosses
    "before_after",  # two panels, labelled before and after
    "benefits",  # a list of benefits, each with an icon
    "offer",  # the offer in a price or discount burst
    "product_hero",  # the product large, a headline, little else
    "story",  # a full-screen story frame: progress bars, a handle, captions in bubbles
]
ARCHETYPES: tuple[str, ...] = Archetype.__args__
PartKind = Literal[
    "quote", "stars", "reviewer",  # testimonial
    "avatar", "handle", "comment_bubble",  # ugc (and story)
    "story_bars",  # story
    "column_us", "column_them", "tick", "cross",  # comparison
    "panel_before", "panel_after", "panel_label",  # before/after
    "benefit", "icon",  # benefits
    "offer_burst",  # offer: a price or discount in a burst, disc or pill
]
PART_KINDS: tuple[str, ...] = PartKind.__args__
# The parts that make each archetype recognisable: what a renderer must draw for it.
ARCHETYPE_PARTS: dict[str, tuple[str, ...]] = {
    "testimonial": ("quote", "stars", "reviewer"),
    "ugc": ("avatar", "handle", "comment_bubble"),
    "story": ("story_bars", "avatar", "handle", "comment_bubble"),
    "comparison": ("column_us", "column_them", "tick", "cross"),
    "before_after": ("panel_before", "panel_after", "panel_label"),
    "benefits": ("benefit", "icon"),
    "offer": ("offer_burst",),
    "product_hero": (),
}

def _check_box(box: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    x0, y0, x1, y1 = box
    if not (0.0 <= x0 < x1 <= 1.0 and 0.0 <= y0 < y1 <= 1.0):
        raise ValueError(f"box {box} must satisfy 0 <= x0 < x1 <= 1 and 0 <= y0 < y1 <= 1")
    return box


Box = Annotated[tuple[float, float, float, float], AfterValidator(_check_box)]


class TextArea(BaseModel):
    model_config = ConfigDict(extra="ignore")

    role: TextRole
    box: Box
    # Characters that fit at a legible size; detection estimates it from the box size.
    max_chars: int = Field(ge=1, le=400)
    align: Literal["left", "center", "right"] = "center"


class Region(BaseModel):
    model_config = ConfigDict(extra="ignore")

    box: Box
    confidence: float = Field(default=1.0, ge=0.0, le=1.0)


class TemplatePart(BaseModel):
    """One structural part of the template (a star row, a tick, a panel), where it is."""

    model_config = ConfigDict(extra="ignore")

    kind: PartKind
    box: Box
    # The template's own words in the part, when known ("BEFORE", "Melatonin gummies").
    text: str = ""
    confidence: float = Field(default=1.0, ge=0.0, le=1.0)


class TemplateElements(BaseModel):
    """What a template contains. An empty instance means "analysed, nothing found"."""

    model_config = ConfigDict(extra="ignore")

    required_assets: list[str] = Field(default_factory=list)
    optional_assets: list[str] = Field(default_factory=list)
    text_areas: list[TextArea] = Field(default_factory=list)
    logo_areas: list[Region] = Field(default_factory=list)
    product_areas: list[Region] = Field(default_factory=list)
    people: list[Region] = Field(default_factory=list)
    # Dominant colours of the template, most frequent first, as "#rrggbb".
    palette: list[str] = Field(default_factory=list)
    # Background colour behind the layout, "#rrggbb", when one dominates.
    background: str | None = None
    # What the detector could not determine (e.g. "people" for a pixel heuristic):
    # honest gaps, so nobody mistakes "not looked for" for "not there".
    not_detected: list[str] = Field(default_factory=list)
    detector: str = ""
    # The template's structure (added later: stored elements without it still parse, as
    # "not known" rather than as any archetype).
    archetype: Archetype | None = None
    parts: list[TemplatePart] = Field(default_factory=list)

    def to_json(self) -> dict:
        return self.model_dump(mode="json")
