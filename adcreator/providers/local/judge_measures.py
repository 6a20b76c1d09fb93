"""Pixel measurements for the offline vision judge: decoding, colour, layout, region content.

Pure numpy + Pillow functions with no knowledge of how an ad was made: they see pixels and
the numbers the prompt asked for. Each returns a pydantic model holding the measured values,
so the judge can state them in its reasons. Text, product and artefact measurements
live in `judge_text`, `judge_product` and `judge_artefacts`.
"""

from __future__ import annotations


import numpy as np
from PIL import Image
from pydantic import BaseModel, Field
from scipy import ndimage

from adcreator.providers.local.pixels import grey_levels

# Colour, layout and artefact statistics need no finer detail than this (long side, px);
# 1080x1350 becomes 256x320, where one pass of any filter takes about a millisecond.
WORK_SIDE = 256
PALETTE_CLUSTERS = 8  # background, its shades, ink, accent, and a few more
PALETTE_MIN_SHARE = 0.01  # colours under 1% of the ad are anti-aliasing and specks
SEED_CELL = 4.0  # ΔE size of the grid distinct colours are pooled on before seeding
SEED_SEPARATION = 12.0  # ΔE between cluster seeds: shades closer than this are one colour
SEED_MIN_SHARE = 0.004  # a seed must hold this share of the pixels
# A colour's tints and shades count as that colour (designers, and the renderer, lighten a
# palette colour for backgrounds); moving along that ramp costs this much ΔE per L* unit, so
# pure white is not a free match for every palette.
LIGHTNESS_RAMP_COST = 0.05
NEUTRAL_CHROMA_WEIGHT = 6.0  # chroma-weight floor: greys count, but less than colours
# Precision (the ad's colours come from the palette) matters more than recall (the palette's
# colours appear in the ad): an ad need not use every colour it was given.
PRECISION_WEIGHT = 0.7
LAYOUT_GRID_SHORT_SIDE = 10  # cells across the canvas's short side for the structure maps
EDGE_STEP = 12.0  # grey-level step (0-255) that counts as an edge in the structure map
CONTENT_DISTANCE = 40.0  # RGB distance from a region's ground that counts as something drawn there


def score_from_knots(value: float, knots: tuple[tuple[float, float], ...]) -> float:
    """Piecewise-linear map through (measurement, score) knots, clamped at both ends."""
    xs, ys = zip(*knots)
    return round(float(np.interp(value, xs, ys)), 2)


# --- colour arithmetic ---------------------------------------------------------------------

def _linear(rgb: np.ndarray) -> np.ndarray:
    c = np.asarray(rgb, dtype=np.float64) / 255.0
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


_LINEAR_LUT = _linear(np.arange(256))  # 8-bit images: a table lookup instead of a power per pixel


def relative_luminance(rgb: np.ndarray) -> np.ndarray:
    """WCAG 2.x relative luminance of RGB values (0-255), any leading shape."""
    rgb = np.asarray(rgb)
    linear = _LINEAR_LUT[rgb] if rgb.dtype == np.uint8 else _linear(rgb)
    return linear[..., 0] * 0.2126 + linear[..., 1] * 0.7152 + linear[..., 2] * 0.0722


def contrast_of_luminances(a: np.ndarray | float, b: np.ndarray | float) -> np.ndarray | float:
    lighter, darker = np.maximum(a, b), np.minimum(a, b)
    return (lighter + 0.05) / (darker + 0.05)


def rgb_to_lab(rgb: np.ndarray) -> np.ndarray:
    """CIELAB (D65) of sRGB values 0-255, any leading shape."""
    linear = _linear(rgb)
    matrix = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
    xyz = linear @ matrix.T / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > 216 / 24389, np.cbrt(xyz), (24389 / 27 * xyz + 16) / 116)
    return np.stack([116 * f[..., 1] - 16, 500 * (f[..., 0] - f[..., 1]), 200 * (f[..., 1] - f[..., 2])], axis=-1)


def parse_hex(color: str) -> tuple[int, int, int]:
    digits = color.strip().lstrip("#")
    if len(digits) == 3:
        digits = "".join(ch * 2 for ch in digits)
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


def to_hex(rgb) -> str:
    r, g, b = (int(max(0, min(255, round(float(v))))) for v in rgb)
    return f"#{r:02x}{g:02x}{b:02x}"


# --- palette compliance --------------------------------------------------------------------

class PaletteMeasurement(BaseModel):
    dominant: list[tuple[str, float]]  # the ad's colours (hex, share of measured pixels), commonest first
    precision_delta_e: float  # area×chroma-weighted ΔE from each ad colour to its nearest palette family
    recall_delta_e: float  # rank-weighted ΔE from each palette colour to its nearest ad colour
    effective_delta_e: float
    excluded_share: float = 0.0  # share of the ad left out as the product (it keeps its own colours)
    palette: list[str] = Field(default_factory=list)  # the colours measured against (requested_palette)
    # Area×chroma-weighted hue error (degrees) of the ad's colours that are far from every
    # palette family; None when the ad has too little colour to tell (see hue_error).
    hue_error_deg: float | None = None
    chromatic_weight: float = 0.0  # Σ share × chroma of the ad's chromatic colours
    ad_max_chroma: float | None = None  # the most colourful of the ad's dominant colours (CIELAB chroma)
    palette_max_chroma: float | None = None  # the most colourful palette colour


def dominant_colours(pixels: np.ndarray, clusters: int = PALETTE_CLUSTERS) -> list[tuple[np.ndarray, float]]:
    """Deterministic k-means in Lab: (Lab centre, share) for colours over PALETTE_MIN_SHARE.

    Seeds are the heaviest colours at least SEED_SEPARATION apart (a small red button is a
    colour of its own, however many shades the background gradient has), refined by Lloyd
    steps over the distinct colours weighted by their counts: flat artwork costs little.
    """
    pixels = np.asarray(pixels, dtype=np.uint8).reshape(-1, 3)
    if len(pixels) == 0:
        return []
    codes = pixels.astype(np.int64) @ np.array([65536, 256, 1])
    packed, weights = np.unique(codes, return_counts=True)
    samples = rgb_to_lab(np.stack([packed // 65536, packed // 256 % 256, packed % 256], axis=1))
    cells, cell_index = np.unique(np.floor(samples / SEED_CELL).astype(np.int64), axis=0, return_inverse=True)
    cell_weight = np.bincount(cell_index.ravel(), weights)
    cell_mean = np.stack([np.bincount(cell_index.ravel(), weights * samples[:, c]) for c in range(3)], 1) / cell_weight[:, None]
    seeds: list[np.ndarray] = []
    for index in np.argsort(-cell_weight, kind="stable"):
        if len(seeds) == clusters or cell_weight[index] < SEED_MIN_SHARE * len(pixels):
            break
        if all(np.linalg.norm(cell_mean[index] - seed) > SEED_SEPARATION for seed in seeds):
            seeds.append(cell_mean[index])
    centres = np.array(seeds)
    counts = np.zeros(len(centres))
    for _ in range(5):
        nearest = np.argmin(((samples[:, None] - centres[None]) ** 2).sum(axis=2), axis=1)
        counts = np.bincount(nearest, weights, minlength=len(centres))
        sums = np.stack([np.bincount(nearest, weights * samples[:, c], len(centres)) for c in range(3)], 1)
        centres = np.where(counts[:, None] > 0, sums / np.maximum(counts, 1)[:, None], centres)
    total = counts.sum()
    order = np.argsort(-counts, kind="stable")
    return [(centres[i], float(counts[i] / total)) for i in order if counts[i] / total >= PALETTE_MIN_SHARE]


def _hls_tint_rgb(rgb: np.ndarray, lightness: np.ndarray) -> np.ndarray:
    """The colour at each HLS lightness above its own, hue and HLS saturation kept (an HSL
    lightness slider: how tints are made in design tools, and by the renderer)."""
    r, g, b = rgb / 255.0
    high, low = max(r, g, b), min(r, g, b)
    own = (high + low) / 2
    saturation = 0.0 if high == low else (high - low) / (high + low if own <= 0.5 else 2 - high - low)
    chroma = saturation * (1 - np.abs(2 * lightness - 1))  # RGB spread at each lightness
    unit = (rgb / 255.0 - low) / (high - low) if high > low else np.zeros(3)  # hue as a 0..1 shape
    base = lightness - chroma / 2
    return (base[:, None] + chroma[:, None] * unit[None]) * 255


def _family(palette_rgb: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Tint/shade ramps of each palette colour in Lab: (points [P, K, 3], ramp cost [P, K]).

    Tints are HSL-lightness tints (towards white); shades mix with black, so a light colour's
    shades stay muted (an HSL shade of cream would be mustard, which nobody calls cream).
    """
    steps = 24
    points, costs = [], []
    for rgb in palette_rgb:
        lab = rgb_to_lab(rgb)
        r, g, b = rgb / 255.0
        own = (max(r, g, b) + min(r, g, b)) / 2
        tints = rgb_to_lab(_hls_tint_rgb(rgb, np.linspace(own, 1.0, steps)))
        shades = rgb_to_lab(rgb[None] * np.linspace(0.0, 1.0, steps)[:, None])
        ramp = np.vstack([shades, tints, lab[None]])
        points.append(ramp)
        costs.append(LIGHTNESS_RAMP_COST * np.abs(ramp[:, 0] - lab[0]))
    return np.array(points), np.array(costs)


def family_distance(colours_lab: np.ndarray, palette_rgb: np.ndarray) -> np.ndarray:
    """[C, P] ΔE76 from each colour to each palette colour's tint/shade ramp, plus ramp cost."""
    points, costs = _family(np.asarray(palette_rgb, dtype=float))
    delta = np.linalg.norm(colours_lab[:, None, None, :] - points[None], axis=3) + costs[None]
    return delta.min(axis=2)


# The hue check (hue_error): a colour within HUE_GATE_DELTA_E of a palette family is that
# colour whatever its hue; an ad colour needs HUE_MIN_CHROMA (palette colours
# HUE_PALETTE_MIN_CHROMA) for its hue to mean anything.
HUE_GATE_DELTA_E = 10.0
HUE_MIN_CHROMA = 8.0
HUE_PALETTE_MIN_CHROMA = 8.0


def hue_error(centres_lab: np.ndarray, shares: np.ndarray, nearest_family: np.ndarray,
              palette_lab: np.ndarray) -> tuple[float | None, float]:
    """(weighted hue error in degrees, chromatic weight) of the ad's colours.

    ΔE averages understate a recolouring of dark or muted artwork (a dark purple ad rotated to
    dark blue moves 15-20 ΔE, as much as faithful renders stray): hue does not. Each chromatic
    ad colour that is no palette colour's tint or shade counts by how far its hue angle lies from
    the nearest chromatic palette colour (180° when the palette has none), weighted by its area
    times its chroma. Over the tuning seeds' faithful renders the error stayed under 35°;
    hue-rotated and other-palette ads measured 60-150°."""
    chroma = np.hypot(centres_lab[:, 1], centres_lab[:, 2])
    hue = np.degrees(np.arctan2(centres_lab[:, 2], centres_lab[:, 1]))
    palette_chroma = np.hypot(palette_lab[:, 1], palette_lab[:, 2])
    palette_hue = np.degrees(np.arctan2(palette_lab[:, 2], palette_lab[:, 1]))[palette_chroma >= HUE_PALETTE_MIN_CHROMA]
    chromatic = chroma >= HUE_MIN_CHROMA
    weights = shares * chroma * chromatic
    total = float(weights.sum())
    if total <= 0:
        return None, 0.0
    if len(palette_hue):
        gap = np.abs((hue[:, None] - palette_hue[None] + 180.0) % 360.0 - 180.0).min(axis=1)
    else:
        gap = np.full(len(hue), 180.0)
    gap = np.where(nearest_family < HUE_GATE_DELTA_E, 0.0, gap)
    return float((gap * weights).sum() / total), total


def requested_palette(palette_hex: list[str], color_mode: str, template_background: str | None) -> list[str]:
    """The colours an ad was asked to use: the mode's palette and, in the "original" mode, the
    template's own background first. The detector's palette lists cluster centres of the
    template's colours, which can sit 10-20 ΔE from its flat background (sol-hero: background
    #ffbe78, nearest listed #f4be8e); in that mode the renderer paints the background itself
    and a model is asked to keep it, so it is a requested colour like the listed ones."""
    colours = list(palette_hex)
    if color_mode != "original" or not template_background or template_background.lower() in (c.lower() for c in colours):
        return colours
    try:
        parse_hex(template_background)
    except ValueError:  # an analysis without a readable background colour adds nothing
        return colours
    return [template_background, *colours]


def palette_compliance(pixels: np.ndarray, palette_hex: list[str], exclude: np.ndarray | None = None) -> PaletteMeasurement:
    """How close the ad's dominant colours are to the requested palette, in CIELAB ΔE.

    `exclude` marks pixels (the product) left out: a product photo keeps its own colours.
    """
    flat = pixels.reshape(-1, 3)
    keep = np.ones(len(flat), bool) if exclude is None else ~exclude.reshape(-1)
    excluded_share = float(1 - keep.mean())
    colours = dominant_colours(flat[keep])
    palette_rgb = np.array([parse_hex(c) for c in palette_hex], float)
    if not colours:
        return PaletteMeasurement(dominant=[], precision_delta_e=100.0, recall_delta_e=100.0, effective_delta_e=100.0,
                                  excluded_share=excluded_share, palette=list(palette_hex))
    centres = np.array([c for c, _ in colours])
    shares = np.array([s for _, s in colours])
    distances = family_distance(centres, palette_rgb)
    nearest = distances.min(axis=1)
    chroma = np.hypot(centres[:, 1], centres[:, 2])
    palette_lab = rgb_to_lab(palette_rgb)
    # Colour compliance is about colour: a near-neutral area says little about which palette
    # was used, so each colour weighs by its area times its chroma (plus a floor for neutrals).
    weights = shares * (chroma + NEUTRAL_CHROMA_WEIGHT)
    precision = float((nearest * weights).sum() / weights.sum())
    # The palette lists its most prominent colour first: earlier colours weigh more.
    rank_weights = 1.0 / np.arange(1, len(palette_rgb) + 1)
    recall = float((distances.min(axis=0) * rank_weights).sum() / rank_weights.sum())
    effective = PRECISION_WEIGHT * precision + (1 - PRECISION_WEIGHT) * recall
    hue_gap, chromatic_weight = hue_error(centres, shares, nearest, palette_lab)
    dominant = [(to_hex(_lab_to_rgb(c)), round(s, 3)) for c, s in colours]
    return PaletteMeasurement(dominant=dominant, precision_delta_e=round(precision, 2), recall_delta_e=round(recall, 2),
                              effective_delta_e=round(effective, 2), excluded_share=round(excluded_share, 3),
                              palette=list(palette_hex), hue_error_deg=None if hue_gap is None else round(hue_gap, 1),
                              chromatic_weight=round(chromatic_weight, 2),
                              ad_max_chroma=round(float(chroma.max()), 1),
                              palette_max_chroma=round(float(np.hypot(palette_lab[:, 1], palette_lab[:, 2]).max()), 1))


def _lab_to_rgb(lab: np.ndarray) -> np.ndarray:
    L, a, b = lab
    fy = (L + 16) / 116
    f = np.array([fy + a / 500, fy, fy - b / 200])
    xyz = np.where(f**3 > 216 / 24389, f**3, (116 * f - 16) / (24389 / 27)) * np.array([0.95047, 1.0, 1.08883])
    inverse = np.linalg.inv(np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]))
    linear = np.clip(inverse @ xyz, 0, 1)
    srgb = np.where(linear <= 0.0031308, 12.92 * linear, 1.055 * linear ** (1 / 2.4) - 0.055)
    return srgb * 255


# --- layout fidelity -----------------------------------------------------------------------

class LayoutMeasurement(BaseModel):
    similarity: float  # -1..1: EDGE_WEIGHT x edge-density correlation + the rest x luminance-deviation correlation
    edge_correlation: float
    luminance_correlation: float
    fit: str  # how the template was brought to the canvas ratio: "stretch" or "letterbox"
    grid: tuple[int, int]  # (columns, rows)


def _grid_shape(width: int, height: int) -> tuple[int, int]:
    short = min(width, height)
    return max(2, round(LAYOUT_GRID_SHORT_SIDE * width / short)), max(2, round(LAYOUT_GRID_SHORT_SIDE * height / short))


def structure_maps(pixels: np.ndarray, grid: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """(edge density, mean luminance) per grid cell, lightly smoothed: the ad's coarse layout."""
    grey = grey_levels(pixels)
    edges = np.zeros(grey.shape, np.float32)
    edges[:, 1:] += np.abs(np.diff(grey, axis=1)) > EDGE_STEP
    edges[1:, :] += np.abs(np.diff(grey, axis=0)) > EDGE_STEP
    maps = []
    for channel in (edges, grey):
        cells = np.asarray(Image.fromarray(channel.astype(np.float32), "F").resize(grid, Image.Resampling.BOX), dtype=np.float64)
        maps.append(ndimage.gaussian_filter(cells, 0.6, mode="nearest"))
    return maps[0], maps[1]


def _correlation(a: np.ndarray, b: np.ndarray) -> float:
    a, b = a.ravel() - a.mean(), b.ravel() - b.mean()
    norm = np.sqrt((a * a).sum() * (b * b).sum())
    return float((a * b).sum() / norm) if norm > 1e-9 else 0.0


def _letterbox(template: Image.Image, size: tuple[int, int]) -> Image.Image:
    """The whole template centred on the canvas ratio, the margins filled with its border colour."""
    border = np.concatenate([np.asarray(template)[[0, -1]].reshape(-1, 3), np.asarray(template)[:, [0, -1]].reshape(-1, 3)])
    canvas = Image.new("RGB", size, tuple(int(v) for v in np.median(border, axis=0)))
    fitted = template.copy()
    fitted.thumbnail(size, Image.Resampling.BOX)
    canvas.paste(fitted, ((size[0] - fitted.width) // 2, (size[1] - fitted.height) // 2))
    return canvas


# Where elements sit shows in the edge density; the luminance grid says more about colours
# (which the colour mode changes, and V4 measures) than about placement, so it weighs less,
# and it is compared as each cell's distance from the canvas's median luminance: a product on
# a darker panel in the ad and on a lighter box in the template is one layout. With the plain
# luminance correlation a mirrored template scored as well as the right one (0.33 vs 0.31 on
# the 4:5 test render); with the deviation 0.04-0.13 against 0.37-0.42.
EDGE_WEIGHT = 2 / 3


def _deviation(luminance: np.ndarray) -> np.ndarray:
    return np.abs(luminance - np.median(luminance))


def layout_similarity(ad_pixels: np.ndarray, template: Image.Image) -> LayoutMeasurement:
    """Structure of the ad vs the template brought to the ad's ratio (stretched or letterboxed,
    whichever matches better: layouts adapt to a new ratio either way)."""
    height, width = ad_pixels.shape[:2]
    grid = _grid_shape(width, height)
    ad_edges, ad_luma = structure_maps(ad_pixels, grid)
    best: LayoutMeasurement | None = None
    small = template.convert("RGB").copy()
    small.thumbnail((WORK_SIDE * 2, WORK_SIDE * 2), Image.Resampling.BOX)
    for fit, fitted in (("stretch", small.resize((width, height), Image.Resampling.BILINEAR)), ("letterbox", _letterbox(small, (width, height)))):
        edges, luma = structure_maps(np.asarray(fitted, dtype=np.float32), grid)
        edge_r, luma_r = _correlation(ad_edges, edges), _correlation(_deviation(ad_luma), _deviation(luma))
        candidate = LayoutMeasurement(similarity=round(EDGE_WEIGHT * edge_r + (1 - EDGE_WEIGHT) * luma_r, 3), edge_correlation=round(edge_r, 3),
                                      luminance_correlation=round(luma_r, 3), fit=fit, grid=grid)
        if best is None or candidate.similarity > best.similarity:
            best = candidate
    return best


# --- presence of something in a region ---------------------------------------------------

class RegionContent(BaseModel):
    box: tuple[float, float, float, float]  # the searched region, canvas fractions
    content_share: float  # share of the region's pixels that differ from its ground
    ground: str


def region_content(pixels: np.ndarray, box: tuple[float, float, float, float], tolerance: float) -> RegionContent:
    """How much of a region (grown by `tolerance` of the canvas each side, since a layout moves
    between ratios) differs from the ground colour along the region's outline."""
    height, width = pixels.shape[:2]
    x0, y0, x1, y1 = (max(0.0, box[0] - tolerance), max(0.0, box[1] - tolerance), min(1.0, box[2] + tolerance), min(1.0, box[3] + tolerance))
    crop = pixels[int(y0 * height):max(int(y0 * height) + 1, int(np.ceil(y1 * height))), int(x0 * width):max(int(x0 * width) + 1, int(np.ceil(x1 * width)))]
    outline = np.concatenate([crop[0], crop[-1], crop[:, 0], crop[:, -1]])
    ground = np.median(outline, axis=0)
    share = float((np.linalg.norm(crop - ground, axis=2) > CONTENT_DISTANCE).mean())
    return RegionContent(box=(round(x0, 3), round(y0, 3), round(x1, 3), round(y1, 3)), content_share=round(share, 4), ground=to_hex(ground))
