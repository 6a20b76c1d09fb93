"""The offline renderer: composes a finished static ad from an AdGenerationPrompt.

Layout comes from the template analysis (fractional boxes). When the canvas ratio is close
to or taller than the template's, the template's horizontal bands are stacked down the
canvas and the spare height goes to the product and the spacing; when the canvas is much
wider, the product moves beside a left-aligned text column. Text is fitted (wrap, shrink,
then ellipsis) and coloured for WCAG contrast against the pixels actually behind it.
Same inputs give identical pixels: nothing here is random.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont, UnidentifiedImageError

from adcreator.prompts.elements import TextArea
from adcreator.prompts.models import CANVAS_SIZES, AdGenerationPrompt, TemplateAnalysis
from adcreator.providers.base import ReferenceImage
from adcreator.providers.local import palette as pal
from adcreator.providers.local.fonts import load_font

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


@dataclass
class AdColors:
    background: str
    gradient_top: str
    gradient_bottom: str
    accent: str
    ink: str
    stage: str


@dataclass
class RenderOutcome:
    """The image plus what a judge needs to measure it without re-deriving the layout."""

    image: Image.Image
    notes: list[str] = field(default_factory=list)
    text_boxes: dict[str, tuple[int, int, int, int]] = field(default_factory=dict)  # drawn ink
    text_areas: dict[str, tuple[int, int, int, int]] = field(default_factory=dict)  # allotted
    text_colors: dict[str, str] = field(default_factory=dict)
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
    layout = compute_layout(
        prompt.template_analysis,
        (width, height),
        has_subheadline=prompt.content.subheadline is not None and bool(prompt.content.subheadline.text.strip()),
        has_cta=bool(prompt.content.cta.strip()),
        disclaimer_text=disclaimer_text,
        disclaimer_style=disclaimer_style,
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
        "headline": (prompt.content.headline.text, TextStyle(font, "Black", *_px(HEADLINE_SIZE, short), 1.06)),
        "subheadline": (
            prompt.content.subheadline.text if prompt.content.subheadline else "",
            TextStyle(font, "Regular", *_px(SUBHEADLINE_SIZE, short), 1.22),
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
        _draw_cta(image, prompt.content.cta.strip(), TextStyle(font, "Bold", *_px(CTA_SIZE, short), 1.1), layout.text["cta"], layout.align.get("cta", "center"), colors, outcome)
    elif prompt.content.cta.strip():
        outcome.notes.append("CTA omitted: the layout has no room for a button")
    if disclaimer_text and layout.disclaimer is not None:
        result = draw_text_in_box(image, disclaimer_text, disclaimer_style, layout.disclaimer, "center", colors.ink, colors.background, valign="bottom")
        _record_text(outcome, "disclaimer", layout.disclaimer, result)
    return outcome


def _px(fractions: tuple[float, float], short: int) -> tuple[int, int]:
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


def _fit_size(source: tuple[int, int], box: PixelBox, fill: float, max_upscale: float) -> tuple[int, int]:
    scale = min(box.width * fill / source[0], box.height * fill / source[1], max_upscale)
    return max(1, round(source[0] * scale)), max(1, round(source[1] * scale))


def _paste_product(image: Image.Image, prepared: PreparedImage, box: PixelBox, colors: AdColors) -> PixelBox:
    size = _fit_size(prepared.image.size, box, 0.94, MAX_PRODUCT_UPSCALE)
    product = prepared.image.resize(size, Image.LANCZOS)
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
    badge = prepared.image.resize(size, Image.LANCZOS)
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
    logo = prepared.image.resize(size, Image.LANCZOS)
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


# ---------------------------------------------------------------------------------------
# Geometry and layout
# ---------------------------------------------------------------------------------------

# Beyond this canvas-to-template ratio a stacked layout leaves the sides empty; the product
# moves beside the text instead (e.g. a 1:1 or 4:5 template on a 16:9 canvas).
SIDE_BY_SIDE_RATIO = 1.45
# At or below this ratio (e.g. a 1:1 template on 9:16) a product beside the copy would leave
# the canvas mostly empty above and below; copy and product are stacked instead.
STACK_RATIO = 0.72
# Share of spare height (taller canvas) given to the product; the rest becomes spacing.
PRODUCT_SHARE_OF_SPARE_HEIGHT = 0.6
MARGIN_FRACTION = 0.045  # safe margin, of the short side: keeps text off phone UI edges

# Used when detection found no text areas: logo, headline, subheadline, product, CTA, centred.
DEFAULT_ELEMENTS: list[tuple[str, tuple[float, float, float, float], str]] = [
    ("logo", (0.30, 0.05, 0.70, 0.12), "center"),
    ("headline", (0.08, 0.14, 0.92, 0.33), "center"),
    ("subheadline", (0.12, 0.34, 0.88, 0.43), "center"),
    ("product", (0.18, 0.45, 0.82, 0.83), "center"),
    ("cta", (0.28, 0.85, 0.72, 0.94), "center"),
]


@dataclass(frozen=True)
class PixelBox:
    x0: int
    y0: int
    x1: int
    y1: int

    @property
    def width(self) -> int:
        return self.x1 - self.x0

    @property
    def height(self) -> int:
        return self.y1 - self.y0

    @property
    def center(self) -> tuple[float, float]:
        return (self.x0 + self.x1) / 2, (self.y0 + self.y1) / 2

    def as_tuple(self) -> tuple[int, int, int, int]:
        return self.x0, self.y0, self.x1, self.y1

    def clamp(self, outer: PixelBox) -> PixelBox | None:
        box = PixelBox(max(self.x0, outer.x0), max(self.y0, outer.y0), min(self.x1, outer.x1), min(self.y1, outer.y1))
        return box if box.width >= 8 and box.height >= 8 else None

    def union(self, other: PixelBox) -> PixelBox:
        return PixelBox(min(self.x0, other.x0), min(self.y0, other.y0), max(self.x1, other.x1), max(self.y1, other.y1))


@dataclass
class Layout:
    text: dict[str, PixelBox]
    align: dict[str, str]
    valign: dict[str, str]  # roles not listed are centred vertically in their box
    product: PixelBox | None
    logo: PixelBox | None
    disclaimer: PixelBox | None
    strategy: str
    notes: list[str]


def _overlaps(a: tuple, b: tuple) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _template_ratio(analysis: TemplateAnalysis) -> float:
    label = analysis.native_aspect_ratio or "1:1"
    if label in CANVAS_SIZES:
        width, height = CANVAS_SIZES[label]
        return width / height
    for separator in (":", "x"):
        left, _, right = label.partition(separator)
        if left.strip().isdigit() and right.strip().isdigit() and int(right) > 0:
            return int(left) / int(right)
    return 1.0


def _template_elements(analysis: TemplateAnalysis, has_subheadline: bool, has_cta: bool, notes: list[str]) -> dict[str, list]:
    if not analysis.text_areas:
        notes.append("template analysis has no text areas: used the default centred layout")
        return {key: [list(box), align] for key, box, align in DEFAULT_ELEMENTS if key != "subheadline" or has_subheadline}
    by_role: dict[str, TextArea] = {}
    for area in sorted(analysis.text_areas, key=lambda a: -(a.box[2] - a.box[0]) * (a.box[3] - a.box[1])):
        by_role.setdefault(area.role, area)
    headline = by_role.get("headline") or by_role.get("subheadline") or by_role.get("body") or next(iter(by_role.values()))
    elements: dict[str, list] = {"headline": [list(headline.box), headline.align]}
    sub = next((by_role[r] for r in ("subheadline", "body") if r in by_role and by_role[r] is not headline), None)
    if has_subheadline:
        if sub is not None:
            elements["subheadline"] = [list(sub.box), sub.align]
        else:  # no area of its own: the lower third of the headline area carries it
            x0, y0, x1, y1 = headline.box
            split = y0 + (y1 - y0) * 0.66
            elements["headline"][0] = [x0, y0, x1, split]
            elements["subheadline"] = [[x0, split + (y1 - y0) * 0.03, x1, y1], headline.align]
    if analysis.logo_areas:
        elements["logo"] = [list(max(analysis.logo_areas, key=lambda r: r.confidence).box), ""]
    if analysis.product_areas:
        elements["product"] = [list(max(analysis.product_areas, key=lambda r: (r.box[2] - r.box[0]) * (r.box[3] - r.box[1])).box), "center"]
    if has_cta:
        if "cta" in by_role:
            elements["cta"] = [list(by_role["cta"].box), by_role["cta"].align]
        else:
            _synthesise_cta(elements, notes)
    for key, (box, align) in elements.items():
        if not align:  # logos align to the side of the canvas they sit on
            elements[key][1] = "left" if (box[0] + box[2]) / 2 < 0.4 else "right" if (box[0] + box[2]) / 2 > 0.6 else "center"
    return elements


def _synthesise_cta(elements: dict[str, list], notes: list[str]) -> None:
    """The template has no CTA area: put the button under the text, else at the bottom."""
    hx0, _, hx1, _ = elements["headline"][0]
    align = elements["headline"][1]
    text_bottom = max(elements[k][0][3] for k in ("headline", "subheadline") if k in elements)
    width = min(0.42, hx1 - hx0)
    x0 = {"left": hx0, "right": hx1 - width}.get(align, (hx0 + hx1 - width) / 2)
    blockers = [elements[k][0] for k in ("product", "logo") if k in elements]
    candidate = [x0, text_bottom + 0.02, x0 + width, text_bottom + 0.11]
    if candidate[3] <= 0.96 and not any(_overlaps(candidate, b) for b in blockers):
        elements["cta"] = [candidate, align]
        return
    candidate = [0.29, 0.85, 0.71, 0.94]
    if any(_overlaps(candidate, elements[k][0]) for k in ("headline", "subheadline") if k in elements):
        notes.append("template has no CTA area and no free space for one: CTA omitted")
        return
    if "product" in elements and _overlaps(candidate, elements["product"][0]):
        elements["product"][0][3] = max(elements["product"][0][1] + 0.15, 0.83)
    elements["cta"] = [candidate, "center"]


def _band_layout(elements: dict[str, list], content: PixelBox, template_ratio: float) -> dict[str, PixelBox]:
    """Stack the template's horizontal bands down the canvas, giving spare height to the product."""
    unit_h = content.width / template_ratio  # the template's height at this canvas width
    bands: list[list] = []  # [top, bottom, keys]
    for key, (box, _) in sorted(elements.items(), key=lambda item: item[1][0][1]):
        if bands and box[1] < bands[-1][1] - 0.01:
            bands[-1][1] = max(bands[-1][1], box[3])
            bands[-1][2].append(key)
        else:
            bands.append([box[1], box[3], [key]])
    heights = [(bottom - top) * unit_h for top, bottom, _ in bands]
    gaps = [bands[0][0]] + [max(0.0, bands[i][0] - bands[i - 1][1]) for i in range(1, len(bands))] + [max(0.0, 1 - bands[-1][1])]
    gaps = [g * unit_h for g in gaps]
    scales = [1.0] * len(bands)
    spare = content.height - sum(heights) - sum(gaps)
    scalable = [i for i, band in enumerate(bands) if "product" in band[2] and set(band[2]) <= {"product", "logo"}]
    if spare > 0:
        for i in scalable:
            product_w = (elements["product"][0][2] - elements["product"][0][0]) * content.width
            growth = min(spare * PRODUCT_SHARE_OF_SPARE_HEIGHT, heights[i] * (min(2.2, 0.92 * content.width / product_w) - 1))
            if growth > 0:
                scales[i] = (heights[i] + growth) / heights[i]
                spare -= growth
        weights = [0.6] + [1.0] * (len(gaps) - 2) + [0.6]
        gaps = [g + spare * w / sum(weights) for g, w in zip(gaps, weights)]
    elif spare < 0:
        taken = min(-spare, 0.6 * sum(gaps))
        gaps = [g * (1 - taken / sum(gaps)) for g in gaps] if taken else gaps
        remaining = -spare - taken
        if remaining > 0:
            scales = [max(0.2, 1 - remaining / sum(heights))] * len(bands)
    boxes: dict[str, PixelBox] = {}
    y = content.y0 + gaps[0]
    for index, (top, _, keys) in enumerate(bands):
        scale = scales[index]
        for key in keys:
            x0, y0, x1, y1 = elements[key][0]
            left, right = content.x0 + x0 * content.width, content.x0 + x1 * content.width
            if key == "product" and (index in scalable or spare < 0):
                half = (right - left) * scale / 2
                centre = min(max((left + right) / 2, content.x0 + half), content.x1 - half)
                left, right = centre - half, centre + half
            boxes[key] = PixelBox(round(left), round(y + (y0 - top) * unit_h * scale), round(right), round(y + (y1 - top) * unit_h * scale))
        y += heights[index] * scale + gaps[index + 1]
    return boxes


def _column_stack(keys: list[str], column: PixelBox, weights: dict[str, float], gap_fraction: float) -> dict[str, PixelBox]:
    """Stack slots down a column, heights in proportion to `weights`, centred vertically."""
    gap = gap_fraction * column.height
    total = sum(weights[k] for k in keys) * column.height + gap * (len(keys) - 1)
    shrink = min(1.0, column.height / total)
    y = column.y0 + (column.height - total * shrink) / 2
    boxes = {}
    for key in keys:
        height = weights[key] * column.height * shrink
        boxes[key] = PixelBox(column.x0, round(y), column.x1, round(y + height))
        y += height + gap * shrink
    return boxes


def _side_by_side_layout(elements: dict[str, list], safe: PixelBox) -> dict[str, PixelBox]:
    product = elements["product"][0]
    product_w, gutter = round(0.42 * safe.width), round(0.05 * safe.width)
    if (product[0] + product[2]) / 2 < 0.4:
        product_box = PixelBox(safe.x0, safe.y0, safe.x0 + product_w, safe.y1)
        column = PixelBox(safe.x0 + product_w + gutter, safe.y0, safe.x1, safe.y1)
    else:
        product_box = PixelBox(safe.x1 - product_w, safe.y0, safe.x1, safe.y1)
        column = PixelBox(safe.x0, safe.y0, safe.x1 - product_w - gutter, safe.y1)
    weights = {"logo": 0.11, "headline": 0.4, "subheadline": 0.17, "cta": 0.13}
    stack = [k for k in sorted(elements, key=lambda k: elements[k][0][1]) if k in weights]
    return _column_stack(stack, column, weights, 0.045) | {"product": product_box}


def _stacked_layout(elements: dict[str, list], safe: PixelBox) -> dict[str, PixelBox]:
    """Tall canvas from a template with the product beside the copy: copy above, product below."""
    weights = {"logo": 0.07, "headline": 0.2, "subheadline": 0.1, "product": 0.42, "cta": 0.085}
    stack = [k for k in ("logo", "headline", "subheadline", "product", "cta") if k in elements]
    return _column_stack(stack, safe, weights, 0.028)


def compute_layout(analysis: TemplateAnalysis, canvas: tuple[int, int], *, has_subheadline: bool, has_cta: bool, disclaimer_text: str, disclaimer_style: TextStyle) -> Layout:
    width, height = canvas
    margin = round(MARGIN_FRACTION * min(width, height))
    notes: list[str] = []
    elements = _template_elements(analysis, has_subheadline, has_cta, notes)
    ratio = _template_ratio(analysis) if analysis.text_areas else 1.0
    disclaimer, bottom = None, height
    if disclaimer_text:  # disclaimers always sit in a strip along the bottom edge
        strip = fit_text(disclaimer_text, disclaimer_style, width - 2 * margin, height // 8).block_height
        disclaimer = PixelBox(margin, height - round(0.6 * margin) - strip, width - margin, height - round(0.6 * margin))
        bottom = disclaimer.y0 - round(0.3 * margin)
    content = PixelBox(0, 0, width, bottom)
    safe = PixelBox(margin, margin, width - margin, bottom - (margin if disclaimer is None else 0))
    align = {key: value[1] for key, value in elements.items()}
    relative_ratio = (content.width / content.height) / ratio
    product_beside_copy = "product" in elements and _overlaps(
        [0, elements["product"][0][1], 1, elements["product"][0][3]], [0, elements["headline"][0][1], 1, elements["headline"][0][3]]
    )
    valign: dict[str, str] = {}
    if "product" in elements and relative_ratio >= SIDE_BY_SIDE_RATIO:
        strategy = "side_by_side"
        boxes = _side_by_side_layout(elements, safe)
        align = {key: "left" for key in align} | {"product": "center"}
        valign = {"headline": "bottom", "subheadline": "top"}
    elif product_beside_copy and relative_ratio <= STACK_RATIO:
        strategy = "stacked"
        boxes = _stacked_layout(elements, safe)
        valign = {"headline": "bottom", "subheadline": "top"}
    else:
        strategy = "bands"
        boxes = _band_layout(elements, content, ratio)
    clamped: dict[str, PixelBox] = {}
    for key, box in boxes.items():
        inside = box.clamp(safe)
        if inside is None:
            notes.append(f"{key} area fell outside the safe area of this canvas: omitted")
        else:
            clamped[key] = inside
    text = {k: clamped[k] for k in ("headline", "subheadline", "cta") if k in clamped}
    return Layout(text, align, valign, clamped.get("product"), clamped.get("logo"), disclaimer, strategy, notes)


# ---------------------------------------------------------------------------------------
# Typesetting: fit (wrap, shrink, ellipsis) and draw legibly
# ---------------------------------------------------------------------------------------

ELLIPSIS = "…"


@dataclass(frozen=True)
class TextStyle:
    family: str
    weight: str
    min_size: int
    max_size: int
    line_pitch: float  # line spacing as a multiple of the font size
    max_lines: int | None = None


@dataclass
class FittedText:
    font: ImageFont.FreeTypeFont
    lines: list[str]
    pitch: int
    cap_offset: int  # blank space above capitals in the font's ascent, skipped when placing
    truncated: bool
    block_width: float
    block_height: int


@dataclass
class DrawnText:
    ink_box: PixelBox | None
    color: str
    notes: list[str]


def _font(style: TextStyle, size: int) -> ImageFont.FreeTypeFont:
    return load_font(style.family if style.family in ("Lato", "Roboto") else "Lato", style.weight, size)


def _wrap(words: list[str], font: ImageFont.FreeTypeFont, width: float, split_long_words: bool) -> list[str] | None:
    # Lines are measured as word widths plus spaces (kerning across a space is nil), which
    # keeps the size search linear in the text length; the result is verified exactly below.
    width -= 1  # one pixel of slack absorbs rounding between summed and exact widths
    space = font.getlength(" ")
    word_widths = {word: font.getlength(word) for word in set(words)}
    lines: list[str] = []
    current, current_width = "", 0.0
    for word in words:
        word_width = word_widths[word]
        if current and current_width + space + word_width <= width:
            current, current_width = f"{current} {word}", current_width + space + word_width
            continue
        if current:
            lines.append(current)
        if word_width <= width:
            current, current_width = word, word_width
            continue
        if not split_long_words:
            return None
        current = ""
        for char in word:
            if current and font.getlength(current + char) > width:
                lines.append(current)
                current = char
            else:
                current += char
        current_width = font.getlength(current)
    if current:
        lines.append(current)
    if not split_long_words and any(font.getlength(line) > width for line in lines):
        return None  # a sub-pixel disagreement with the exact measure: try the next size
    return lines


def _fitted(font: ImageFont.FreeTypeFont, lines: list[str], style: TextStyle, size: int, truncated: bool) -> FittedText:
    pitch = round(size * style.line_pitch)
    cap_offset = font.getbbox("H")[1]
    ascent, descent = font.getmetrics()
    block_height = (len(lines) - 1) * pitch + ascent + descent - cap_offset if lines else 0
    block_width = max((font.getlength(line) for line in lines), default=0.0)
    return FittedText(font, lines, pitch, cap_offset, truncated, block_width, block_height)


def fit_text(text: str, style: TextStyle, width: int, height: int) -> FittedText:
    """The largest size whose word-wrapped lines fit; at the minimum size, an ellipsis."""
    words = text.split()
    best: FittedText | None = None
    low, high = style.min_size, max(style.min_size, style.max_size)
    while low <= high:
        size = (low + high) // 2
        font = _font(style, size)
        lines = _wrap(words, font, width, split_long_words=False)
        candidate = _fitted(font, lines, style, size, False) if lines else None
        if candidate and candidate.block_height <= height and (style.max_lines is None or len(lines) <= style.max_lines):
            best, low = candidate, size + 1
        else:
            high = size - 1
    if best is not None:
        return best
    font = _font(style, style.min_size)
    lines = _wrap(words, font, width, split_long_words=True) or []
    probe = _fitted(font, lines[:1], style, style.min_size, False)
    room = 0 if probe.block_height > height else 1 + int((height - probe.block_height) // probe.pitch)
    room = min(room, style.max_lines or room)
    if room >= len(lines):
        return _fitted(font, lines, style, style.min_size, False)
    kept = lines[:room]
    if kept:
        last = kept[-1]
        while last and font.getlength(last + ELLIPSIS) > width:
            last = last.rsplit(" ", 1)[0] if " " in last else last[:-1]
        kept[-1] = last.rstrip(" ,.;:-–") + ELLIPSIS
    return _fitted(font, kept, style, style.min_size, True)


_LINEAR = np.array([c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in np.arange(256) / 255.0])


def _extreme_colors(image: Image.Image, region: PixelBox) -> list[str]:
    """The darkest and lightest pixels in a region: text must contrast with both."""
    pixels = np.asarray(image.crop(region.as_tuple())).reshape(-1, 3)
    luminance = _LINEAR[pixels] @ np.array([0.2126, 0.7152, 0.0722])
    return [pal.to_hex(pixels[int(np.argmin(luminance))]), pal.to_hex(pixels[int(np.argmax(luminance))])]


def draw_text_in_box(image: Image.Image, text: str, style: TextStyle, box: PixelBox, align: str, preferred: str, panel_color: str, *, valign: str = "center", fitted: FittedText | None = None) -> DrawnText:
    fitted = fitted or fit_text(text, style, box.width, box.height)
    notes = [f"truncated to fit its area: shows {' '.join(fitted.lines)!r} of {len(text)} characters"] if fitted.truncated else []
    if not fitted.lines:
        return DrawnText(None, preferred, notes + ["no room for even one line: omitted"])
    top = {"top": box.y0, "bottom": box.y1 - fitted.block_height}.get(valign, box.y0 + (box.height - fitted.block_height) // 2)
    draw = ImageDraw.Draw(image)
    placements, ink = [], None
    for index, line in enumerate(fitted.lines):
        line_width = fitted.font.getlength(line)
        x = {"left": box.x0, "right": box.x1 - line_width}.get(align, box.x0 + (box.width - line_width) / 2)
        y = top - fitted.cap_offset + index * fitted.pitch
        placements.append((x, y, line))
        line_ink = PixelBox(*draw.textbbox((x, y), line, font=fitted.font, anchor="la"))
        ink = line_ink if ink is None else ink.union(line_ink)
    # Glyph overhangs (accents, side bearings) can poke out of the box: nudge back inside.
    dx = max(0, box.x0 - ink.x0) - max(0, ink.x1 - box.x1)
    dy = max(0, box.y0 - ink.y0) - max(0, ink.y1 - box.y1)
    placements = [(x + dx, y + dy, line) for x, y, line in placements]
    ink = PixelBox(ink.x0 + dx, ink.y0 + dy, ink.x1 + dx, ink.y1 + dy)
    pad = max(3, round(0.04 * fitted.font.size))
    behind = PixelBox(max(0, ink.x0 - pad), max(0, ink.y0 - pad), min(image.width, ink.x1 + pad), min(image.height, ink.y1 + pad))
    backgrounds = _extreme_colors(image, behind)
    color = pal.ensure_contrast(preferred, backgrounds)
    if pal.min_contrast(color, backgrounds) < pal.WCAG_AA_TEXT_CONTRAST:
        # No single ink reads on everything behind it (e.g. text over a photo): back it with a panel.
        panel_pad = round(0.3 * fitted.font.size)
        panel = (max(0, ink.x0 - panel_pad), max(0, ink.y0 - panel_pad), min(image.width - 1, ink.x1 + panel_pad), min(image.height - 1, ink.y1 + panel_pad))
        draw.rounded_rectangle(panel, radius=panel_pad, fill=panel_color)
        color = pal.ensure_contrast(preferred, panel_color)
        notes.append("drew a backing panel so the text keeps WCAG contrast")
    for x, y, line in placements:
        draw.text((x, y), line, font=fitted.font, fill=color, anchor="la")
    return DrawnText(ink, color, notes)


# ---------------------------------------------------------------------------------------
# Reference images: decode once, cut the subject out of a plain background
# ---------------------------------------------------------------------------------------

# No ad slot is larger than this, so bigger sources only cost time.
MAX_REFERENCE_SIDE = 1600
CUTOUT_WORK_SIDE = 512  # alpha is estimated at this size, then scaled up: fast and smooth
# Colour distance (RGB euclidean) below which a pixel counts as background, and the band
# above it over which alpha ramps up, which gives anti-aliased edges a soft transition.
BACKGROUND_DISTANCE, EDGE_RAMP = 22.0, 40.0
# Border pixels further than this from their median mean the background is a scene, not a
# studio backdrop: such a photo is shown whole as a card rather than cut out.
BUSY_BORDER_DISTANCE = 40.0


@dataclass(frozen=True)
class PreparedImage:
    image: Image.Image  # RGBA, cropped to the subject
    is_cutout: bool


def _spread_along_rows(mask: np.ndarray, seeds: np.ndarray) -> np.ndarray:
    """Extend seeds to every pixel of the same horizontal run of `mask`."""
    previous = np.zeros_like(mask)
    previous[:, 1:] = mask[:, :-1]
    run_ids = np.cumsum((mask & ~previous).ravel())
    flat_mask = mask.ravel()
    reached_runs = np.zeros(run_ids[-1] + 1, dtype=bool)
    reached_runs[run_ids[seeds.ravel() & flat_mask]] = True
    return (reached_runs[run_ids] & flat_mask).reshape(mask.shape)


def _connected_to_border(mask: np.ndarray) -> np.ndarray:
    """Background-like pixels reachable from the image border, so a white label inside the
    product is not mistaken for backdrop. Alternating row/column run propagation converges
    for the concave outlines of real products within a few passes."""
    reached = np.zeros_like(mask)
    reached[[0, -1], :] = mask[[0, -1], :]
    reached[:, [0, -1]] = mask[:, [0, -1]]
    for _ in range(3):
        reached = _spread_along_rows(mask, reached)
        reached = _spread_along_rows(np.ascontiguousarray(mask.T), np.ascontiguousarray(reached.T)).T
    return reached


@lru_cache(maxsize=32)
def prepare_reference(data: bytes) -> PreparedImage | None:
    try:
        source = Image.open(io.BytesIO(data))
        source.load()
    except (UnidentifiedImageError, OSError, ValueError):
        return None
    if "A" in source.getbands() or "transparency" in source.info:
        rgba = source.convert("RGBA")
        if rgba.getchannel("A").getextrema()[0] < 250:
            return PreparedImage(rgba.crop(rgba.getchannel("A").point(lambda v: 255 if v > 8 else 0).getbbox() or (0, 0, *rgba.size)), True)
    rgb = source.convert("RGB")
    rgb.thumbnail((MAX_REFERENCE_SIDE, MAX_REFERENCE_SIDE), Image.LANCZOS)
    work = rgb.copy()
    work.thumbnail((CUTOUT_WORK_SIDE, CUTOUT_WORK_SIDE))
    pixels = np.asarray(work, dtype=np.float32)
    border = np.concatenate([pixels[0], pixels[-1], pixels[:, 0], pixels[:, -1]])
    backdrop = np.median(border, axis=0)
    if np.percentile(np.linalg.norm(border - backdrop, axis=1), 80) > BUSY_BORDER_DISTANCE:
        return PreparedImage(rgb.convert("RGBA"), False)
    connected = _connected_to_border(np.linalg.norm(pixels - backdrop, axis=2) < BACKGROUND_DISTANCE + EDGE_RAMP)
    # Connectivity is found at work size; the edge itself is decided at full size, within a
    # slightly widened backdrop region so the two resolutions cannot leave a seam.
    region = Image.fromarray(connected.astype(np.uint8) * 255, "L").resize(rgb.size, Image.NEAREST).filter(ImageFilter.MaxFilter(5))
    distance = np.linalg.norm(np.asarray(rgb, dtype=np.float32) - backdrop, axis=2)
    ramp = np.clip((distance - BACKGROUND_DISTANCE) / EDGE_RAMP, 0.0, 1.0)
    soft = np.where(np.asarray(region) > 0, ramp, 1.0)
    # Anti-aliased edge pixels are part backdrop and would draw a pale halo on a dark ad:
    # choke the matte by one pixel, then soften it again.
    alpha = Image.fromarray((soft * 255).round().astype(np.uint8), "L").filter(ImageFilter.MinFilter(3)).filter(ImageFilter.GaussianBlur(0.7))
    rgba = rgb.convert("RGBA")
    rgba.putalpha(alpha)
    bbox = alpha.point(lambda v: 255 if v > 24 else 0).getbbox()
    if bbox is None or math.prod((bbox[2] - bbox[0], bbox[3] - bbox[1])) < 0.01 * math.prod(rgb.size):
        return PreparedImage(rgb.convert("RGBA"), False)  # nothing distinct from the backdrop
    return PreparedImage(rgba.crop(bbox), True)
