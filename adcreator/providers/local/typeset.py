"""Typesetting: fit text to a box (wrap, shrink, then ellipsis) and draw it legibly.

The ink colour is chosen for WCAG contrast against the pixels actually behind the text.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from adcreator.prompts import palette as pal
from adcreator.providers.local.fonts import load_font
from adcreator.providers.local.layout import PixelBox

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
