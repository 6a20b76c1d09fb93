"""Fit the source product onto the ad at trial sizes, to measure its proportions in the ad.

The colour blob that locates the product (judge_product) is a poor ruler: a reflection or a
contact shadow under the product shares its colours and stretches the blob, and a highlight
that matches the backdrop narrows it. Measured on the demo packshot (a bottle with a faint
reflection) rendered faithfully, the blob's width/height came out at 0.80-0.84x the source's,
past the distortion tolerance. Here the source's grey levels are laid over the ad around the
blob at trial heights and horizontal stretches, and the stretch whose masked correlation is
highest is the product's: the label, the cap and the edges must line up, which a reflection
or a shadow cannot fake. Coarse to fine, so a fit costs a few hundred small comparisons.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from PIL import Image

from adcreator.providers.local.pixels import grey_levels

# The product may fill only part of the blob's height (the rest is reflection or shadow,
# below or above it); less than 60% would be a different object, not this product.
HEIGHT_SHARES = (0.6, 0.7, 0.8, 0.9, 1.0)
# Horizontal stretches tried against the source's proportions: 0.5 is squashed to half,
# 2.0 stretched to double; beyond that the blob is not this product.
COARSE_STRETCHES = tuple(np.geomspace(0.5, 2.0, 15))
FINE_STEP = 1.02  # the fine pass: 2% steps around the coarse best
FINE_STEPS = 6
SHIFTS = (-0.06, 0.0, 0.06)  # horizontal offsets, in product widths, from the blob's centre
MIN_FIT_PIXELS = 24  # a fit over fewer product pixels proves nothing


@dataclass(frozen=True)
class ProductFit:
    stretch: float  # the ad's width/height over the source's: 1.0 is faithful
    correlation: float  # masked normalised cross-correlation of grey levels, -1..1
    height_share: float  # of the blob's height that the fitted product fills
    faithful_correlation: float | None = None  # the best fit at the source's own proportions


@dataclass
class _Source:
    grey: Image.Image  # "F" mode, cropped to the subject
    mask: Image.Image
    # (width, height) -> the source's grey levels inside its mask at that size; every
    # placement of one size (top or bottom, shifted) reuses them.
    resized: dict[tuple[int, int], tuple[np.ndarray, np.ndarray] | None] = field(default_factory=dict)

    @property
    def aspect(self) -> float:
        return self.grey.width / self.grey.height

    def at_size(self, width: int, height: int) -> tuple[np.ndarray, np.ndarray] | None:
        """(mask, centred grey levels inside it) at this size, or None when too few pixels."""
        key = (width, height)
        if key not in self.resized:
            mask = np.asarray(self.mask.resize(key, Image.Resampling.BILINEAR)) > 0.5
            grey = np.asarray(self.grey.resize(key, Image.Resampling.BILINEAR))[mask]
            self.resized[key] = (mask, grey - grey.mean()) if mask.sum() >= MIN_FIT_PIXELS else None
        return self.resized[key]


def _source(pixels: np.ndarray, subject: np.ndarray) -> _Source:
    ys, xs = np.nonzero(subject)
    crop = np.s_[ys.min():ys.max() + 1, xs.min():xs.max() + 1]
    return _Source(Image.fromarray(grey_levels(pixels[crop]).astype(np.float32), "F"),
                   Image.fromarray(subject[crop].astype(np.float32), "F"))


def _correlation(ad_grey: np.ndarray, source: _Source, top: int, centre: float, height: int, width: int) -> float | None:
    left = round(centre - width / 2)
    if left < 0 or top < 0 or left + width > ad_grey.shape[1] or top + height > ad_grey.shape[0]:
        return None
    resized = source.at_size(width, height)
    if resized is None:
        return None
    mask, b = resized
    a = ad_grey[top:top + height, left:left + width][mask]
    a = a - a.mean()
    denominator = float(np.sqrt((a * a).sum() * (b * b).sum()))
    return float((a * b).sum()) / denominator if denominator > 0 else None


def fit_product(ad_pixels: np.ndarray, blob: np.ndarray, source_pixels: np.ndarray, source_subject: np.ndarray) -> ProductFit | None:
    """The horizontal stretch at which the source best matches the ad around `blob`, or None
    when no placement fits inside the image."""
    source = _source(source_pixels, source_subject)
    ad_grey = grey_levels(ad_pixels)
    ys, xs = np.nonzero(blob)
    y0, y1 = int(ys.min()), int(ys.max()) + 1
    centre = (xs.min() + xs.max() + 1) / 2

    def placements(share: float, stretch: float):
        height = max(8, round((y1 - y0) * share))
        width = max(4, round(height * source.aspect * stretch))
        for top in {y0, y1 - height}:  # the product at the blob's top or at its bottom
            for shift in SHIFTS:
                yield top, centre + shift * width, height, width

    def best_of(candidates) -> tuple[float, float, float] | None:
        best = None
        for share, stretch in candidates:
            for top, x, height, width in placements(share, stretch):
                score = _correlation(ad_grey, source, top, x, height, width)
                if score is not None and (best is None or score > best[0]):
                    best = (score, share, stretch)
        return best

    coarse = best_of((share, stretch) for share in HEIGHT_SHARES for stretch in COARSE_STRETCHES)
    if coarse is None:
        return None
    _, share, stretch = coarse
    shares = sorted({min(1.0, max(HEIGHT_SHARES[0], share + d)) for d in (-0.05, 0.0, 0.05)})
    stretches = [stretch * FINE_STEP**k for k in range(-FINE_STEPS, FINE_STEPS + 1)]
    # The fine grid holds the coarse best, so it never comes back worse or empty.
    correlation, share, stretch = best_of((s, t) for s in shares for t in stretches)
    # How well the source fits at its own proportions: a stretch that fits hardly better than
    # none is measured on a product with too little detail to tell (a plain jar).
    faithful = best_of((s, 1.0) for s in HEIGHT_SHARES)
    return ProductFit(stretch=round(float(stretch), 4), correlation=round(correlation, 3), height_share=round(float(share), 3),
                      faithful_correlation=round(faithful[0], 3) if faithful is not None else None)
