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

from adcreator.providers.local.pixels import grey_levels

SEARCH_SHORT_SIDE = 160  # the ad's work copy for the search: positions to a few pixels, sizes to 10%
MIN_HEIGHT_PX = 14  # the smallest product height searched, work pixels (~9% of the short side)
MAX_HEIGHT_SHARE = 0.95  # of the work image's height
SIZE_STEP = 1.12
STRETCHES = (0.7, 1.0, 1.4)  # width multipliers tried, so a distorted product still matches
MIN_MASK_PIXELS = 40
# RGB distance of mean colours that costs as much as the whole correlation range's half: a
# relit product shifts its mean by 10-30, another object's differs by 60 and more.
COLOUR_GAP_SCALE = 120.0


@dataclass(frozen=True)
class Placement:
    box: tuple[float, float, float, float]  # canvas fractions
    correlation: float  # masked NCC of grey levels, -1..1
    stretch: float  # the width multiplier of the best template
    colour_gap: float  # RGB distance between the mean colours under the mask and of the source
    score: float  # correlation less the colour gap's penalty: what placements are ranked by


def _correlate(spectrum: np.ndarray, kernel: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """Circular cross-correlation of the image (given by its spectrum) with a small kernel."""
    padded = np.zeros(shape, np.float64)
    padded[:kernel.shape[0], :kernel.shape[1]] = kernel
    return np.fft.irfft2(spectrum * np.conj(np.fft.rfft2(padded)), s=shape)


def locate(ad_pixels: np.ndarray, source_pixels: np.ndarray, source_mask: np.ndarray, top: int = 1) -> list[Placement]:
    """The best placements of the source subject in the ad (RGB float arrays), best first."""
    height, width = ad_pixels.shape[:2]
    scale = min(1.0, SEARCH_SHORT_SIDE / min(height, width))
    size = (max(8, round(width * scale)), max(8, round(height * scale)))
    small = np.asarray(Image.fromarray(np.clip(ad_pixels, 0, 255).astype(np.uint8)).resize(size, Image.Resampling.BOX), dtype=np.float64)
    grey = grey_levels(small)
    h_img, w_img = grey.shape
    shape = (h_img, w_img)
    f_image, f_square = np.fft.rfft2(grey), np.fft.rfft2(grey * grey)
    f_channels = [np.fft.rfft2(small[..., c]) for c in range(3)]
    ys, xs = np.nonzero(source_mask)
    crop = np.s_[ys.min():ys.max() + 1, xs.min():xs.max() + 1]
    source_grey = Image.fromarray(grey_levels(source_pixels[crop]).astype(np.float32), "F")
    subject = source_mask[crop]
    source_colour = source_pixels[crop][subject].mean(axis=0)
    source_subject = Image.fromarray(source_mask[crop].astype(np.float32), "F")
    aspect = source_grey.width / source_grey.height
    candidates: list[Placement] = []
    t_height = MIN_HEIGHT_PX
    while t_height <= MAX_HEIGHT_SHARE * h_img:
        for stretch in STRETCHES:
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
            weights = mask.astype(np.float64)
            numerator = _correlate(f_image, centred, shape)
            local_sum = _correlate(f_image, weights, shape)
            local_square = _correlate(f_square, weights, shape)
            variance = np.maximum(local_square - local_sum * local_sum / n, 1e-6)
            # A placement over flat ground has no variance to correlate with: not a match.
            ncc = np.where(variance > 4.0 * n, numerator / np.sqrt(variance * energy), -1.0)
            # The pattern alone matches any shape lit the same way (a button, a dark circle):
            # the mean colour under the mask must be the product's too.
            mean_colour = np.stack([_correlate(f, weights, shape) for f in f_channels], axis=-1) / n
            colour_gap = np.linalg.norm(mean_colour - source_colour, axis=-1)
            score = ncc - colour_gap / COLOUR_GAP_SCALE
            valid = score[:h_img - th + 1, :w_img - t_width + 1]
            y, x = np.unravel_index(int(np.argmax(valid)), valid.shape)
            candidates.append(Placement(box=(x / w_img, y / h_img, (x + t_width) / w_img, (y + th) / h_img),
                                        correlation=round(float(ncc[y, x]), 3), stretch=stretch,
                                        colour_gap=round(float(colour_gap[y, x]), 1), score=round(float(valid[y, x]), 3)))
        t_height *= SIZE_STEP
    candidates.sort(key=lambda p: -p.score)
    chosen: list[Placement] = []
    for placement in candidates:  # distinct places only
        if all(_iou(placement.box, other.box) < 0.3 for other in chosen):
            chosen.append(placement)
        if len(chosen) == top:
            break
    return chosen


def _iou(a, b) -> float:
    w = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    h = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = w * h
    return inter / max(1e-9, (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter)
