"""Before/after: two panels side by side, labelled. With no before/after photographs among
the brand's assets, the "before" panel states the pain point in the customer's words (muted)
and the "after" panel the benefit, with the product: a problem-solution split, no faked
result images.
"""

from __future__ import annotations

from adcreator.prompts import palette as pal
from adcreator.providers.local import paint
from adcreator.providers.local.archetypes import blocks as b
from adcreator.providers.local.archetypes.compose import Arrangement, Hints, arrange, paint_blocks, use_columns
from adcreator.providers.local.canvas import Kit
from adcreator.providers.local.copyplan import BEFORE_AFTER_LABELS
from adcreator.providers.local.layout import Item, PixelBox
from adcreator.providers.local.typeset import TextStyle



def _distance(a: str, b: str) -> float:
    return sum((x - y) ** 2 for x, y in zip(pal.parse_hex(a), pal.parse_hex(b))) ** 0.5


def panels(kit: Kit) -> b.Block:
    def item(k: Kit) -> Item:
        aspect = k.product_aspect() or 0.6
        minimum = round(0.52 * k.frame.short)  # the panels are the ad: they get room before the type grows
        return Item("visual", flex_min=minimum, flex_max=round(0.9 * k.frame.height), gap_after=round(0.03 * k.frame.short),
                    aspect=None if aspect is None else 1.15)

    def draw(k: Kit, box: PixelBox, scale: float) -> None:
        short = k.frame.short
        gutter = round(0.025 * short)
        before, after = box.split_x(0.5, gutter)
        radius = 0.035 * short
        ground = k.colors.background
        before_fill = pal.mix(pal.with_lightness(ground, 0.5), "#8a8f94", 0.6) if pal.lightness_of(ground) < 0.5 else pal.mix(ground, "#8a8f94", 0.28)
        # "After" in the accent, clearly apart from the grey "before" (a tint too pale would
        # read as the same panel twice).
        after_fill = pal.mix(ground, k.colors.accent, 0.3)
        for weight in (0.42, 0.55, 0.7):
            if _distance(after_fill, before_fill) >= 40:
                break
            after_fill = pal.mix(ground, k.colors.accent, weight)
        paint.rounded_panel(k.image, before, before_fill, radius)
        paint.rounded_panel(k.image, after, after_fill, radius)
        k.part("panel_before", before)
        k.part("panel_after", after)
        pad = round(0.028 * short)
        label_h = round(0.058 * short)
        label_style = TextStyle(k.font, "Black", 11, max(12, round(label_h * 0.46)), 1.0, max_lines=1)
        texts = (k.plan.before_text, k.plan.after_text)
        for panel, word, fill, text in ((before, BEFORE_AFTER_LABELS[0], pal.mix(before_fill, "#000000", 0.45), texts[0]),
                                        (after, BEFORE_AFTER_LABELS[1], pal.ensure_contrast(k.colors.accent, "#ffffff", 3.0), texts[1])):
            pill_w = min(panel.width - 2 * pad, round(label_h * 3.3))
            pill = PixelBox(panel.x0 + pad, panel.y0 + pad, panel.x0 + pad + pill_w, panel.y0 + pad + label_h)
            paint.rounded_panel(k.image, pill, fill, label_h / 2)
            k.text(f"label_{word.lower()}", word, label_style, pill.inset(label_h * 0.3, label_h * 0.18), color="#ffffff", on=fill)
            k.part("panel_label", pill)
            text_bottom = pill.y1
            if text:
                # The panel's words sit high (at most a third of it), clear of the 9:16 bottom
                # band the product may run into.
                limit = min(k.frame.text_safe.y1, pill.y1 + pad + round(panel.height * 0.32))
                text_box = PixelBox(panel.x0 + pad, pill.y1 + pad, panel.x1 - pad, max(pill.y1 + pad + label_h, limit))
                style = k.style("Bold" if word == "AFTER" else "Regular", (0.02, 0.036), 1.14, max_lines=3, balance=True)
                drawn = k.text(f"{word.lower()}_text", text if word == "AFTER" else f"\u201c{text}\u201d", style, text_box,
                               align="left", valign="top", scale=scale, on=after_fill if word == "AFTER" else before_fill)
                if drawn.ink_box is not None:
                    text_bottom = drawn.ink_box.y1
            visual = PixelBox(panel.x0 + pad, text_bottom + pad, panel.x1 - pad, panel.y1 - pad)
            if visual.height < 0.1 * short:
                continue
            if word == "AFTER":
                k.product(visual)  # the product stands in the "after" panel, below its words
            else:
                # "Before" has no product: a muted mark, the same size, keeps the panels' balance.
                side = round(min(visual.width, visual.height) * 0.55)
                centre = (visual.center[0], visual.y1 - side / 2 - pad)
                mark_fill = pal.mix(before_fill, "#000000", 0.12)
                paint.mark_disc(k.image, centre, side / 2, mark_fill, pal.mix(before_fill, "#ffffff", 0.35), "cross")

    return b.Block("visual", item, draw, is_visual=True, is_text=False)


def compose_before_after(kit: Kit, hints: Hints) -> Arrangement:
    align = "left" if use_columns(kit, hints) else "center"
    blocks = [b.logo(kit, align), b.headline(kit, align),
              b.subheadline(kit, align), b.cta(kit, align)]
    arrangement = arrange(kit, blocks, panels(kit), hints, columns=kit.frame.shape == "wide")
    paint_blocks(kit, arrangement)
    return arrangement
