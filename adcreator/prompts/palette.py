"""The colour-mode rule (spec 4) and the colour arithmetic under it: hex parsing, palettes, WCAG contrast.

`palette_for_mode` decides the palette an ad must use for its colour mode, whatever model draws
it, so it lives with the contracts, not in an adapter. Pure functions on "#rrggbb" strings, so
the pipeline, the renderer, the heuristic judge and the prompt builder agree on what a palette
and a legible colour pair are.
"""

from __future__ import annotations

import colorsys
import re

RGB = tuple[int, int, int]

_HEX_PATTERN = re.compile(r"^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")

# WCAG 2.x AA minimum for normal-size text; large text could use 3.0 but ads are read at a
# glance on a phone, so everything is held to the stricter bar.
WCAG_AA_TEXT_CONTRAST = 4.5

# Near-black and white rather than pure black: pure #000000 looks harsh on tinted
# backgrounds, and #111111 still gives 18.9:1 against white.
DARK_TEXT = "#111111"
LIGHT_TEXT = "#ffffff"

# Used when neither the template nor the brand gave any colour: a neutral light background,
# an ink colour and one warm accent, so an ad can still be rendered.
FALLBACK_PALETTE = ["#f4f1ec", "#1f2a44", "#e4572e"]


def parse_hex(color: str) -> RGB:
    match = _HEX_PATTERN.match(color.strip())
    if not match:
        raise ValueError(f"not a hex colour: {color!r}")
    digits = match.group(1)
    if len(digits) == 3:
        digits = "".join(ch * 2 for ch in digits)
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


def to_hex(rgb: tuple[float, float, float]) -> str:
    r, g, b = (max(0, min(255, round(channel))) for channel in rgb)
    return f"#{r:02x}{g:02x}{b:02x}"


def normalize_hex(color: str) -> str:
    return to_hex(parse_hex(color))


def to_hls(color: str) -> tuple[float, float, float]:
    r, g, b = parse_hex(color)
    return colorsys.rgb_to_hls(r / 255, g / 255, b / 255)


def from_hls(hue: float, lightness: float, saturation: float) -> str:
    r, g, b = colorsys.hls_to_rgb(hue % 1.0, min(1.0, max(0.0, lightness)), min(1.0, max(0.0, saturation)))
    return to_hex((r * 255, g * 255, b * 255))


def rotate_hue(color: str, degrees: float) -> str:
    hue, lightness, saturation = to_hls(color)
    return from_hls(hue + degrees / 360.0, lightness, saturation)


def with_lightness(color: str, lightness: float) -> str:
    hue, _, saturation = to_hls(color)
    return from_hls(hue, lightness, saturation)


def mix(color_a: str, color_b: str, weight_b: float) -> str:
    """Linear blend in sRGB; weight_b=0 gives color_a, 1 gives color_b."""
    a, b = parse_hex(color_a), parse_hex(color_b)
    return to_hex(tuple(ca + (cb - ca) * weight_b for ca, cb in zip(a, b)))


def saturation_of(color: str) -> float:
    return to_hls(color)[2]


def lightness_of(color: str) -> float:
    return to_hls(color)[1]


def palette_for_mode(mode: str, template_palette: list[str], brand_colors: list[str]) -> list[str]:
    """The palette an ad in `mode` must use, most prominent first.

    complementary rotates every hue by 180° in HLS and keeps lightness and saturation, so
    the template's light/dark structure (and therefore its legibility) survives while the
    colour story changes; greys have no hue and stay as they are.
    """
    template = [normalize_hex(c) for c in template_palette] or list(FALLBACK_PALETTE)
    if mode == "original":
        return template
    if mode == "complementary":
        return [rotate_hue(color, 180.0) for color in template]
    if mode == "brand":
        brand = [normalize_hex(c) for c in brand_colors]
        return brand or template
    raise ValueError(f"unknown colour mode {mode!r}")


def _linear_channel(value_8bit: float) -> float:
    srgb = value_8bit / 255.0
    return srgb / 12.92 if srgb <= 0.04045 else ((srgb + 0.055) / 1.055) ** 2.4


def relative_luminance(color: str | tuple[float, float, float]) -> float:
    """WCAG 2.x relative luminance in [0, 1] of a hex colour or an (r, g, b) 0-255 tuple."""
    r, g, b = parse_hex(color) if isinstance(color, str) else color
    return 0.2126 * _linear_channel(r) + 0.7152 * _linear_channel(g) + 0.0722 * _linear_channel(b)


def contrast_ratio(color_a: str | tuple, color_b: str | tuple) -> float:
    """WCAG contrast ratio, 1.0 (same luminance) to 21.0 (black on white)."""
    lum_a, lum_b = relative_luminance(color_a), relative_luminance(color_b)
    lighter, darker = max(lum_a, lum_b), min(lum_a, lum_b)
    return (lighter + 0.05) / (darker + 0.05)


def best_text_color(background: str) -> str:
    """Dark or light neutral ink, whichever reads better on `background`."""
    if contrast_ratio(DARK_TEXT, background) >= contrast_ratio(LIGHT_TEXT, background):
        return DARK_TEXT
    return LIGHT_TEXT


def min_contrast(color: str, backgrounds: list[str]) -> float:
    return min(contrast_ratio(color, bg) for bg in backgrounds)


def ensure_contrast(foreground: str, background: str | list[str], min_ratio: float = WCAG_AA_TEXT_CONTRAST) -> str:
    """`foreground`, darkened or lightened (hue kept) until it reaches `min_ratio` on every
    given background; falls back to the best neutral when no shade of the hue gets there.
    """
    backgrounds = [background] if isinstance(background, str) else list(background)
    foreground = normalize_hex(foreground)
    if min_contrast(foreground, backgrounds) >= min_ratio:
        return foreground
    hue, lightness, saturation = to_hls(foreground)
    # Try first towards whichever end (black or white) the backgrounds leave more room for.
    darkest_bg = min(relative_luminance(bg) for bg in backgrounds)
    brightest_bg = max(relative_luminance(bg) for bg in backgrounds)
    darker_first = (darkest_bg + 0.05) / 0.05 >= 1.05 / (brightest_bg + 0.05)
    scanned: list[str] = []
    for step in (-0.02, 0.02) if darker_first else (0.02, -0.02):
        for index in range(1, 51):
            candidate = from_hls(hue, lightness + step * index, saturation)
            if min_contrast(candidate, backgrounds) >= min_ratio:
                return candidate
            scanned.append(candidate)
    # The window that satisfies several backgrounds can be narrower than a step: refine
    # around the best coarse shade before giving up on the hue.
    best_lightness = to_hls(max(scanned, key=lambda c: min_contrast(c, backgrounds)))[1]
    for index in range(-10, 11):
        candidate = from_hls(hue, best_lightness + 0.002 * index, saturation)
        if min_contrast(candidate, backgrounds) >= min_ratio:
            return candidate
        scanned.append(candidate)
    # No shade of this hue is enough (e.g. both very dark and very light pixels behind the
    # text): the best-scoring neutral or shade, which the caller can back with a panel.
    neutrals = [DARK_TEXT, LIGHT_TEXT, "#000000", "#ffffff"] + [to_hex((v, v, v)) for v in range(0, 256, 5)]
    return max(neutrals + scanned, key=lambda c: min_contrast(c, backgrounds))
