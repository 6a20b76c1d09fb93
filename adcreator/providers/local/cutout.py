"""Reference images: decode once, cut the subject out of a studio backdrop.

A catalog packshot is a product on a seamless sweep: a light wall that turns into a floor,
a contact shadow under the product and often a faint mirrored reflection below it. The cut
keeps the product alone:
- the backdrop is modelled per row (interpolated between the left and right borders), so a
  floor that is darker than the wall is backdrop, not a slab;
- the subject is what the border cannot reach through backdrop-like pixels (so a white label
  enclosed by the product stays opaque);
- below the product's foot, rows that are shadow (a darker backdrop) or a faint copy of the
  product (a reflection) are floor, and go, as does the shadow spreading beside the foot
  (the renderer sets one soft contact shadow of its own under every product);
- edge pixels are un-mixed from the backdrop colour, so no pale halo shows on a dark ad.
A photo whose border is a scene, not a backdrop, is shown whole (as a card) instead.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from PIL import Image, ImageFilter, UnidentifiedImageError
from scipy import ndimage

# No ad slot is larger than this, so bigger sources only cost time.
MAX_REFERENCE_SIDE = 1600
CUTOUT_WORK_SIDE = 512  # the subject is found at this size, then the edge is set at full size
BORDER_FRACTION = 0.03  # the strips along the left and right edges that sample the backdrop
# Colour distance (RGB euclidean) from the backdrop model: below REACH the border floods
# through a pixel; alpha ramps from EDGE_START over EDGE_RAMP at the subject's edge.
REACH_DISTANCE, EDGE_START, EDGE_RAMP = 16.0, 10.0, 36.0
# Border pixels further than this from their median mean the border is a scene, not a
# studio backdrop (a sweep from wall to floor stays well within it).
BUSY_BORDER_DISTANCE = 40.0
# A pixel is shadow when it is the backdrop darkened by this factor range, hue unchanged.
SHADOW_DARKENING = (0.3, 0.95)
SHADOW_CHROMA_TOLERANCE = 0.035
# On the floor (under and beside the foot) even the faintest darkening is shadow.
FLOOR_SHADOW_LIGHTEST = 0.995
# Rows under the product whose strongest pixels reach less than this share of the product's
# typical strength are a reflection or shadow, not the product.
FAINT_ROW_SHARE = 0.4


@dataclass(frozen=True)
class PreparedImage:
    image: Image.Image  # RGBA, cropped to the subject
    is_cutout: bool


def _connected_to_border(mask: np.ndarray) -> np.ndarray:
    """Pixels of `mask` reachable from the image border within `mask`."""
    labels, _ = ndimage.label(mask)
    edge_labels = np.unique(np.concatenate([labels[0], labels[-1], labels[:, 0], labels[:, -1]]))
    return np.isin(labels, edge_labels[edge_labels > 0])


def _row_backdrop(pixels: np.ndarray) -> np.ndarray:
    """The backdrop colour at every pixel: per row, a blend of the left and right borders."""
    height, width = pixels.shape[:2]
    strip = max(2, round(BORDER_FRACTION * width))
    left = np.median(pixels[:, :strip], axis=1)
    right = np.median(pixels[:, -strip:], axis=1)
    # A product touching one border spoils a few rows there: a vertical median smooths it.
    size = max(3, height // 40) | 1
    left = ndimage.median_filter(left, size=(size, 1), mode="nearest")
    right = ndimage.median_filter(right, size=(size, 1), mode="nearest")
    u = np.linspace(0.0, 1.0, width, dtype=np.float32)[None, :, None]
    return left[:, None, :] * (1 - u) + right[:, None, :] * u


def _shadow_like(pixels: np.ndarray, backdrop: np.ndarray, lightest: float = SHADOW_DARKENING[1]) -> tuple[np.ndarray, np.ndarray]:
    """(mask, darkening) of pixels that are the backdrop in shadow: darker, same chroma."""
    brightness = pixels.sum(axis=-1) + 1e-3
    backdrop_brightness = backdrop.sum(axis=-1) + 1e-3
    factor = brightness / backdrop_brightness
    chroma = np.abs(pixels / brightness[..., None] - backdrop / backdrop_brightness[..., None]).max(axis=-1)
    mask = (factor >= SHADOW_DARKENING[0]) & (factor <= lightest) & (chroma <= SHADOW_CHROMA_TOLERANCE)
    return mask, factor


def _foot_row(subject: np.ndarray, distance: np.ndarray, shadow: np.ndarray) -> int | None:
    """The first row below the product's foot (where shadow/reflection begins), or None."""
    rows = np.flatnonzero(subject.any(axis=1))
    if len(rows) < 8:
        return None
    strength = np.array([np.percentile(distance[y][subject[y]], 90) if subject[y].any() else 0.0 for y in range(subject.shape[0])])
    shadow_share = np.array([shadow[y][subject[y]].mean() if subject[y].any() else 0.0 for y in range(subject.shape[0])])
    top, bottom = rows[0], rows[-1]
    typical = float(np.median(strength[top:bottom + 1]))
    foot = None
    for y in range(bottom, top + (bottom - top) // 2, -1):
        faint = strength[y] < FAINT_ROW_SHARE * typical
        if faint or shadow_share[y] >= 0.6:
            foot = y
        else:
            break
    return foot


def _beside_the_foot(subject: np.ndarray, foot: int) -> tuple[slice, tuple[int, int]] | None:
    """(rows, (left, right) columns) of the band just above the foot where a contact shadow
    spreads beside the product: outside the product's width a few rows higher, it is floor."""
    rows = np.flatnonzero(subject[:foot].any(axis=1))
    if len(rows) < 10:
        return None
    height = foot - rows[0]
    band = max(2, round(0.10 * height))
    reference = subject[max(rows[0], foot - band - max(2, round(0.04 * height))):foot - band]
    columns = np.flatnonzero(reference.any(axis=0))
    if len(columns) == 0:
        return None
    margin = 1
    return slice(foot - band, foot), (max(0, columns[0] - margin), columns[-1] + 1 + margin)


# Small: one job renders the same few references at 4 sizes x 3 modes; each entry can be
# ~10 MB (1600 px RGBA), so a big cache would hold a lot of memory for little gain.
@lru_cache(maxsize=8)
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
    backdrop = _row_backdrop(pixels)
    distance = np.linalg.norm(pixels - backdrop, axis=2)
    border = np.concatenate([pixels[0], pixels[-1], pixels[:, 0], pixels[:, -1]])
    if np.percentile(np.linalg.norm(border - np.median(border, axis=0), axis=1), 80) > BUSY_BORDER_DISTANCE:
        return PreparedImage(rgb.convert("RGBA"), False)
    background = _connected_to_border(distance < REACH_DISTANCE)
    subject = ~background
    edges = (subject[0].mean(), subject[-1].mean(), subject[:, 0].mean(), subject[:, -1].mean())
    if sum(share > 0.05 for share in edges) >= 2:
        # The "subject" runs off two sides: a scene or a texture, not an object on a backdrop.
        return PreparedImage(rgb.convert("RGBA"), False)
    shadow, factor = _shadow_like(pixels, backdrop)
    foot = _foot_row(subject, distance, shadow)
    # Work-size decisions, scaled to full size: what is backdrop, and what is floor below the foot.
    full_backdrop = _row_backdrop(np.asarray(rgb, dtype=np.float32))
    full = np.asarray(rgb, dtype=np.float32)
    full_distance = np.linalg.norm(full - full_backdrop, axis=2)
    region = Image.fromarray(background.astype(np.uint8) * 255, "L").resize(rgb.size, Image.NEAREST).filter(ImageFilter.MaxFilter(3))
    ramp = np.clip((full_distance - EDGE_START) / EDGE_RAMP, 0.0, 1.0)
    alpha = np.where(np.asarray(region) > 0, ramp, 1.0).astype(np.float32)
    colour = full.copy()
    floor_from = None
    if foot is not None:
        scale = rgb.height / work.height
        floor_from = round(foot * scale)
        below = slice(floor_from, None)
        # Under the foot is floor: its shadow and any reflection go (the renderer sets its own
        # soft contact shadow, the same for every product).
        alpha[below] = 0.0
        beside = _beside_the_foot(subject, foot)
        if beside is not None:
            rows, (left, right) = beside
            band = slice(round(rows.start * scale), floor_from)
            band_shadow, _ = _shadow_like(full[band], full_backdrop[band], FLOOR_SHADOW_LIGHTEST)
            columns = np.arange(rgb.width)
            outside = (columns < left * scale) | (columns >= right * scale)
            turn = band_shadow & outside[None, :] & (alpha[band] > 0)
            alpha[band] = np.where(turn, 0.0, alpha[band])
    # Un-mix edge pixels from the backdrop: observed = a*F + (1-a)*backdrop.
    partial = (alpha > 0.02) & (alpha < 0.98)
    if floor_from is not None:
        partial[floor_from:] = False
    safe_alpha = np.maximum(alpha, 0.02)[..., None]
    unmixed = np.clip(full_backdrop + (full - full_backdrop) / safe_alpha, 0, 255)
    colour = np.where(partial[..., None], unmixed, colour)
    alpha_image = Image.fromarray((alpha * 255).round().astype(np.uint8), "L").filter(ImageFilter.GaussianBlur(0.6))
    rgba = Image.fromarray(colour.round().astype(np.uint8), "RGB").convert("RGBA")
    rgba.putalpha(alpha_image)
    bbox = alpha_image.point(lambda v: 255 if v > 24 else 0).getbbox()
    if bbox is None or math.prod((bbox[2] - bbox[0], bbox[3] - bbox[1])) < 0.01 * math.prod(rgb.size):
        return PreparedImage(rgb.convert("RGBA"), False)  # nothing distinct from the backdrop
    return PreparedImage(rgba.crop(bbox), True)
