"""The ad being painted, and the record of what went where.

`Kit` is what an archetype composer works with: the canvas and its frame, the colours, the
copy plan, the prepared reference images, and one method per element (text, product, logo,
CTA, part) that paints it and writes it into the `RenderOutcome`, so a judge or a test can
measure the ad without re-deriving its layout.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from PIL import Image, ImageDraw
from pydantic import BaseModel, ConfigDict, Field

from adcreator.prompts.models import AdGenerationPrompt
from adcreator.providers.base import ReferenceImage, SetLine
from adcreator.prompts import palette as pal
from adcreator.providers.local import paint
from adcreator.providers.local.copyplan import CopyPlan
from adcreator.providers.local.cutout import PreparedImage, prepare_reference
from adcreator.providers.local.layout import Frame, PixelBox
from adcreator.providers.local.typeset import DrawnText, FittedText, TextStyle, draw_text_in_box, fit_text

Box = tuple[int, int, int, int]
# Upscaling a small product photo beyond this looks soft; a smaller product reads better.
MAX_PRODUCT_UPSCALE = 3.0
# A logo whose colours reach less than this contrast with what is behind it gets its
# dark-background variant or a plate (WCAG's bar for graphics and large text).
LOGO_MIN_CONTRAST = 3.0
# A button colour on which white text already reaches this ratio is deepened until white
# reaches AA, rather than switching to dark text (dark-on-saturated looks muddy).
CTA_DEEPEN_FOR_WHITE_FROM = 3.0


class AdColors(BaseModel):
    """The palette's colours assigned to roles in this ad, "#rrggbb"."""

    background: str
    gradient_top: str
    gradient_bottom: str
    accent: str
    ink: str
    stage: str  # a shade of the background for blocks behind the product
    button: str = ""  # the CTA's fill ("" = the accent)
    card: str = "#ffffff"  # cards, bubbles and panels that carry text
    card_ink: str = "#111111"
    card_muted: str = "#555555"  # secondary text on cards
    muted: str = "#666666"  # secondary text on the background


class RenderOutcome(BaseModel):
    """The image plus what a judge needs to measure it without re-deriving the layout.

    Boxes are pixel `(x0, y0, x1, y1)` with exclusive ends, on the rendered canvas.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    image: Image.Image
    notes: list[str] = Field(default_factory=list)
    text_boxes: dict[str, Box] = Field(default_factory=dict)  # drawn ink
    text_areas: dict[str, Box] = Field(default_factory=dict)  # allotted
    text_colors: dict[str, str] = Field(default_factory=dict)
    lines: list[SetLine] = Field(default_factory=list)
    cta_button_box: Box | None = None
    product_box: Box | None = None  # the pasted product image
    product_area: Box | None = None  # the slot it was fitted into
    logo_box: Box | None = None  # logo image or wordmark ink
    logo_area: Box | None = None
    logo_is_wordmark: bool = False
    logo_contrast: float | None = None  # the logo's colours against what is right behind them
    colors: AdColors | None = None
    layout_strategy: str = ""
    archetype: str = ""
    parts: dict[str, list[Box]] = Field(default_factory=dict)  # archetype parts as drawn
    content_boxes: list[Box] = Field(default_factory=list)  # everything that is not background


def _pick_reference(references: list[ReferenceImage], role: str, prefer_tag: str | None = None) -> ReferenceImage | None:
    candidates = [r for r in references if r.role == role]
    if prefer_tag:
        tagged = [r for r in candidates if prefer_tag in r.asset_tags]
        candidates = tagged or candidates
    return candidates[0] if candidates else None


def _resample(image: Image.Image, size: tuple[int, int]) -> Image.Image:
    # Lanczos is worth its cost when shrinking (no aliasing); enlarging, bicubic looks the
    # same at a third of the time.
    return image.resize(size, Image.LANCZOS if size[0] < image.width else Image.BICUBIC)


def _fit_size(source: tuple[int, int], box: PixelBox, fill: float, max_upscale: float) -> tuple[int, int]:
    scale = min(box.width * fill / source[0], box.height * fill / source[1], max_upscale)
    return max(1, round(source[0] * scale)), max(1, round(source[1] * scale))


def _overlap(a: PixelBox, b: PixelBox) -> bool:
    return a.x0 < b.x1 and b.x0 < a.x1 and a.y0 < b.y1 and b.y0 < a.y1


def _weighted_mean(image: Image.Image) -> str:
    rgb = np.asarray(image.convert("RGB"), dtype=np.float32)
    weights = np.asarray(image.getchannel("A"), dtype=np.float32)[..., None] + 1e-3
    return pal.to_hex(tuple((rgb * weights).sum((0, 1)) / weights.sum()))


class Kit:
    def __init__(self, prompt: AdGenerationPrompt, references: list[ReferenceImage], frame: Frame, colors: AdColors,
                 plan: CopyPlan, outcome: RenderOutcome):
        self.prompt, self.frame, self.colors, self.plan, self.outcome = prompt, frame, colors, plan, outcome
        self.image = outcome.image
        self.font = prompt.style.font_family
        self._fits: dict[tuple, FittedText] = {}
        self.product_ref = _pick_reference(references, "product", prefer_tag="packshot")
        self.logo_refs = [r for r in references if r.role == "logo"]
        self.badge_ref = _pick_reference(references, "badge")
        self._product: PreparedImage | None | bool = False  # False = not decoded yet
        self.hints_logo = True  # the template shows a logo (set by the renderer from the analysis)
        self.badge_wanted: tuple[PixelBox, int] | None = None  # (product box, side), set after the rest

    # ---------------------------------------------------------------- bookkeeping

    def note(self, text: str) -> None:
        self.outcome.notes.append(text)

    def part(self, kind: str, box: PixelBox) -> None:
        self.outcome.parts.setdefault(kind, []).append(box.as_tuple())
        self.content(box)

    def content(self, box: PixelBox) -> None:
        self.outcome.content_boxes.append(box.as_tuple())

    # ---------------------------------------------------------------- text

    def style(self, weight: str, size_range: tuple[float, float], pitch: float = 1.15, max_lines: int | None = None,
              balance: bool = False) -> TextStyle:
        short = self.frame.short
        return TextStyle(self.font, weight, max(12, round(size_range[0] * short)), max(13, round(size_range[1] * short)),
                         pitch, max_lines, balance)

    def fit(self, text: str, style: TextStyle, width: int, height: int) -> FittedText:
        key = (text, style, width, height)
        if key not in self._fits:
            self._fits[key] = fit_text(text, style, width, height)
        return self._fits[key]

    def measurer(self, text: str, style: TextStyle, max_height: int | None = None) -> Callable[[int, float], int]:
        """For a stack item: the height `text` takes at a width and a text scale."""
        cap = max_height or self.frame.height

        def measure(width: int, scale: float) -> int:
            fitted = self.fit(text, style.scaled(scale), width, cap)
            return fitted.block_height + 2 if fitted.lines else 0

        return measure

    def text(self, role: str, text: str, style: TextStyle, box: PixelBox, *, align: str = "center", valign: str = "center",
             color: str | None = None, on: str | None = None, scale: float = 1.0) -> DrawnText:
        """Set `text` in `box` (shortened at a phrase boundary if it must be) and record it."""
        scaled = style.scaled(scale)
        fitted = self.fit(text, scaled, box.width, box.height)
        drawn = draw_text_in_box(self.image, text, scaled, box, align, color or self.colors.ink, on or self.colors.background,
                                 valign=valign, fitted=fitted)
        self.outcome.text_areas[role] = box.as_tuple()
        if drawn.ink_box is not None:
            self.outcome.text_boxes[role] = drawn.ink_box.as_tuple()
            self.outcome.text_colors[role] = drawn.color
            self.content(drawn.ink_box)
        for line, line_box in drawn.lines:
            self.outcome.lines.append(SetLine(role=role, text=line, box=line_box.as_tuple(), area=box.as_tuple()))
        self.outcome.notes.extend(f"{role}: {note}" for note in drawn.notes)
        return drawn

    # ---------------------------------------------------------------- product

    def prepared_product(self) -> PreparedImage | None:
        if self._product is False:
            if self.product_ref is None:
                self._product = None
                self.note("no product reference image: product area left to the background")
            else:
                self._product = prepare_reference(self.product_ref.data)
                if self._product is None:
                    self.note("product reference image could not be decoded: product omitted")
        return self._product or None

    def product_aspect(self) -> float | None:
        """Width over height of the product as it will be pasted (None without one)."""
        prepared = self.prepared_product()
        return prepared.image.width / prepared.image.height if prepared else None

    def product(self, box: PixelBox, *, valign: str = "bottom", align: str = "center", fill: float = 1.0,
                beside: int = 0, above: int = 0) -> PixelBox | None:
        """Paste the product into `box`, standing on its foot (`valign="bottom"`) with a soft
        contact shadow; a photo that is a scene is shown whole as a rounded card. `beside`
        keeps that many pixels free on its right (for a sticker), the pair centred; `above`
        as many above it."""
        prepared = self.prepared_product()
        self.outcome.product_area = box.as_tuple()
        if prepared is None:
            return None
        room = PixelBox(box.x0, min(box.y1 - 8, box.y0 + above), max(box.x0 + 8, box.x1 - beside), box.y1)
        size = _fit_size(prepared.image.size, room, fill, MAX_PRODUCT_UPSCALE)
        product = _resample(prepared.image, size)
        group = size[0] + beside
        x = {"left": box.x0, "right": box.x1 - group}.get(align, box.x0 + (box.width - group) // 2)
        y = {"top": box.y0, "bottom": box.y1 - size[1]}.get(valign, box.y0 + (box.height - size[1]) // 2)
        if not prepared.is_cutout:
            mask = Image.new("L", size, 0)
            ImageDraw.Draw(mask).rounded_rectangle((0, 0, size[0] - 1, size[1] - 1), radius=round(0.05 * min(size)), fill=255)
            product.putalpha(mask)
        else:
            foot_h = max(4, round(size[1] * 0.035))
            foot = PixelBox(x + round(size[0] * 0.1), y + size[1] - foot_h, x + round(size[0] * 0.9), y + size[1] + foot_h // 2)
            paint.contact_shadow(self.image, foot, pal.mix(self.colors.background, "#000000", 0.7), 0.32)
        self.image.paste(product, (x, y), product)
        placed = PixelBox(x, y, x + size[0], y + size[1])
        self.outcome.product_box = placed.as_tuple()
        self.content(placed)
        return placed

    def badge(self, product: PixelBox, side: int) -> PixelBox | None:
        """The brand's seal beside the product's shoulder, never over the product (a sticker on
        it would change its silhouette), and clear of everything already set."""
        if self.badge_ref is None:
            return None
        prepared = prepare_reference(self.badge_ref.data)
        if prepared is None:
            self.note("badge reference image could not be decoded: badge omitted")
            return None
        size = _fit_size(prepared.image.size, PixelBox(0, 0, side, side), 1.0, 4.0)
        gap = max(4, round(0.012 * self.frame.short))
        top = product.y0 + round(product.height * 0.12)
        area = self.frame.safe
        taken = [PixelBox(*box) for box in self.outcome.content_boxes if box != product.as_tuple()]
        for x in (product.x1 + gap, product.x0 - gap - size[0]):
            box = PixelBox(x, top, x + size[0], top + size[1])
            inside = area.x0 <= box.x0 and box.x1 <= area.x1 and area.y0 <= box.y0 and box.y1 <= area.y1
            if inside and not any(_overlap(box, other) for other in taken):
                badge = _resample(prepared.image, size)
                self.image.paste(badge, (box.x0, box.y0), badge)
                self.content(box)
                return box
        self.note("badge left out: no room beside the product")
        return None

    # ---------------------------------------------------------------- logo

    def logo(self, box: PixelBox, align: str = "left") -> PixelBox | None:
        """The logo (or, without one, the brand name as a wordmark) legible on what is behind it."""
        self.outcome.logo_area = box.as_tuple()
        prepared = None
        for ref in self.logo_refs:
            prepared = prepare_reference(ref.data)
            if prepared is not None:
                break
        if prepared is None:
            return self._wordmark(box, align)
        size = _fit_size(prepared.image.size, box, 1.0, 4.0)
        x = {"left": box.x0, "right": box.x1 - size[0]}.get(align, box.x0 + (box.width - size[0]) // 2)
        y = box.y0 + (box.height - size[1]) // 2
        behind = _weighted_mean(self.image.crop((x, y, x + size[0], y + size[1])).convert("RGBA"))
        logo_image = _resample(prepared.image, size)
        mean = _weighted_mean(logo_image)
        contrast = pal.contrast_ratio(mean, behind)
        if contrast < LOGO_MIN_CONTRAST:
            variant = self._dark_variant(size) if pal.lightness_of(behind) < 0.5 else None
            if variant is not None and pal.contrast_ratio(_weighted_mean(variant), behind) >= LOGO_MIN_CONTRAST:
                logo_image, mean = variant, _weighted_mean(variant)
                contrast = pal.contrast_ratio(mean, behind)
                self.note("logo: used the variant for dark backgrounds")
            else:
                plate = max((pal.LIGHT_TEXT, self.colors.card, pal.DARK_TEXT), key=lambda c: pal.contrast_ratio(mean, c))
                pad = round(0.16 * min(size))
                paint.rounded_panel(self.image, PixelBox(x - pad, y - pad, x + size[0] + pad, y + size[1] + pad), plate, pad * 1.6)
                contrast = pal.contrast_ratio(mean, plate)
                self.note(f"logo: set on a contrasting plate (it reached {pal.contrast_ratio(mean, behind):.1f}:1 on the background)")
        self.image.paste(logo_image, (x, y), logo_image)
        placed = PixelBox(x, y, x + size[0], y + size[1])
        self.outcome.logo_box, self.outcome.logo_contrast = placed.as_tuple(), round(contrast, 2)
        self.content(placed)
        return placed

    def _dark_variant(self, size: tuple[int, int]) -> Image.Image | None:
        for ref in self.logo_refs:
            if "logo_dark" in ref.asset_tags:
                prepared = prepare_reference(ref.data)
                if prepared is not None:
                    fitted = _fit_size(prepared.image.size, PixelBox(0, 0, *size), 1.0, 4.0)
                    return _resample(prepared.image, fitted)
        return None

    def _wordmark(self, box: PixelBox, align: str) -> PixelBox | None:
        reason = "brand has no logo" if not self.prompt.asset_context.brand_has_logo else "no usable logo image was supplied"
        self.note(f"{reason}: rendered the brand name as a wordmark in the logo area")
        style = TextStyle(self.font, "Black", 12, max(12, round(box.height * 0.62)), 1.0, max_lines=1)
        drawn = draw_text_in_box(self.image, self.prompt.product.brand_name.upper(), style, box, align, self.colors.ink, self.colors.background)
        self.outcome.notes.extend(f"wordmark: {note}" for note in drawn.notes)
        self.outcome.logo_is_wordmark = True
        if drawn.ink_box is None:
            return None
        self.outcome.logo_box = drawn.ink_box.as_tuple()
        self.outcome.text_colors["wordmark"] = drawn.color
        behind = self.image.crop(drawn.ink_box.as_tuple())
        self.outcome.logo_contrast = round(pal.contrast_ratio(drawn.color, self.colors.background), 2) if behind else None
        for line, line_box in drawn.lines:
            self.outcome.lines.append(SetLine(role="wordmark", text=line, box=line_box.as_tuple(), area=box.as_tuple()))
        self.content(drawn.ink_box)
        return drawn.ink_box

    # ---------------------------------------------------------------- call to action

    def cta_height(self) -> int:
        return round(0.085 * self.frame.short)

    def cta(self, slot: PixelBox, align: str = "center", fill: str | None = None) -> PixelBox | None:
        label = self.plan.cta
        if not label:
            return None
        short = self.frame.short
        button_h = min(slot.height, self.cta_height())
        pad_x = round(button_h * 0.6)
        fill = fill or self.colors.button or self.colors.accent
        text_color = pal.best_text_color(fill)
        if pal.contrast_ratio(pal.LIGHT_TEXT, fill) >= CTA_DEEPEN_FOR_WHITE_FROM:
            # Designers put white on a coloured button; deepen the accent just enough for AA.
            fill, text_color = pal.ensure_contrast(fill, pal.LIGHT_TEXT), pal.LIGHT_TEXT
        style = TextStyle(self.font, "Black", max(12, round(0.024 * short)), max(13, round(button_h * 0.4)), 1.0, max_lines=1)
        fitted = fit_text(label.upper(), style, slot.width - 2 * pad_x, round(button_h * 0.6))
        button_w = min(slot.width, max(round(0.3 * short), round(fitted.block_width) + 2 * pad_x))
        x0 = {"left": slot.x0, "right": slot.x1 - button_w}.get(align, slot.x0 + (slot.width - button_w) // 2)
        y0 = slot.y0 + (slot.height - button_h) // 2
        button = PixelBox(x0, y0, x0 + button_w, y0 + button_h)
        shadow_offset = max(2, round(button_h * 0.07))
        paint.rounded_panel(self.image, PixelBox(x0, y0 + shadow_offset, button.x1, button.y1 + shadow_offset), pal.mix(fill, "#000000", 0.35), button_h / 2)
        paint.rounded_panel(self.image, button, fill, button_h / 2)
        inner = PixelBox(x0 + pad_x, y0, button.x1 - pad_x, button.y1)
        drawn = draw_text_in_box(self.image, label.upper(), style, inner, "center", text_color, fill, fitted=fitted)
        self.outcome.text_areas["cta"] = slot.as_tuple()
        if drawn.ink_box is not None:
            self.outcome.text_boxes["cta"] = drawn.ink_box.as_tuple()
            self.outcome.text_colors["cta"] = drawn.color
        for line, line_box in drawn.lines:
            self.outcome.lines.append(SetLine(role="cta", text=line, box=line_box.as_tuple(), area=inner.as_tuple()))
        self.outcome.notes.extend(f"cta: {note}" for note in drawn.notes)
        self.outcome.cta_button_box = button.as_tuple()
        self.content(button)
        return button
