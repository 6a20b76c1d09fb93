"""The archetypes made of someone's words: a review card, a social comment, a story frame.

- testimonial: a card with a row of stars, the quote in quote marks and the reviewer;
- ugc: a post card with an avatar, a handle and the comment, as a feed screenshot shows it;
- story: a full-screen frame with progress bars, the poster's avatar and handle, and the
  words in speech bubbles over the product.
Only words the brand gave are quoted: a headline that names no customer is the brand's own
post (its logo as the avatar), never an invented review.
"""

from __future__ import annotations

from PIL import Image

from adcreator.prompts import palette as pal
from adcreator.providers.local import paint
from adcreator.providers.local.archetypes import blocks as b
from adcreator.providers.local.archetypes.compose import Arrangement, Hints, arrange, paint_blocks, use_columns
from adcreator.providers.local.canvas import Kit, prepare_reference
from adcreator.providers.local.copyplan import POST_ACTIONS
from adcreator.providers.local.layout import Item, PixelBox
from adcreator.providers.local.typeset import TextStyle

STAR_GOLD = "#e8a317"  # a deep amber: still gold, and it reads on white


def _quote_style(kit: Kit) -> TextStyle:
    return kit.style("Black", b.QUOTE_SIZE, 1.1, max_lines=5, balance=True)


def stars(align: str) -> b.Block:
    def item(k: Kit) -> Item:
        return Item("stars", height=round(0.05 * k.frame.short), gap_after=round(0.022 * k.frame.short))

    def draw(k: Kit, box: PixelBox, scale: float) -> None:
        colour = STAR_GOLD if pal.contrast_ratio(STAR_GOLD, k.colors.card) >= 2.0 else pal.ensure_contrast(STAR_GOLD, k.colors.card, 2.0)
        k.part("stars", paint.star_row(k.image, box, colour, 5, align))

    return b.Block("stars", item, draw)


def review_card(kit: Kit, align: str) -> b.Block:
    plan = kit.plan
    if plan.quote is None:  # not a customer's words: the plain headline, on the card
        inner = [b.text_block("headline", plan.headline, b.headline_style, align=align, color=b.on_card, on=b.card_colour)]
        return b.Card("card", [x for x in inner if x], b.card_colour).block()
    inner = [
        stars(align),
        b.text_block("quote", f"\u201c{plan.quote}\u201d", _quote_style, role="headline", align=align, color=b.on_card,
                     on=b.card_colour, part="quote", gap=0.7),
        b.text_block("reviewer", f"\u2014 {plan.reviewer}" if plan.reviewer else None, lambda k: b.small_style(k, "Bold"),
                     align=align, color=lambda k: k.colors.card_muted,
                     on=b.card_colour, part="reviewer"),
    ]
    return b.Card("card", [x for x in inner if x], b.card_colour).block()


def compose_testimonial(kit: Kit, hints: Hints) -> Arrangement:
    align = hints.align if use_columns(kit, hints) and kit.frame.shape != "portrait" else "center"
    blocks = [b.logo(kit, align), review_card(kit, align),
              b.subheadline(kit, align), b.cta(kit, align)]
    visual = b.product_visual(kit, "testimonial", badge=True)
    # A card of words reads best full width on 4:5: a narrow column breaks a quote word by word.
    arrangement = arrange(kit, blocks, visual, hints, columns=False if kit.frame.shape == "portrait" else None)
    paint_blocks(kit, arrangement)
    return arrangement


# ---------------------------------------------------------------------------- posts


def _avatar(kit: Kit, box: PixelBox) -> None:
    """The poster's face stand-in: the brand's logo for the brand's own post, else an initial."""
    side = min(box.width, box.height)
    disc = PixelBox(box.x0, box.y0 + (box.height - side) // 2, box.x0 + side, box.y0 + (box.height - side) // 2 + side)
    brand_post = kit.plan.handle_meta == "Sponsored"
    fill = kit.colors.background if brand_post else kit.colors.accent
    paint.disc(kit.image, disc, pal.mix(fill, "#ffffff", 0.15) if brand_post else fill)
    logo = prepare_reference(kit.logo_refs[0].data) if brand_post and kit.logo_refs else None
    if logo is not None:
        inner = disc.inset(side * 0.16)
        image = logo.image.copy()
        image.thumbnail((inner.width, inner.height))
        kit.image.paste(image, (inner.x0 + (inner.width - image.width) // 2, inner.y0 + (inner.height - image.height) // 2), image)
    elif kit.plan.avatar_initial:
        style = TextStyle(kit.font, "Black", 12, max(12, round(side * 0.5)), 1.0, max_lines=1)
        kit.text("avatar", kit.plan.avatar_initial, style, disc, color=pal.best_text_color(fill), on=fill)
    kit.part("avatar", disc)


def post_header(key: str = "post_header", on_card: bool = True) -> b.Block:
    """Avatar, handle and the line under it ("verified buyer", "Sponsored")."""

    def item(k: Kit) -> Item:
        return Item(key, height=round(0.075 * k.frame.short), gap_after=round(0.026 * k.frame.short))

    def draw(k: Kit, box: PixelBox, scale: float) -> None:
        side = box.height
        _avatar(k, PixelBox(box.x0, box.y0, box.x0 + side, box.y1))
        text_area = PixelBox(box.x0 + round(side * 1.28), box.y0, box.x1, box.y1)
        handle_box, meta_box = text_area.split_y(0.55)
        ink = k.colors.card_ink if on_card else k.colors.ink
        ground = k.colors.card if on_card else k.colors.background
        handle = k.text("handle", k.plan.handle, TextStyle(k.font, "Black", 12, max(12, round(side * 0.4)), 1.0, max_lines=1),
                        handle_box, align="left", valign="bottom", color=ink, on=ground)
        if handle.ink_box is not None:
            # The line under starts clear of the handle's descenders: what is measured behind
            # it must be the ground, or its contrast panel is drawn over the "y" of "Priya".
            top = max(meta_box.y0, handle.ink_box.y1 + max(4, round(side * 0.08)))
            meta_box = PixelBox(meta_box.x0, top, meta_box.x1, top + meta_box.height)
        k.text("handle_meta", k.plan.handle_meta, TextStyle(k.font, "Regular", 11, max(11, round(side * 0.28)), 1.0, max_lines=1),
               meta_box, align="left", valign="top", color=pal.ensure_contrast(pal.mix(ink, ground, 0.35), ground), on=ground)
        if handle.ink_box is not None:
            k.part("handle", handle.ink_box)

    return b.Block(key, item, draw)


def _comment_style(kit: Kit) -> TextStyle:
    return kit.style("Bold", (0.03, 0.07), 1.16, max_lines=6, balance=False)


def post_card(kit: Kit) -> b.Block:
    inner = [post_header(),
             b.text_block("comment", kit.plan.quote, _comment_style, role="headline", align="left", color=b.on_card,
                          on=b.card_colour, gap=0.6),
             b.text_block("actions", POST_ACTIONS, lambda k: k.style("Bold", (0.018, 0.026), 1.0, max_lines=1),
                          align="left", color=lambda k: pal.mix(k.colors.card_ink, k.colors.card, 0.4), on=b.card_colour)]
    return b.Card("card", [x for x in inner if x], b.card_colour, part="comment_bubble").block()


def compose_ugc(kit: Kit, hints: Hints) -> Arrangement:
    align = hints.align if use_columns(kit, hints) and kit.frame.shape != "portrait" else "center"
    blocks = [post_card(kit), b.subheadline(kit, align), b.cta(kit, align)]
    visual = b.product_visual(kit, "ugc")
    arrangement = arrange(kit, blocks, visual, hints, columns=False if kit.frame.shape == "portrait" else None)
    paint_blocks(kit, arrangement)
    return arrangement


# ---------------------------------------------------------------------------- story


def bubble(key: str, text: str | None, style_of, part: bool = True) -> b.Block | None:
    """Words in a white speech bubble sized to them, as story captions are."""
    if not text:
        return None

    def item(k: Kit) -> Item:
        pad = round(0.03 * k.frame.short)
        measure = k.measurer(text, style_of(k))
        return Item(key, measure=lambda width, scale: measure(width - 2 * pad, scale) + 2 * pad, gap_after=round(0.018 * k.frame.short))

    def draw(k: Kit, box: PixelBox, scale: float) -> None:
        pad = round(0.03 * k.frame.short)
        inner = box.inset(pad)
        fitted = k.fit(text, style_of(k).scaled(scale), inner.width, inner.height)
        width = round(fitted.block_width) + 2 * pad + 4
        left = box.x0 + (box.width - width) // 2
        shape = PixelBox(left, box.y0, left + width, box.y1)
        paint.rounded_panel(k.image, shape, k.colors.card, pad * 1.2)
        k.text(key if key != "bubble_1" else "headline", text, style_of(k), shape.inset(pad), color=k.colors.card_ink, on=k.colors.card, scale=scale)
        if part:
            k.part("comment_bubble", shape)

    return b.Block(key, item, draw)


def compose_story(kit: Kit, hints: Hints) -> Arrangement:
    frame = kit.frame
    # A story is full-bleed colour: the accent washing into the ground, top to bottom.
    _wash(kit)
    bars = PixelBox(frame.margin, round(0.022 * frame.height if frame.shape == "tall" else 0.5 * frame.margin),
                    frame.width - frame.margin, round(0.022 * frame.height if frame.shape == "tall" else 0.5 * frame.margin) + max(4, round(0.006 * frame.short)))
    paint.story_bars(kit.image, bars, "#ffffff", "#ffffff")
    kit.part("story_bars", bars)
    blocks = [post_header("story_header", on_card=False),
              bubble("bubble_1", kit.plan.quote, lambda k: k.style("Bold", (0.028, 0.06), 1.14, max_lines=5, balance=True)),
              bubble("bubble_2", kit.plan.subheadline, lambda k: k.style("Regular", (0.022, 0.04), 1.2, max_lines=3, balance=True)),
              b.cta(kit, "center")]
    visual = b.product_visual(kit, "story")
    arrangement = arrange(kit, blocks, visual, hints)
    paint_blocks(kit, arrangement)
    return arrangement


def _wash(kit: Kit) -> None:
    """The ground washing into the accent from top to bottom."""
    top, bottom = kit.colors.background, pal.mix(kit.colors.background, kit.colors.accent, 0.55)
    ramp = Image.composite(Image.new("RGB", (1, 256), bottom), Image.new("RGB", (1, 256), top),
                           Image.linear_gradient("L").resize((1, 256)))
    kit.image.paste(ramp.resize(kit.image.size, Image.BILINEAR))
