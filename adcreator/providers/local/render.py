"""The offline renderer: composes a finished static ad from an AdGenerationPrompt.

Layout comes from the template analysis (see `layout`); text is fitted and coloured for
contrast by `typeset`; the product is cut out of its backdrop by `cutout`. This module
assigns the palette to roles and paints the ad: background, product, logo, copy, CTA.
Same inputs give identical pixels: nothing here is random.
"""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw, ImageFilter
from pydantic import BaseModel, ConfigDict, Field

from adcreator.prompts.models import AdGenerationPrompt
from adcreator.providers.base import ReferenceImage
from adcreator.prompts import palette as pal
from adcreator.providers.local.cutout import PreparedImage, prepare_reference
from adcreator.providers.local.layout import PixelBox, compute_layout
from adcreator.providers.local.typeset import TextStyle, draw_text_in_box, fit_text

__all__ = ["AdColors", "PixelBox", "RenderOutcome", "ad_colors", "prepare_reference", "render_ad", "render_ad_detailed"]

# Font sizes as fractions of the canvas's short side, so a 1080 px canvas gets ~113 px
# headlines at most and never below ~37 px (still legible on a phone feed).
HEADLINE_SIZE = (0.034, 0.105)
SUBHEADLINE_SIZE = (0.024, 0.046)
CTA_SIZE = (0.022, 0.036)
DISCLAIMER_SIZE_PX = (11, 0.0155)
# A wordmark stands in for a logo: it must not outshout the headline.
WORDMARK_MAX_SIZE = 0.042
# A button colour on which white text already reaches this ratio is deepened until white
# reaches AA, rather than switching to dark text (dark-on-saturated looks muddy).
CTA_DEEPEN_FOR_WHITE_FROM = 3.0
# Upscaling a small product photo beyond this looks soft; a smaller product reads better.
MAX_PRODUCT_UPSCALE = 3.0


class AdColors(BaseModel):
    """The palette's colours assigned to roles in this ad, "#rrggbb"."""

    background: str
    gradient_top: str
    gradient_bottom: str
    accent: str
    ink: str
    stage: str


class RenderOutcome(BaseModel):
    """The image plus what a judge needs to measure it without re-deriving the layout.

    Boxes are pixel `(x0, y0, x1, y1)` with exclusive ends, on the rendered canvas.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    image: Image.Image
    notes: list[str] = Field(default_factory=list)
    text_boxes: dict[str, tuple[int, int, int, int]] = Field(default_factory=dict)  # drawn ink
    text_areas: dict[str, tuple[int, int, int, int]] = Field(default_factory=dict)  # allotted
    text_colors: dict[str, str] = Field(default_factory=dict)
    cta_button_box: tuple[int, int, int, int] | None = None
    product_box: tuple[int, int, int, int] | None = None  # the pasted product image
    product_area: tuple[int, int, int, int] | None = None  # the slot it was fitted into
    logo_box: tuple[int, int, int, int] | None = None  # logo image or wordmark ink
    logo_area: tuple[int, int, int, int] | None = None
    logo_is_wordmark: bool = False
    colors: AdColors | None = None
    layout_strategy: str = ""


def render_ad(prompt: AdGenerationPrompt, references: list[ReferenceImage]) -> Image.Image:
    return render_ad_detailed(prompt, references).image


def ad_colors(prompt: AdGenerationPrompt) -> AdColors:
    """Colour roles from the mode's palette, keeping the template's light/dark structure."""
    palette = [pal.normalize_hex(c) for c in prompt.style.palette] or list(pal.FALLBACK_PALETTE)
    analysis = prompt.template_analysis
    base = palette[0]
    if analysis.background:
        template_bg = pal.normalize_hex(analysis.background)
        if analysis.palette:
            # The template colour nearest its background tells which palette slot plays "background".
            index = min(range(len(analysis.palette)), key=lambda i: _distance(analysis.palette[i], template_bg))
            base = palette[index] if index < len(palette) else palette[0]
        if prompt.style.color_mode == "original":
            base = template_bg
        else:
            base = pal.with_lightness(base, pal.lightness_of(template_bg))
    background = base
    others = [c for c in palette if _distance(c, background) > 60] or [pal.best_text_color(background)]
    accent = max(others, key=lambda c: pal.saturation_of(c) * min(pal.contrast_ratio(c, background), 3.0) + 0.01 * pal.contrast_ratio(c, background))
    ink = pal.ensure_contrast(max(others, key=lambda c: pal.contrast_ratio(c, background)), background, 7.0)
    lightness = pal.lightness_of(background)
    # On dark grounds a tint of the accent turns muddy; a lifted shade of the ground reads
    # as a spotlight instead.
    stage = pal.mix(background, accent, 0.16) if lightness >= 0.35 else pal.with_lightness(background, lightness + 0.07)
    return AdColors(
        background=background,
        gradient_top=pal.with_lightness(background, min(1.0, lightness + 0.035)),
        gradient_bottom=pal.with_lightness(background, max(0.0, lightness - 0.045)),
        accent=accent,
        ink=ink,
        stage=stage,
    )


def render_ad_detailed(prompt: AdGenerationPrompt, references: list[ReferenceImage]) -> RenderOutcome:
    width, height = prompt.images.canvas_width, prompt.images.canvas_height
    short = min(width, height)
    colors = ad_colors(prompt)
    outcome = RenderOutcome(image=Image.new("RGB", (width, height), colors.background), colors=colors)
    product_ref = _pick_reference(references, "product", prefer_tag="packshot")
    logo_ref = _pick_reference(references, "logo")
    badge_ref = _pick_reference(references, "badge")

    disclaimer_text = "  ·  ".join(d.strip() for d in prompt.product.required_disclaimers if d.strip())
    disclaimer_style = TextStyle(prompt.style.font_family, "Regular", DISCLAIMER_SIZE_PX[0], max(DISCLAIMER_SIZE_PX[0], round(DISCLAIMER_SIZE_PX[1] * short)), 1.25)

    def measure_disclaimer(strip_width: int, max_height: int) -> int:
        return fit_text(disclaimer_text, disclaimer_style, strip_width, max_height).block_height

    layout = compute_layout(
        prompt.template_analysis,
        (width, height),
        has_subheadline=prompt.content.subheadline is not None and bool(prompt.content.subheadline.text.strip()),
        has_cta=bool(prompt.content.cta.strip()),
        measure_disclaimer=measure_disclaimer if disclaimer_text else None,
    )
    outcome.notes.extend(layout.notes)
    outcome.layout_strategy = layout.strategy

    image = outcome.image
    outcome.product_area = layout.product.as_tuple() if layout.product else None
    outcome.logo_area = layout.logo.as_tuple() if layout.logo else None
    _paint_background(image, colors, layout.product)
    if layout.product is not None:
        if product_ref is None:
            outcome.notes.append("no product reference image: product area left to the background")
        else:
            prepared = prepare_reference(product_ref.data)
            if prepared is None:
                outcome.notes.append("product reference image could not be decoded: product omitted")
            else:
                placed = _paste_product(image, prepared, layout.product, colors)
                outcome.product_box = placed.as_tuple()
                if badge_ref is not None:
                    _paste_badge(image, badge_ref, placed, outcome)
    elif product_ref is not None:
        outcome.notes.append("template has no product area: product image not placed")

    if layout.logo is not None:
        _place_logo(image, prompt, logo_ref, layout.logo, layout.align.get("logo", "left"), colors, outcome)
    elif logo_ref is not None:
        outcome.notes.append("template has no logo area: logo not placed")

    font = prompt.style.font_family
    texts = {
        "headline": (prompt.content.headline.text, TextStyle(font, "Black", *_size_range_px(HEADLINE_SIZE, short), 1.06)),
        "subheadline": (
            prompt.content.subheadline.text if prompt.content.subheadline else "",
            TextStyle(font, "Regular", *_size_range_px(SUBHEADLINE_SIZE, short), 1.22),
        ),
    }
    for role, (text, style) in texts.items():
        box = layout.text.get(role)
        if box is None or not text.strip():
            if text.strip():
                outcome.notes.append(f"{role} omitted: the layout has no room for it")
            continue
        bar_space = round(0.04 * short) if role == "headline" and box.height > 0.2 * short else 0
        text_box = PixelBox(box.x0, box.y0, box.x1, box.y1 - bar_space)
        result = draw_text_in_box(image, text, style, text_box, layout.align.get(role, "center"), colors.ink, colors.background, valign=layout.valign.get(role, "center"))
        _record_text(outcome, role, box, result)
        if bar_space and result.ink_box is not None:
            _draw_accent_bar(image, result.ink_box, box, layout.align.get(role, "center"), colors.accent, short)
    if "cta" in layout.text and prompt.content.cta.strip():
        _draw_cta(image, prompt.content.cta.strip(), TextStyle(font, "Bold", *_size_range_px(CTA_SIZE, short), 1.1), layout.text["cta"], layout.align.get("cta", "center"), colors, outcome)
    elif prompt.content.cta.strip():
        outcome.notes.append("CTA omitted: the layout has no room for a button")
    if disclaimer_text and layout.disclaimer is not None:
        result = draw_text_in_box(image, disclaimer_text, disclaimer_style, layout.disclaimer, "center", colors.ink, colors.background, valign="bottom")
        _record_text(outcome, "disclaimer", layout.disclaimer, result)
    return outcome


def _size_range_px(fractions: tuple[float, float], short: int) -> tuple[int, int]:
    return max(11, round(fractions[0] * short)), max(12, round(fractions[1] * short))


def _distance(a: str, b: str) -> float:
    return float(np.linalg.norm(np.subtract(pal.parse_hex(a), pal.parse_hex(b))))


def _pick_reference(references: list[ReferenceImage], role: str, prefer_tag: str | None = None) -> ReferenceImage | None:
    candidates = [r for r in references if r.role == role]
    if prefer_tag:
        tagged = [r for r in candidates if prefer_tag in r.asset_tags]
        candidates = tagged or candidates
    return candidates[0] if candidates else None


def _record_text(outcome: RenderOutcome, role: str, area: PixelBox, result) -> None:
    outcome.text_areas[role] = area.as_tuple()
    if result.ink_box is not None:
        outcome.text_boxes[role] = result.ink_box.as_tuple()
        outcome.text_colors[role] = result.color
    outcome.notes.extend(f"{role}: {note}" for note in result.notes)


def _paint_background(image: Image.Image, colors: AdColors, product_box: PixelBox | None) -> None:
    width, height = image.size
    top = np.array(pal.parse_hex(colors.gradient_top), dtype=np.float32)
    bottom = np.array(pal.parse_hex(colors.gradient_bottom), dtype=np.float32)
    # A gentle diagonal: mostly vertical, a little horizontal, so large flat areas feel lit.
    # Computed on a coarse grid and scaled up: a smooth ramp loses nothing, and it is ~20x faster.
    coarse_w, coarse_h = max(2, width // 16), max(2, height // 16)
    ys = np.linspace(0.0, 1.0, coarse_h, dtype=np.float32)[:, None]
    xs = np.linspace(0.0, 1.0, coarse_w, dtype=np.float32)[None, :]
    t = np.clip(0.8 * ys + 0.2 * xs, 0.0, 1.0)[..., None]
    coarse = Image.fromarray((top + (bottom - top) * t).round().astype(np.uint8), "RGB")
    image.paste(coarse.resize((width, height), Image.BILINEAR))
    draw = ImageDraw.Draw(image)
    short = min(width, height)
    corner = pal.mix(colors.background, colors.stage, 0.6)
    radius = round(0.42 * short)
    if product_box is not None and product_box.center[0] > width / 2:
        draw.ellipse((-radius, height - radius * 0.9, radius, height + radius * 1.1), fill=corner)
    else:
        draw.ellipse((width - radius, -radius * 1.1, width + radius, radius * 0.9), fill=corner)
    if product_box is not None:
        cx, cy = product_box.center
        stage_r = 0.47 * min(product_box.width * 1.05, product_box.height)
        draw.ellipse((cx - stage_r, cy - stage_r, cx + stage_r, cy + stage_r), fill=colors.stage)


def _soft_shadow(image: Image.Image, alpha: Image.Image, origin: tuple[int, int], color: str, blur: float, opacity: float) -> None:
    pad = int(blur * 3) + 2
    patch = Image.new("L", (alpha.width + 2 * pad, alpha.height + 2 * pad), 0)
    patch.paste(alpha.point(lambda v: round(v * opacity)), (pad, pad))
    patch = patch.filter(ImageFilter.GaussianBlur(blur))
    image.paste(Image.new("RGB", patch.size, color), (origin[0] - pad, origin[1] - pad), patch)


def _resample(image: Image.Image, size: tuple[int, int]) -> Image.Image:
    # Lanczos is worth its cost when shrinking (no aliasing); enlarging, bicubic looks the
    # same at a third of the time.
    return image.resize(size, Image.LANCZOS if size[0] < image.width else Image.BICUBIC)


def _fit_size(source: tuple[int, int], box: PixelBox, fill: float, max_upscale: float) -> tuple[int, int]:
    scale = min(box.width * fill / source[0], box.height * fill / source[1], max_upscale)
    return max(1, round(source[0] * scale)), max(1, round(source[1] * scale))


def _paste_product(image: Image.Image, prepared: PreparedImage, box: PixelBox, colors: AdColors) -> PixelBox:
    size = _fit_size(prepared.image.size, box, 0.94, MAX_PRODUCT_UPSCALE)
    product = _resample(prepared.image, size)
    x = box.x0 + (box.width - size[0]) // 2
    y = box.y0 + (box.height - size[1]) // 2
    if not prepared.is_cutout:
        # A photo with a busy background is shown as a rounded card instead of a cut-out.
        mask = Image.new("L", size, 0)
        ImageDraw.Draw(mask).rounded_rectangle((0, 0, size[0] - 1, size[1] - 1), radius=round(0.05 * min(size)), fill=255)
        product.putalpha(mask)
    alpha = product.getchannel("A")
    shadow_color = pal.mix(colors.background, "#000000", 0.55)
    floor = Image.new("L", (size[0], max(2, size[1] // 14)), 0)
    ImageDraw.Draw(floor).ellipse((size[0] * 0.12, 0, size[0] * 0.88, floor.height - 1), fill=255)
    _soft_shadow(image, floor, (x, y + size[1] - floor.height // 2), shadow_color, max(3.0, size[1] * 0.02), 0.45)
    _soft_shadow(image, alpha, (x + round(size[0] * 0.025), y + round(size[1] * 0.03)), shadow_color, max(3.0, size[1] * 0.025), 0.32)
    image.paste(product, (x, y), product)
    return PixelBox(x, y, x + size[0], y + size[1])


def _paste_badge(image: Image.Image, badge_ref: ReferenceImage, product: PixelBox, outcome: RenderOutcome) -> None:
    prepared = prepare_reference(badge_ref.data)
    if prepared is None:
        outcome.notes.append("badge reference image could not be decoded: badge omitted")
        return
    side = round(0.32 * min(product.width, product.height))
    size = _fit_size(prepared.image.size, PixelBox(0, 0, side, side), 1.0, 4.0)
    badge = _resample(prepared.image, size)
    x = min(image.width - size[0], product.x1 - size[0] * 2 // 3)
    y = max(0, product.y0 - size[1] // 4)
    image.paste(badge, (x, y), badge)


def _place_logo(image, prompt: AdGenerationPrompt, logo_ref, box: PixelBox, align: str, colors: AdColors, outcome: RenderOutcome) -> None:
    prepared = prepare_reference(logo_ref.data) if logo_ref is not None else None
    if prepared is None:
        reason = "brand has no logo" if not prompt.asset_context.brand_has_logo else "no usable logo image was supplied"
        outcome.notes.append(f"{reason}: rendered the brand name as a wordmark in the logo area")
        size_cap = round(min(box.height * 0.62, WORDMARK_MAX_SIZE * min(image.size)))
        style = TextStyle(prompt.style.font_family, "Black", 12, max(12, size_cap), 1.0, max_lines=1)
        result = draw_text_in_box(image, prompt.product.brand_name.upper(), style, box, align, colors.ink, colors.background)
        outcome.notes.extend(f"wordmark: {note}" for note in result.notes)
        if result.ink_box is not None:
            outcome.logo_box = result.ink_box.as_tuple()
            outcome.text_colors["wordmark"] = result.color
        outcome.logo_is_wordmark = True
        return
    size = _fit_size(prepared.image.size, box, 0.92, 4.0)
    logo = _resample(prepared.image, size)
    x = {"left": box.x0, "right": box.x1 - size[0]}.get(align, box.x0 + (box.width - size[0]) // 2)
    y = box.y0 + (box.height - size[1]) // 2
    logo_rgb = np.asarray(logo.convert("RGB"), dtype=np.float32)
    weights = np.asarray(logo.getchannel("A"), dtype=np.float32)[..., None] + 1e-3
    mean = pal.to_hex(tuple((logo_rgb * weights).sum((0, 1)) / weights.sum()))
    if pal.contrast_ratio(mean, colors.background) < 1.6:
        # A logo that vanishes into the background gets a contrasting plate behind it.
        plate = pal.LIGHT_TEXT if pal.contrast_ratio(mean, pal.LIGHT_TEXT) > pal.contrast_ratio(mean, pal.DARK_TEXT) else pal.DARK_TEXT
        pad = round(0.12 * size[1])
        ImageDraw.Draw(image).rounded_rectangle((x - pad, y - pad, x + size[0] + pad, y + size[1] + pad), radius=pad * 2, fill=plate)
    image.paste(logo, (x, y), logo)
    outcome.logo_box = (x, y, x + size[0], y + size[1])


def _draw_accent_bar(image, ink: PixelBox, area: PixelBox, align: str, color: str, short: int) -> None:
    bar_w, bar_h = round(0.11 * short), max(4, round(0.009 * short))
    y0 = min(ink.y1 + round(0.022 * short), area.y1 - bar_h)
    x0 = {"left": ink.x0, "right": ink.x1 - bar_w}.get(align, (ink.x0 + ink.x1 - bar_w) // 2)
    ImageDraw.Draw(image).rounded_rectangle((x0, y0, x0 + bar_w, y0 + bar_h), radius=bar_h // 2, fill=color)


def _draw_cta(image, label: str, style: TextStyle, slot: PixelBox, align: str, colors: AdColors, outcome: RenderOutcome) -> None:
    short = min(image.size)
    button_h = min(slot.height, round(0.085 * short))
    pad_x = round(button_h * 0.55)
    fill, text_color = colors.accent, pal.best_text_color(colors.accent)
    if pal.contrast_ratio(pal.LIGHT_TEXT, fill) >= CTA_DEEPEN_FOR_WHITE_FROM:
        # Designers put white on a coloured button; deepen the accent just enough for AA.
        fill, text_color = pal.ensure_contrast(fill, pal.LIGHT_TEXT), pal.LIGHT_TEXT
    label_style = TextStyle(style.family, style.weight, style.min_size, min(style.max_size, round(button_h * 0.42)), 1.0, max_lines=1)
    fitted = fit_text(label, label_style, slot.width - 2 * pad_x, round(button_h * 0.6))
    button_w = min(slot.width, max(round(0.26 * short), round(fitted.block_width) + 2 * pad_x))
    x0 = {"left": slot.x0, "right": slot.x1 - button_w}.get(align, slot.x0 + (slot.width - button_w) // 2)
    y0 = slot.y0 + (slot.height - button_h) // 2
    button = PixelBox(x0, y0, x0 + button_w, y0 + button_h)
    draw = ImageDraw.Draw(image)
    shadow_offset = max(2, round(button_h * 0.07))
    draw.rounded_rectangle((x0, y0 + shadow_offset, button.x1, button.y1 + shadow_offset), radius=button_h // 2, fill=pal.mix(fill, "#000000", 0.35))
    draw.rounded_rectangle(button.as_tuple(), radius=button_h // 2, fill=fill)
    inner = PixelBox(x0 + pad_x, y0, button.x1 - pad_x, button.y1)
    result = draw_text_in_box(image, label, label_style, inner, "center", text_color, fill, fitted=fitted)
    _record_text(outcome, "cta", slot, result)
    outcome.cta_button_box = button.as_tuple()
