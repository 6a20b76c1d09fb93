"""Find the source product in the ad by matching its picture over sizes and positions.

The colour back-projection of `judge_product` fails where the product is small or shares its
colours with the background. Here the source's grey levels, masked to its subject, are slid
over the ad at a ladder of sizes (and three proportions, so a stretched product is still
found) and compared by masked normalised cross-correlation, all positions at once through
FFTs. The best placement gives the product's box; its correlation and the colour agreement
inside it say how sure the match is.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image
from scipy import fft as sfft

from adcreator.providers.local.pixels import grey_levels

SEARCH_SHORT_SIDE = 160  # the ad's work copy for the search: positions to a few pixels, sizes to 9%
MIN_HEIGHT_PX = 14  # the smallest product height searched, work pixels (~9% of the short side)
MAX_HEIGHT_SHARE = 0.95  # of the work image's height
SIZE_STEP = 1.18
STRETCHES = (0.7, 1.0, 1.4)  # width multipliers tried, so a distorted product still matches
MIN_MASK_PIXELS = 40
REFINE_SHORT_SIDE = 96  # the window around a placement, re-searched for its proportions
# Mean-colour gap (RGB distance) between the window under the mask and the source: up to
# COLOUR_GAP_FREE is free (a relit product, a backdrop showing at its edge shift it by 5-20);
# beyond, each COLOUR_GAP_SCALE costs a whole unit of correlation (another object's colours
# differ by 60 and more).
COLOUR_GAP_FREE = 20.0
COLOUR_GAP_SCALE = 120.0


@dataclass(frozen=True)
class Placement:
    box: tuple[float, float, float, float]  # canvas fractions
    correlation: float  # masked NCC of grey levels, -1..1
    stretch: float  # the width multiplier of the best template
    colour_gap: float  # RGB distance between the mean colours under the mask and of the source
    score: float  # correlation less the colour gap's penalty: what placements are ranked by
    faithful_correlation: float | None = None  # (refine_stretch) the best match at the source's own proportions


def _spectrum(kernel: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """The conjugate spectrum of a small kernel zero-padded to `shape` (for correlation)."""
    padded = np.zeros(shape, np.float64)
    padded[:kernel.shape[0], :kernel.shape[1]] = kernel
    return np.conj(sfft.rfft2(padded))


def _correlate(spectrum: np.ndarray, kernel_spectrum: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """Circular cross-correlation of an image with a kernel, both given by their spectra."""
    return sfft.irfft2(spectrum * kernel_spectrum, s=shape)


def locate(ad_pixels: np.ndarray, source_pixels: np.ndarray, source_mask: np.ndarray, top: int = 1, *,
           heights: list[float] | None = None, stretches: tuple[float, ...] = STRETCHES, short_side: int = SEARCH_SHORT_SIDE) -> list[Placement]:
    """The best placements of the source subject in the ad (RGB float arrays), best first.
    `heights` (work pixels) replaces the ladder of sizes, `stretches` the proportions tried."""
    height, width = ad_pixels.shape[:2]
    scale = min(1.0, short_side / min(height, width))
    size = (max(8, round(width * scale)), max(8, round(height * scale)))
    small = np.asarray(Image.fromarray(np.clip(ad_pixels, 0, 255).astype(np.uint8)).resize(size, Image.Resampling.BOX), dtype=np.float64)
    grey = grey_levels(small)
    h_img, w_img = grey.shape
    # Circular correlation is exact on the valid positions; padding to sizes the FFT factors
    # well (and that hold the largest template) only makes it faster.
    shape = (sfft.next_fast_len(h_img, real=True), sfft.next_fast_len(w_img, real=True))
    f_image, f_square = sfft.rfft2(grey, s=shape), sfft.rfft2(grey * grey, s=shape)
    f_channels = [sfft.rfft2(small[..., c], s=shape) for c in range(3)]
    ys, xs = np.nonzero(source_mask)
    crop = np.s_[ys.min():ys.max() + 1, xs.min():xs.max() + 1]
    source_grey = Image.fromarray(grey_levels(source_pixels[crop]).astype(np.float32), "F")
    subject = source_mask[crop]
    source_colour = source_pixels[crop][subject].mean(axis=0)
    source_subject = Image.fromarray(source_mask[crop].astype(np.float32), "F")
    aspect = source_grey.width / source_grey.height
    candidates: list[Placement] = []
    if heights is None:
        heights, t_height = [], MIN_HEIGHT_PX
        while t_height <= MAX_HEIGHT_SHARE * h_img:
            heights.append(t_height)
            t_height *= SIZE_STEP
    for t_height in heights:
        for stretch in stretches:
            t_width = max(4, round(t_height * aspect * stretch))
            if t_width > w_img:
                continue
            th = round(t_height)
            mask = np.asarray(source_subject.resize((t_width, th), Image.Resampling.BILINEAR)) > 0.5
            n = int(mask.sum())
            if n < MIN_MASK_PIXELS:
                continue
            template = np.asarray(source_grey.resize((t_width, th), Image.Resampling.BILINEAR), dtype=np.float64)
            centred = np.where(mask, template - template[mask].mean(), 0.0)
            energy = float((centred * centred).sum())
            if energy < 1e-6:
                continue
            f_mask, f_centred = _spectrum(mask.astype(np.float64), shape), _spectrum(centred, shape)
            numerator = _correlate(f_image, f_centred, shape)
            local_sum = _correlate(f_image, f_mask, shape)
            local_square = _correlate(f_square, f_mask, shape)
            variance = np.maximum(local_square - local_sum * local_sum / n, 1e-6)
            # A placement over flat ground has no variance to correlate with: not a match.
            ncc = np.where(variance > 4.0 * n, numerator / np.sqrt(variance * energy), -1.0)
            # The pattern alone matches any shape lit the same way (a button, a dark circle):
            # the mean colour under the mask must be the product's too.
            mean_colour = np.stack([_correlate(f, f_mask, shape) for f in f_channels], axis=-1) / n
            colour_gap = np.linalg.norm(mean_colour - source_colour, axis=-1)
            score = ncc - np.maximum(0.0, colour_gap - COLOUR_GAP_FREE) / COLOUR_GAP_SCALE
            valid = score[:h_img - th + 1, :w_img - t_width + 1]
            y, x = np.unravel_index(int(np.argmax(valid)), valid.shape)
            candidates.append(Placement(box=(x / w_img, y / h_img, (x + t_width) / w_img, (y + th) / h_img),
                                        correlation=round(float(ncc[y, x]), 3), stretch=stretch,
                                        colour_gap=round(float(colour_gap[y, x]), 1), score=round(float(valid[y, x]), 3)))
    candidates.sort(key=lambda p: -p.score)
    chosen: list[Placement] = []
    for placement in candidates:  # distinct places only
        if all(_iou(placement.box, other.box) < 0.3 for other in chosen):
            chosen.append(placement)
        if len(chosen) == top:
            break
    return chosen


def refine_stretch(ad_pixels: np.ndarray, source_pixels: np.ndarray, source_mask: np.ndarray, placement: Placement) -> Placement | None:
    """The placement's proportions to a few percent: the source matched again in a window
    around it, at nearby heights and a fine ladder of stretches, at twice the search's
    resolution. None when the window is too small to search."""
    height, width = ad_pixels.shape[:2]
    x0, y0, x1, y1 = placement.box
    pad_x, pad_y = 0.5 * (x1 - x0), 0.25 * (y1 - y0)
    wx0, wy0 = max(0, int((x0 - pad_x) * width)), max(0, int((y0 - pad_y) * height))
    wx1, wy1 = min(width, int(np.ceil((x1 + pad_x) * width))), min(height, int(np.ceil((y1 + pad_y) * height)))
    window = ad_pixels[wy0:wy1, wx0:wx1]
    if min(window.shape[:2]) < 16:
        return None
    scale = min(1.0, REFINE_SHORT_SIDE / min(window.shape[:2]))
    product_px = (y1 - y0) * height * scale
    heights = [product_px * f for f in (0.92, 1.0, 1.08)]
    stretches = tuple(float(v) for v in placement.stretch * np.geomspace(0.75, 1.33, 17))
    found = locate(window, source_pixels, source_mask, top=1, heights=heights, stretches=stretches, short_side=REFINE_SHORT_SIDE)
    faithful = locate(window, source_pixels, source_mask, top=1, heights=heights, stretches=(1.0,), short_side=REFINE_SHORT_SIDE)
    if not found:
        return None
    best = found[0]
    wh, ww = wy1 - wy0, wx1 - wx0
    box = ((wx0 + best.box[0] * ww) / width, (wy0 + best.box[1] * wh) / height, (wx0 + best.box[2] * ww) / width, (wy0 + best.box[3] * wh) / height)
    return Placement(box=box, correlation=best.correlation, stretch=best.stretch, colour_gap=best.colour_gap, score=best.score,
                     faithful_correlation=faithful[0].correlation if faithful else None)


def _iou(a, b) -> float:
    w = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    h = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = w * h
    return inter / max(1e-9, (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter)
