"""Product hero and offer: the product large, the headline, and for an offer its burst.

A hero stands the product in front of a soft arch (stacked) or a colour block (columns);
an offer puts the discount in a starburst over the product's shoulder, on a diagonal band.
"""

from __future__ import annotations

from PIL import ImageDraw

from adcreator.prompts import palette as pal
from adcreator.providers.local import paint
from adcreator.providers.local.archetypes import blocks as b
from adcreator.providers.local.archetypes.compose import Arrangement, Hints, arrange, paint_blocks, use_columns
from adcreator.providers.local.canvas import Kit
from adcreator.providers.local.layout import PixelBox
from adcreator.providers.local.typeset import TextStyle



BURST_SIDE = (0.2, 0.26)  # the offer burst's diameter, of the short side


def copy_align(kit: Kit, hints: Hints) -> str:
    return hints.align if use_columns(kit, hints) else "center"


def colour_block(kit: Kit, arrangement: Arrangement, hints: Hints) -> None:
    """Columns: the visual's side of the canvas in the stage colour, edge to edge."""
    column = arrangement.visual_column
    if column is None:
        return
    gutter = round(0.025 * kit.frame.short)
    if hints.visual_side == "left":
        block = PixelBox(0, 0, column.x1 + gutter, kit.frame.height)
    else:
        block = PixelBox(column.x0 - gutter, 0, kit.frame.width, kit.frame.height)
    ImageDraw.Draw(kit.image).rectangle(block.as_tuple(), fill=kit.colors.stage)


def arch(kit: Kit, visual: PixelBox) -> None:
    """Stacked: a tall rounded arch behind the product, standing on the canvas's floor."""
    aspect = kit.product_aspect() or 0.6
    product_w = min(visual.width, visual.height * aspect)
    width = min(kit.frame.width * 0.86, max(product_w * 1.6, visual.height * 0.62))
    cx = visual.center[0]
    top = visual.y0 + visual.height * 0.08
    box = PixelBox(round(cx - width / 2), round(top), round(cx + width / 2), kit.frame.height + round(width / 2))
    paint.rounded_panel(kit.image, box, kit.colors.stage, width / 2)


def compose_hero(kit: Kit, hints: Hints) -> Arrangement:
    align = copy_align(kit, hints)
    blocks = [b.logo(kit, align), b.headline(kit, align),
              b.subheadline(kit, align), b.cta(kit, align)]
    visual = b.product_visual(kit, "product_hero", badge=True)
    arrangement = arrange(kit, blocks, visual, hints)
    if arrangement.strategy == "side_by_side":
        colour_block(kit, arrangement, hints)
    elif "visual" in arrangement.boxes:
        arch(kit, arrangement.boxes["visual"])
    paint_blocks(kit, arrangement)
    return arrangement


# ---------------------------------------------------------------------------- offer


def diagonal_band(kit: Kit, visual: PixelBox) -> None:
    """A band across the canvas behind the product, rising to the right."""
    width, height = kit.frame.width, kit.frame.height
    middle = visual.y0 + visual.height * 0.62
    rise = 0.09 * width
    thickness = max(visual.height * 0.42, 0.16 * height)
    polygon = [(0, middle + rise), (width, middle - rise), (width, middle - rise + thickness), (0, middle + rise + thickness)]
    ImageDraw.Draw(kit.image).polygon(polygon, fill=kit.colors.stage)


def _burst_room(kit: Kit, box: PixelBox) -> tuple[int, int]:
    """Room kept free for the burst, so the sticker never covers the product: beside it when
    the visual spans the canvas, above it in a narrow column (pixels beside, pixels above)."""
    side = round((BURST_SIDE[1] + 0.02) * kit.frame.short)
    aspect = kit.product_aspect() or 0.6
    if box.width - side >= 0.8 * box.height * aspect:  # a full-height product still fits beside it
        return side, 0
    return 0, side if box.height - side >= 0.5 * box.width / aspect else 0


def _burst_box(kit: Kit, product: PixelBox, side: int) -> PixelBox:
    """Beside the product's shoulder, clear of it and of the copy: the product reads whole (a
    sticker over it would change its silhouette); overlapping its corner only as a last resort."""
    area = kit.frame.text_safe
    gap = round(0.015 * kit.frame.short)
    top = max(area.y0, product.y0 + round(product.height * 0.08))
    taken = [PixelBox(*box) for box in kit.outcome.content_boxes if box != product.as_tuple()]
    above = max(area.y0, product.y0 - gap - side)
    candidates = [PixelBox(product.x1 + gap, top, product.x1 + gap + side, top + side),
                  PixelBox(min(area.x1 - side, product.x1 - side // 2), above, min(area.x1 - side, product.x1 - side // 2) + side, above + side),
                  PixelBox(product.x0 - gap - side, top, product.x0 - gap, top + side),
                  PixelBox(product.x1 - side // 3, max(area.y0, product.y0 - side // 2), product.x1 - side // 3 + side,
                           max(area.y0, product.y0 - side // 2) + side)]
    for box in candidates:
        inside = area.x0 <= box.x0 and box.x1 <= area.x1 and area.y0 <= box.y0 and box.y1 <= area.y1
        if inside and not any(_overlaps(box, other) for other in taken):
            return box
    x0 = min(area.x1 - side, max(area.x0, product.x1 - side // 2))
    return PixelBox(x0, top, x0 + side, top + side)


def _overlaps(a: PixelBox, b: PixelBox) -> bool:
    return a.x0 < b.x1 and b.x0 < a.x1 and a.y0 < b.y1 and b.y0 < a.y1


def draw_burst(kit: Kit, product: PixelBox) -> None:
    burst = kit.plan.burst
    if burst is None:
        return
    short = kit.frame.short
    side = round(max(BURST_SIDE[0] * short, min(BURST_SIDE[1] * short, 0.5 * product.height)))
    box = _burst_box(kit, product, side)
    fill = kit.colors.accent
    ink = pal.best_text_color(fill)
    paint.burst(kit.image, box, pal.mix(fill, "#000000", 0.3), points=18, depth=0.08, rotation=0.1)
    inner = PixelBox(box.x0 - 0, box.y0 - round(side * 0.03), box.x1, box.y1 - round(side * 0.03))
    paint.burst(kit.image, inner, fill, points=18, depth=0.08, rotation=0.1)
    text_box = inner.inset(side * 0.17, side * 0.2)
    big_style = TextStyle(kit.font, "Black", max(12, round(0.03 * short)), round(side * 0.3), 0.98, max_lines=2, balance=True)
    if burst.small:
        big_box, small_box = text_box.split_y(0.62, round(side * 0.02))
        kit.text("burst", burst.big, big_style, big_box, valign="bottom", color=ink, on=fill)
        small_style = TextStyle(kit.font, "Bold", max(11, round(0.016 * short)), round(side * 0.1), 1.05, max_lines=2, balance=True)
        kit.text("burst_small", burst.small, small_style, small_box, valign="top", color=ink, on=fill)
    else:
        kit.text("burst", burst.big, big_style, text_box, color=ink, on=fill)
    kit.part("offer_burst", box)


def compose_offer(kit: Kit, hints: Hints) -> Arrangement:
    align = copy_align(kit, hints)
    blocks = [b.logo(kit, align), b.headline(kit, align),
              b.subheadline(kit, align), b.cta(kit, align)]
    visual = b.product_visual(kit, "offer", reserve=_burst_room if kit.plan.burst else None)
    arrangement = arrange(kit, blocks, visual, hints)
    if arrangement.strategy == "side_by_side":
        colour_block(kit, arrangement, hints)
    elif "visual" in arrangement.boxes:
        diagonal_band(kit, arrangement.boxes["visual"])
    paint_blocks(kit, arrangement)
    if kit.outcome.product_box is not None:  # last, so it can keep clear of everything else
        draw_burst(kit, PixelBox(*kit.outcome.product_box))
    return arrangement

