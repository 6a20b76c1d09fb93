"""The demo brand's identity: palette, leaf mark, logo lockup and the round badge."""

from __future__ import annotations

import math

from PIL import Image, ImageDraw

from adcreator.demo.art_common import RGB, AAMask, draw_tracked, fill_mask, rgb
from adcreator.providers.local.fonts import load_font

BRAND_NAME = "Lumen & Leaf"
# A botanical skincare palette: deep green carries the brand, cream is the paper it sits on,
# terracotta is the single warm accent (CTAs, the "lumen" sun disc), sage softens scenes.
DEEP_GREEN = rgb("#1F4D3A")
CREAM = rgb("#F4EDE1")
TERRACOTTA = rgb("#C8643B")
SAGE = rgb("#A9BFA8")
INK = rgb("#1B2A23")
BRAND_COLOURS = {"primary": "#1F4D3A", "background": "#F4EDE1", "accent": "#C8643B", "secondary": "#A9BFA8"}


def leaf_points(base: tuple[float, float], length: float, width: float, angle_deg: float,
                steps: int = 40) -> list[tuple[float, float]]:
    """A pointed leaf from `base`, `angle_deg` clockwise from straight up."""
    angle = math.radians(angle_deg)
    axis = (math.sin(angle), -math.cos(angle))
    normal = (-axis[1], axis[0])
    outline: list[tuple[float, float]] = []
    for side in (1, -1):
        ts = [i / steps for i in range(steps + 1)]
        for t in ts if side == 1 else reversed(ts):
            # widest a third of the way up, pointed at the tip, rounded at the base
            half = width / 2 * math.sin(math.pi * t ** 0.8) * (1 - 0.15 * t)
            x = base[0] + axis[0] * length * t + normal[0] * half * side
            y = base[1] + axis[1] * length * t + normal[1] * half * side
            outline.append((x, y))
    return outline


def draw_leaf_mark(canvas: Image.Image, centre_x: float, top: float, size: float,
                   leaf: RGB = DEEP_GREEN, sun: RGB = TERRACOTTA, vein: RGB = CREAM) -> None:
    """Sun disc rising behind two leaves: 'lumen' and 'leaf'. Occupies a size x size square."""
    mask = AAMask(size, size)
    base = (size * 0.5, size * 0.96)
    mask.ellipse((size * 0.16, size * 0.06, size * 0.58, size * 0.48))
    fill_mask(canvas, mask.mask(), sun, (int(centre_x - size / 2), int(top)))
    leaves = AAMask(size, size)
    leaves.polygon(leaf_points(base, size * 0.86, size * 0.40, 28))
    leaves.polygon(leaf_points(base, size * 0.62, size * 0.30, -42))
    leaves.line([(size * 0.5, size * 0.99), base], width=size * 0.035)
    fill_mask(canvas, leaves.mask(), leaf, (int(centre_x - size / 2), int(top)))
    veins = AAMask(size, size)
    for angle, length in ((28, 0.86), (-42, 0.62)):
        a = math.radians(angle)
        tip = (base[0] + math.sin(a) * size * length * 0.82, base[1] - math.cos(a) * size * length * 0.82)
        veins.line([base, tip], width=size * 0.018)
    fill_mask(canvas, veins.mask(), vein, (int(centre_x - size / 2), int(top)), opacity=0.8)


def draw_wordmark(canvas: Image.Image, centre_x: float, top: float, height: float,
                  colour: RGB = DEEP_GREEN, accent: RGB = TERRACOTTA, tagline: bool = True) -> None:
    font = load_font("Lato", "Bold", max(8, int(height * 0.62)))
    draw_tracked(canvas, centre_x, top, "LUMEN & LEAF", font, colour, tracking=height * 0.12)
    if tagline:
        small = load_font("Lato", "Regular", max(6, int(height * 0.26)))
        draw_tracked(canvas, centre_x, top + height * 0.86, "BOTANICAL SKINCARE", small, accent,
                     tracking=height * 0.1)


def draw_logo(size: int = 512) -> Image.Image:
    """Leaf mark above the wordmark on a transparent square."""
    logo = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw_leaf_mark(logo, size / 2, size * 0.1, size * 0.5)
    draw_wordmark(logo, size / 2, size * 0.66, size * 0.11)
    return logo


def _text_on_circle(canvas: Image.Image, centre: tuple[float, float], radius: float, text: str,
                    font_size: int, colour: RGB, start_deg: float, tracking: float) -> None:
    """Glyphs laid clockwise along a circle, tops pointing outward, starting at `start_deg`."""
    font = load_font("Lato", "Black", font_size)
    angle = math.radians(start_deg)
    for ch in text:
        advance = font.getlength(ch) + tracking
        mid = angle + advance / 2 / radius
        glyph = Image.new("RGBA", (font_size * 2, font_size * 2), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text((font_size, font_size), ch, font=font, fill=colour + (255,), anchor="mm")
        glyph = glyph.rotate(-math.degrees(mid), resample=Image.BICUBIC)
        x = centre[0] + radius * math.sin(mid) - font_size
        y = centre[1] - radius * math.cos(mid) - font_size
        canvas.alpha_composite(glyph, dest=(int(x), int(y)))
        angle += advance / radius


def draw_badge(size: int = 512, label: str = "DERMATOLOGIST TESTED  •  GENTLE ON SKIN") -> Image.Image:
    """A round seal: ring text, a check mark and a small claim in the centre."""
    badge = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    disc = AAMask(size, size)
    disc.ellipse((size * 0.02, size * 0.02, size * 0.98, size * 0.98))
    fill_mask(badge, disc.mask(), DEEP_GREEN)
    rings = AAMask(size, size)
    rings.arc((size * 0.07, size * 0.07, size * 0.93, size * 0.93), 0, 360, width=size * 0.008)
    rings.arc((size * 0.25, size * 0.25, size * 0.75, size * 0.75), 0, 360, width=size * 0.006)
    fill_mask(badge, rings.mask(), CREAM, opacity=0.9)
    font_size = int(size * 0.075)
    ring_text = f"{label}  •  "
    font = load_font("Lato", "Black", font_size)
    radius = size * 0.335
    natural = sum(font.getlength(ch) for ch in ring_text)
    tracking = max(0.0, (2 * math.pi * radius - natural) / len(ring_text))
    _text_on_circle(badge, (size / 2, size / 2), radius, ring_text, font_size, CREAM, -10, tracking)
    inner = AAMask(size, size)
    inner.ellipse((size * 0.29, size * 0.29, size * 0.71, size * 0.71))
    fill_mask(badge, inner.mask(), TERRACOTTA)
    check = AAMask(size, size)
    check.line([(size * 0.39, size * 0.50), (size * 0.46, size * 0.57), (size * 0.61, size * 0.42)],
               width=size * 0.035)
    fill_mask(badge, check.mask(), CREAM)
    return badge
