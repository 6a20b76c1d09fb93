"""Reference images: decode once, cut the subject out of a plain background."""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from PIL import Image, ImageFilter, UnidentifiedImageError

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
