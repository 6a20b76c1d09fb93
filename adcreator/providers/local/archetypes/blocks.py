"""The building blocks archetypes are composed of: each knows its height for a width (a
stack item) and how to paint itself into the box the stack gives it.

Type sizes are fractions of the canvas's short side, so a 1080 px canvas gets headlines of
at most ~110 px and never below ~34 px (still legible on a phone feed).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from adcreator.prompts import palette as pal
from adcreator.providers.local import paint
from adcreator.providers.local.canvas import Kit
from adcreator.providers.local.layout import Item, PixelBox, solve_stack
from adcreator.providers.local.typeset import TextStyle

HEADLINE_SIZE = (0.032, 0.1)
QUOTE_SIZE = (0.03, 0.082)
SUBHEADLINE_SIZE = (0.024, 0.044)
SMALL_SIZE = (0.02, 0.032)
DISCLAIMER_SIZE = (0.0135, 0.0165)
GAP = 0.028  # between blocks, of the short side
# The product's minimum extent in each archetype: its longer side as a share of the canvas's
# geometric mean side, sqrt(width x height), so one number means the same visual weight on
# every shape (1080 px on 1:1, ~1440 px on 9:16 and 16:9). A hero is about the product; in a
# comparison it heads a column.
MIN_PRODUCT_EXTENT: dict[str, float] = {
    "product_hero": 0.5, "offer": 0.45, "benefits": 0.42, "testimonial": 0.38, "ugc": 0.34, "story": 0.36,
    "before_after": 0.22, "comparison": 0.14, "comparison_product": 0.34,
}


@dataclass
class Block:
    """A stack item plus how to paint it. `draw(kit, box, scale)`."""

    key: str
    item: Callable[[Kit], Item]
    draw: Callable[[Kit, PixelBox, float], None]
    is_visual: bool = False
    is_text: bool = True  # kept out of the 9:16 interface zones
    optional: bool = False  # left out first when the canvas cannot hold everything


def _gap(kit: Kit, factor: float = 1.0) -> int:
    return round(GAP * factor * kit.frame.short)


def text_block(key: str, text: str | None, style_of: Callable[[Kit], TextStyle], *, role: str | None = None,
               align: str = "center", valign: str = "center", color: Callable[[Kit], str] | None = None,
               on: Callable[[Kit], str] | None = None, gap: float = 1.0, part: str | None = None) -> Block | None:
    if not text:
        return None
    role = role or key

    def item(kit: Kit) -> Item:
        return Item(key, measure=kit.measurer(text, style_of(kit)), gap_after=_gap(kit, gap))

    def draw(kit: Kit, box: PixelBox, scale: float) -> None:
        drawn = kit.text(role, text, style_of(kit), box, align=align, valign=valign, scale=scale,
                         color=color(kit) if color else None, on=on(kit) if on else None)
        if part and drawn.ink_box is not None:
            kit.part(part, drawn.ink_box)

    return Block(key, item, draw)


def headline_style(kit: Kit) -> TextStyle:
    return kit.style("Black", HEADLINE_SIZE, 1.06, max_lines=4, balance=True)


def subheadline_style(kit: Kit) -> TextStyle:
    return kit.style("Regular", SUBHEADLINE_SIZE, 1.24, max_lines=3, balance=True)


def small_style(kit: Kit, weight: str = "Bold") -> TextStyle:
    return kit.style(weight, SMALL_SIZE, 1.2, max_lines=2)


def headline(kit: Kit, align: str, valign: str = "center") -> Block | None:
    return text_block("headline", kit.plan.headline, headline_style, align=align, valign=valign, gap=0.8)


def subheadline(kit: Kit, align: str) -> Block | None:
    block = text_block("subheadline", kit.plan.subheadline, subheadline_style, align=align, color=lambda k: k.colors.ink)
    if block is not None:
        block.optional = True
    return block


def logo(kit: Kit, align: str) -> Block | None:
    """The logo, where the template has one: a template without a logo area gets none."""
    if not kit.hints_logo:
        return None
    def item(k: Kit) -> Item:
        return Item("logo", height=round(0.1 * k.frame.short), gap_after=_gap(k, 1.1), width=round(0.42 * k.frame.short))

    def draw(k: Kit, box: PixelBox, scale: float) -> None:
        k.logo(box, align)

    return Block("logo", item, draw)


def cta(kit: Kit, align: str) -> Block | None:
    if not kit.plan.cta:
        return None

    def item(k: Kit) -> Item:
        return Item("cta", height=k.cta_height() + round(0.01 * k.frame.short), gap_after=_gap(k))

    def draw(k: Kit, box: PixelBox, scale: float) -> None:
        k.cta(box, align)

    return Block("cta", item, draw)


def disclaimer(kit: Kit) -> Block | None:
    text = "  ·  ".join(d.strip() for d in kit.prompt.product.required_disclaimers if d.strip())
    if not text:
        return None
    style_of = lambda k: TextStyle(k.font, "Regular", max(11, round(DISCLAIMER_SIZE[0] * k.frame.short)),  # noqa: E731
                                   max(12, round(DISCLAIMER_SIZE[1] * k.frame.short)), 1.25, max_lines=3)

    def item(k: Kit) -> Item:
        return Item("disclaimer", measure=lambda width, scale: k.measurer(text, style_of(k))(width, 1.0), gap_after=0)

    def draw(k: Kit, box: PixelBox, scale: float) -> None:
        # Small print in the full ink: antialiasing pales type this small, muted ink would fail AA.
        k.text("disclaimer", text, style_of(k), box, align="center", color=k.colors.ink)

    return Block("disclaimer", item, draw)


def spacer(key: str, factor: float) -> Block:
    return Block(key, lambda k: Item(key, height=0, gap_after=_gap(k, factor)), lambda k, b, s: None, is_text=False)


def product_visual(kit: Kit, archetype: str, *, max_height: float = 1.0, badge: bool = False,
                   after: Callable[[Kit, PixelBox], None] | None = None, valign: str = "bottom",
                   reserve: Callable[[Kit, PixelBox], tuple[int, int]] | None = None) -> Block:
    """The product as the flexible visual: at least its archetype's minimum extent, as large
    as the room allows up to `max_height` of the canvas height."""
    extent = MIN_PRODUCT_EXTENT[archetype]

    def item(k: Kit) -> Item:
        aspect = k.product_aspect() or 0.6
        side = extent * (k.frame.width * k.frame.height) ** 0.5
        minimum = min(round(side if aspect <= 1 else side / aspect), round(0.8 * k.frame.height))
        return Item("visual", flex_min=minimum, flex_max=round(max_height * k.frame.height), gap_after=_gap(k), aspect=aspect)

    def draw(k: Kit, box: PixelBox, scale: float) -> None:
        beside, above = reserve(k, box) if reserve else (0, 0)
        placed = k.product(box, valign=valign, beside=beside, above=above)
        if placed is not None and badge:  # set last (paint_blocks), clear of everything else
            k.badge_wanted = (placed, round(0.24 * min(placed.width * 1.6, placed.height)))
        if placed is not None and after is not None:
            after(k, placed)

    return Block("visual", item, draw, is_visual=True, is_text=False)


@dataclass
class Card:
    """Blocks painted on a rounded card (a review, a post): the card is one stack item."""

    key: str
    blocks: list[Block]
    colour: Callable[[Kit], str]
    pad: float = 0.05  # of the short side
    part: str | None = None
    gap_after: float = 1.0
    inner: list[Item] = field(default_factory=list)

    def block(self) -> Block:
        def item(k: Kit) -> Item:
            pad = round(self.pad * k.frame.short)

            def measure(width: int, scale: float) -> int:
                total = 0
                items = [b.item(k) for b in self.blocks]
                for index, sub in enumerate(items):
                    height = sub.measure(width - 2 * pad, scale) if sub.measure else sub.height
                    total += height + (sub.gap_after if index < len(items) - 1 else 0)
                return total + 2 * pad

            return Item(self.key, measure=measure, gap_after=_gap(k, self.gap_after))

        def draw(k: Kit, box: PixelBox, scale: float) -> None:
            pad = round(self.pad * k.frame.short)
            colour = self.colour(k)
            shadow = pal.mix(k.colors.background, "#000000", 0.45)
            paint.rounded_panel(k.image, box, colour, 0.035 * k.frame.short, shadow=shadow)
            if self.part:
                k.part(self.part, box)
            else:
                k.content(box)
            inner = box.inset(pad)
            items = [b.item(k) for b in self.blocks]
            result = solve_stack(items, inner, valign="center", scale=scale)
            for sub in self.blocks:
                sub.draw(k, result.boxes[sub.key], scale)

        return Block(self.key, item, draw)


def on_card(kit: Kit) -> str:
    return kit.colors.card_ink


def card_colour(kit: Kit) -> str:
    return kit.colors.card
