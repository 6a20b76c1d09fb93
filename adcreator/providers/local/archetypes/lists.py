"""The archetypes that list: benefits (each with a tick icon) and a comparison table
("us" against "them", ticks and crosses). Rows come from the product's own description.
"""

from __future__ import annotations

from PIL import ImageDraw

from adcreator.prompts import palette as pal
from adcreator.providers.local import paint
from adcreator.providers.local.archetypes import blocks as b
from adcreator.providers.local.archetypes.compose import Arrangement, Hints, arrange, paint_blocks, use_columns
from adcreator.providers.local.archetypes.hero import colour_block
from adcreator.providers.local.canvas import Kit
from adcreator.providers.local.layout import Item, PixelBox
from adcreator.providers.local.typeset import TextStyle

MAX_ROWS = 4


def _row_style(kit: Kit) -> TextStyle:
    return kit.style("Bold", (0.026, 0.046), 1.14, max_lines=2)


def _icon_side(kit: Kit, scale: float = 1.0) -> int:
    return round(0.062 * kit.frame.short * min(1.15, scale))


def benefit_list(kit: Kit) -> b.Block | None:
    rows = kit.plan.benefits[:MAX_ROWS]
    if not rows:
        return None

    def row_heights(k: Kit, width: int, scale: float) -> list[int]:
        icon = _icon_side(k, scale)
        text_width = width - round(icon * 1.45)
        return [max(icon, k.measurer(row, _row_style(k))(text_width, scale)) for row in rows]

    def item(k: Kit) -> Item:
        gap = round(0.024 * k.frame.short)
        return Item("benefits", measure=lambda width, scale: sum(row_heights(k, width, scale)) + gap * (len(rows) - 1),
                    gap_after=round(0.034 * k.frame.short))

    def draw(k: Kit, box: PixelBox, scale: float) -> None:
        icon = _icon_side(k, scale)
        gap = round(0.024 * k.frame.short)
        y = box.y0 + max(0, box.height - sum(row_heights(k, box.width, scale)) - gap * (len(rows) - 1)) // 2
        fill = k.colors.accent
        for index, (row, height) in enumerate(zip(rows, row_heights(k, box.width, scale))):
            centre = (box.x0 + icon / 2, y + height / 2)
            k.part("icon", paint.mark_disc(k.image, centre, icon / 2, fill, pal.best_text_color(fill), "tick"))
            text_box = PixelBox(box.x0 + round(icon * 1.45), y, box.x1, y + height)
            drawn = k.text(f"benefit_{index + 1}", row, _row_style(k), text_box, align="left", scale=scale)
            if drawn.ink_box is not None:
                k.part("benefit", drawn.ink_box)
            y += height + gap

    return b.Block("benefits", item, draw)


def compose_benefits(kit: Kit, hints: Hints) -> Arrangement:
    columns = True if kit.frame.shape in ("square", "wide") else None
    align = "left" if kit.frame.shape in ("square", "wide") else "center"
    listing = benefit_list(kit)
    if listing is None:  # degrade to a hero with the description's first words as support
        from adcreator.providers.local.archetypes.hero import compose_hero

        return compose_hero(kit, hints)
    blocks = [b.logo(kit, align), b.headline(kit, align), listing, b.cta(kit, align)]
    visual = b.product_visual(kit, "benefits", badge=True)
    arrangement = arrange(kit, blocks, visual, hints, columns=columns)
    if arrangement.strategy == "side_by_side":
        colour_block(kit, arrangement, hints)
    paint_blocks(kit, arrangement)
    return arrangement


# ---------------------------------------------------------------------------- comparison


def comparison_table(kit: Kit, with_product: bool) -> b.Block:
    plan = kit.plan
    rows = plan.benefits[:MAX_ROWS - (1 if kit.frame.shape == "square" else 0)] or [plan.subheadline or plan.headline]

    def widths(width: int) -> tuple[int, int]:
        label = round(width * 0.5)
        return label, (width - label) // 2

    def header_height(k: Kit) -> int:
        return round((0.32 if with_product else 0.1) * k.frame.short)

    def row_heights(k: Kit, width: int, scale: float) -> list[int]:
        label, _ = widths(width)
        icon = _icon_side(k, scale)
        pad = round(0.02 * k.frame.short)
        return [max(icon + 2 * pad, k.measurer(row, _row_style(k))(label - pad, scale) + 2 * pad) for row in rows]

    def item(k: Kit) -> Item:
        return Item("table", measure=lambda width, scale: header_height(k) + sum(row_heights(k, width, scale)),
                    gap_after=round(0.034 * k.frame.short))

    def draw(k: Kit, box: PixelBox, scale: float) -> None:
        label_w, column_w = widths(box.width)
        heights = row_heights(k, box.width, scale)
        top = box.y0 + max(0, box.height - header_height(k) - sum(heights)) // 2
        bottom = top + header_height(k) + sum(heights)
        us = PixelBox(box.x0 + label_w, top, box.x0 + label_w + column_w, bottom)
        them = PixelBox(us.x1, top, box.x1, bottom)
        light_ground = pal.lightness_of(k.colors.background) >= 0.5
        us_fill = pal.mix(k.colors.background, k.colors.accent, 0.18) if light_ground else pal.with_lightness(k.colors.background, pal.lightness_of(k.colors.background) + 0.12)
        paint.rounded_panel(k.image, us.inset(round(0.006 * k.frame.short), 0), us_fill, 0.03 * k.frame.short)
        k.part("column_us", us)
        k.part("column_them", them)
        header = header_height(k)
        label_style = TextStyle(k.font, "Black", max(11, round(0.02 * k.frame.short)), round(0.032 * k.frame.short), 1.05, max_lines=2, balance=True)
        pad = round(0.012 * k.frame.short)
        us_label_box = PixelBox(us.x0 + pad, top + header - round(0.085 * k.frame.short), us.x1 - pad, top + header - pad)
        if with_product:
            k.product(PixelBox(us.x0 + pad * 2, top + pad * 2, us.x1 - pad * 2, us_label_box.y0 - pad))
        k.text("us_label", plan.us_label, label_style, us_label_box, color=k.colors.ink, on=us_fill)
        k.text("them_label", plan.them_label, label_style, PixelBox(them.x0 + pad, us_label_box.y0, them.x1 - pad, us_label_box.y1),
               color=k.colors.muted)
        y = top + header
        muted_fill = pal.mix(k.colors.background, k.colors.muted, 0.45)
        line = pal.mix(k.colors.background, k.colors.ink, 0.14)
        for index, (row, height) in enumerate(zip(rows, heights)):
            ImageDraw.Draw(k.image).line((box.x0, y, us.x0 - pad, y), fill=line, width=max(1, round(0.002 * k.frame.short)))
            row_box = PixelBox(box.x0, y + pad, box.x0 + label_w - pad, y + height - pad)
            k.text(f"row_{index + 1}", row, _row_style(k), row_box, align="left", scale=scale)
            icon = _icon_side(k, scale)
            centre_y = y + height / 2
            k.part("tick", paint.mark_disc(k.image, (us.center[0], centre_y), icon / 2, k.colors.accent, pal.best_text_color(k.colors.accent), "tick"))
            k.part("cross", paint.mark_disc(k.image, (them.center[0], centre_y), icon / 2, muted_fill, pal.best_text_color(muted_fill), "cross"))
            y += height

    return b.Block("table", item, draw)


def compose_comparison(kit: Kit, hints: Hints) -> Arrangement:
    separate_product = kit.frame.shape in ("tall", "wide")
    align = "left" if use_columns(kit, hints) else "center"
    blocks = [b.logo(kit, align), b.headline(kit, align),
              comparison_table(kit, with_product=not separate_product), b.cta(kit, align)]
    visual = b.product_visual(kit, "comparison_product") if separate_product else None
    arrangement = arrange(kit, blocks, visual, hints, columns=kit.frame.shape == "wide")
    if arrangement.strategy == "side_by_side":
        colour_block(kit, arrangement, hints)
    paint_blocks(kit, arrangement)
    return arrangement
