"""Typesetting: fit text to a box (wrap, step the size down, then shorten at a phrase
boundary) and draw it legibly. No text is ever cut with an ellipsis.

The ink colour is chosen for WCAG contrast against the pixels actually behind the text.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from adcreator.prompts.copyfit import collapse, phrase_cuts
from adcreator.prompts import palette as pal
from adcreator.providers.local.fonts import load_font
from adcreator.providers.local.layout import PixelBox


@dataclass(frozen=True)
class TextStyle:
    family: str
    weight: str
    min_size: int
    max_size: int
    line_pitch: float  # line spacing as a multiple of the font size
    max_lines: int | None = None
    balance: bool = False  # even out line lengths (headlines): no lonely last word

    def scaled(self, scale: float) -> TextStyle:
        """The style with its largest size scaled (never below its smallest)."""
        top = max(self.min_size, round(self.max_size * scale))
        return TextStyle(self.family, self.weight, min(self.min_size, top), top, self.line_pitch, self.max_lines, self.balance)


@dataclass
class FittedText:
    font: ImageFont.FreeTypeFont | None
    lines: list[str]
    pitch: int
    cap_offset: int  # blank space above capitals in the font's ascent, skipped when placing
    text: str  # what is set: the whole text, or a phrase-boundary cut of it
    shortened: bool
    block_width: float
    block_height: int


@dataclass
class DrawnText:
    ink_box: PixelBox | None
    color: str
    notes: list[str]
    lines: list[tuple[str, PixelBox]] = field(default_factory=list)  # each set line and its ink box


def _font(style: TextStyle, size: int) -> ImageFont.FreeTypeFont:
    return load_font(style.family if style.family in ("Lato", "Roboto") else "Lato", style.weight, size)


def _wrap(words: list[str], font: ImageFont.FreeTypeFont, width: float) -> list[str] | None:
    """Greedy word wrap; None when a single word is wider than the box."""
    # Lines are measured as word widths plus spaces (kerning across a space is nil), which
    # keeps the size search linear in the text length; the result is verified exactly below.
    width -= 1  # one pixel of slack absorbs rounding between summed and exact widths
    space = font.getlength(" ")
    word_widths = {word: font.getlength(word) for word in set(words)}
    lines: list[str] = []
    current, current_width = "", 0.0
    for word in words:
        word_width = word_widths[word]
        if word_width > width:
            return None
        if current and current_width + space + word_width <= width:
            current, current_width = f"{current} {word}", current_width + space + word_width
            continue
        if current:
            lines.append(current)
        current, current_width = word, word_width
    if current:
        lines.append(current)
    if any(font.getlength(line) > width for line in lines):
        return None  # a sub-pixel disagreement with the exact measure: try the next size
    return lines


def _balanced(words: list[str], font: ImageFont.FreeTypeFont, width: float, lines: list[str]) -> list[str]:
    """The same number of lines at the narrowest width that keeps it: even line lengths."""
    if len(lines) < 2:
        return lines
    low, high, best = width * 0.5, width, lines
    for _ in range(7):
        middle = (low + high) / 2
        trial = _wrap(words, font, middle)
        if trial is not None and len(trial) == len(lines):
            best, high = trial, middle
        else:
            low = middle
    return best


def _fitted(font: ImageFont.FreeTypeFont, lines: list[str], style: TextStyle, size: int, text: str, shortened: bool) -> FittedText:
    pitch = round(size * style.line_pitch)
    cap_offset = font.getbbox("H")[1]
    ascent, descent = font.getmetrics()
    block_height = (len(lines) - 1) * pitch + ascent + descent - cap_offset if lines else 0
    block_width = max((font.getlength(line) for line in lines), default=0.0)
    return FittedText(font, lines, pitch, cap_offset, text, shortened, block_width, block_height)


def _largest_fit(text: str, style: TextStyle, width: int, height: int) -> FittedText | None:
    words = text.split()
    best: FittedText | None = None
    low, high = style.min_size, max(style.min_size, style.max_size)
    while low <= high:
        size = (low + high) // 2
        font = _font(style, size)
        lines = _wrap(words, font, width)
        candidate = _fitted(font, lines, style, size, text, False) if lines else None
        if candidate and candidate.block_height <= height and (style.max_lines is None or len(lines) <= style.max_lines):
            best, low = candidate, size + 1
        else:
            high = size - 1
    if best is not None and style.balance:
        best.lines = _balanced(words, best.font, width, best.lines)
        best.block_width = max(best.font.getlength(line) for line in best.lines)
    return best


def fit_text(text: str, style: TextStyle, width: int, height: int) -> FittedText:
    """The largest size at which the whole text fits; when even the smallest size is too
    big, the longest phrase-boundary cut that fits (see `copyfit.phrase_cuts`); when no cut
    fits either, nothing (an empty FittedText the caller reports)."""
    text = collapse(text)
    whole = _largest_fit(text, style, width, height) if text else None
    if whole is not None:
        return whole
    for cut in phrase_cuts(text)[1:] if text else []:
        fitted = _largest_fit(cut, style, width, height)
        if fitted is not None:
            fitted.shortened = True
            return fitted
    return FittedText(None, [], 0, 0, "", bool(text), 0.0, 0)


_LINEAR = np.array([c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in np.arange(256) / 255.0])


def _extreme_colors(image: Image.Image, region: PixelBox) -> list[str]:
    """The darkest and lightest pixels in a region: text must contrast with both."""
    pixels = np.asarray(image.crop(region.as_tuple())).reshape(-1, 3)
    luminance = _LINEAR[pixels] @ np.array([0.2126, 0.7152, 0.0722])
    return [pal.to_hex(pixels[int(np.argmin(luminance))]), pal.to_hex(pixels[int(np.argmax(luminance))])]


def draw_text_in_box(image: Image.Image, text: str, style: TextStyle, box: PixelBox, align: str, preferred: str, panel_color: str, *, valign: str = "center", fitted: FittedText | None = None) -> DrawnText:
    fitted = fitted or fit_text(text, style, box.width, box.height)
    notes = [f"shortened at a phrase boundary to fit its area: sets {fitted.text!r} of {collapse(text)!r}"] if fitted.shortened and fitted.lines else []
    if not fitted.lines:
        return DrawnText(None, preferred, notes + ["no phrase of it fits its area even at the smallest size: omitted"])
    top = {"top": box.y0, "bottom": box.y1 - fitted.block_height}.get(valign, box.y0 + (box.height - fitted.block_height) // 2)
    draw = ImageDraw.Draw(image)
    placements, ink = [], None
    for index, line in enumerate(fitted.lines):
        line_width = fitted.font.getlength(line)
        x = {"left": box.x0, "right": box.x1 - line_width}.get(align, box.x0 + (box.width - line_width) / 2)
        y = top - fitted.cap_offset + index * fitted.pitch
        bx0, by0, bx1, by1 = draw.textbbox((x, y), line, font=fitted.font, anchor="la")
        line_ink = PixelBox(math.floor(bx0), math.floor(by0), math.ceil(bx1), math.ceil(by1))
        placements.append((x, y, line, line_ink))
        ink = line_ink if ink is None else ink.union(line_ink)
    # Glyph overhangs (accents, side bearings) can poke out of the box: nudge back inside.
    dx = round(max(0, box.x0 - ink.x0) - max(0, ink.x1 - box.x1))
    dy = round(max(0, box.y0 - ink.y0) - max(0, ink.y1 - box.y1))
    placements = [(x + dx, y + dy, line, PixelBox(b.x0 + dx, b.y0 + dy, b.x1 + dx, b.y1 + dy)) for x, y, line, b in placements]
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
    for x, y, line, _ in placements:
        draw.text((x, y), line, font=fitted.font, fill=color, anchor="la")
    return DrawnText(ink, color, notes, [(line, b) for _, _, line, b in placements])
