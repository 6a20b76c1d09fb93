"""Product measurements for the offline vision judge: find the source product in the ad.

The source photo gives a colour signature (a histogram of its subject's pixels, backdrop
removed). Back-projecting that signature onto the ad (Swain & Ballard's histogram ratio)
lights up the pixels whose colours are the product's and rare elsewhere; the largest such
blob is where the product is. The blob is then compared with the source: colour histogram
intersection, a small structural similarity at a common size, and the shape's proportions.
"""

from __future__ import annotations

import io

import numpy as np
from PIL import Image
from pydantic import BaseModel
from scipy import ndimage

from adcreator.providers.local.judge_fit import fit_product
from adcreator.providers.local.product_locate import locate
from adcreator.providers.local.pixels import grey_levels

SOURCE_WORK_SIDE = 160  # the signature needs colours and an outline, not detail
LEVELS = 8  # per channel: 512 colour bins, coarse enough for resampling and lighting shifts
BACKDROP_DISTANCE = 40.0  # RGB distance from a studio backdrop that marks the subject
BUSY_BORDER_DISTANCE = 40.0  # a border this varied is a scene: the whole photo is the product
PRODUCT_BIN_MIN = 0.02  # bins holding less of the product than this are edges and specks
BACKPROJECTION_THRESHOLD = 0.5
MIN_PRODUCT_SHARE = 0.004  # of the ad: a smaller blob is a speck, not a reproduced product
STRUCTURE_SIZE = (40, 40)  # common size for the structural comparison (shape-normalised)
# A fit of the source onto the ad (masked grey-level correlation) at least this close is a
# second measurement of the product's proportions; faithful renders of the demo products fit
# at 0.8-0.98, a different or badly redrawn object lower.
FIT_MIN_CORRELATION = 0.8
# A colour match this close is the product whatever its size: no picture search needed.
SURE_COLOUR_MATCH = 0.7
PICTURE_CANDIDATES = 2  # distinct template placements confirmed by a fit
# The source fitted onto a placement this closely (label, cap and edges lining up) is the
# product; below PICTURE_ABSENT_FIT nothing in the ad is (faithful renders fit at 0.8-0.98).
# Between the two the match is ambiguous: product accuracy is then not measured.
PICTURE_FOUND_FIT = 0.9
PICTURE_FOUND_COLOUR = 0.3  # and its colours must be the product's, not merely its light and shade
PICTURE_ABSENT_FIT = 0.75
# SSIM stabilisers for 8-bit grey levels (Wang et al. 2004: (0.01·255)², (0.03·255)²).
SSIM_C1, SSIM_C2 = 6.5025, 58.5225


class ProductSignature(BaseModel):
    model_config = {"arbitrary_types_allowed": True}

    histogram: np.ndarray  # [LEVELS³] share of subject pixels per colour bin
    pixels: np.ndarray  # RGB of the source, work size
    mask: np.ndarray  # the subject (True) vs backdrop
    is_cutout: bool


class ProductMatch(BaseModel):
    found: bool
    box: tuple[float, float, float, float] | None = None  # fractions of the canvas
    area_share: float = 0.0
    colour_similarity: float = 0.0  # histogram intersection, 0..1
    structure_similarity: float = 0.0  # SSIM of grey levels at a common size, -1..1
    # Proportions of the source subject and of the blob found in the ad, on one basis: width
    # over height when both stand upright (or lie flat), else the minor over major
    # principal-axis length, which a rotation does not change.
    aspect_basis: str = "width/height"
    source_aspect: float | None = None
    ad_aspect: float | None = None
    # The same proportions measured by fitting the source onto the ad (judge_fit), when it fits.
    fitted_aspect: float | None = None
    fit_correlation: float | None = None
    touches_edge: bool = False  # cut off by the canvas: proportions are not comparable
    source_index: int = 0
    located_by: str = "colour"  # "colour" (back-projected blob) or "picture" (template match + fit)
    ambiguous: bool = False  # not found, but something may be it: accuracy is not measured
    evidence: str = ""  # why it was not found, or found only uncertainly

    @property
    def similarity(self) -> float:
        return 0.6 * self.colour_similarity + 0.4 * max(0.0, self.structure_similarity)

    @property
    def aspect_change(self) -> float | None:
        """Ad aspect over source aspect: 1.0 is faithful, 0.6 is squashed to 60%."""
        if not self.found or not self.source_aspect or not self.ad_aspect:
            return None
        return self.ad_aspect / self.source_aspect

    @property
    def fitted_change(self) -> float | None:
        """The same ratio from the fit, None when the source did not fit well enough."""
        if not self.found or not self.source_aspect or not self.fitted_aspect:
            return None
        return self.fitted_aspect / self.source_aspect


def _bins(pixels: np.ndarray) -> np.ndarray:
    q = np.clip(pixels, 0, 255).astype(np.int32) * LEVELS // 256
    return (q[..., 0] * LEVELS + q[..., 1]) * LEVELS + q[..., 2]


def source_signature(data: bytes) -> ProductSignature | None:
    """The product's subject pixels: its alpha if it has one, else all that differs from a
    plain backdrop; a photo whose border is busy is a scene and counts whole."""
    try:
        with Image.open(io.BytesIO(data)) as opened:
            opened.load()
            rgba = opened.convert("RGBA")
    except Exception:  # an undecodable product image cannot be compared, not a crash
        return None
    rgba.thumbnail((SOURCE_WORK_SIDE, SOURCE_WORK_SIDE), Image.Resampling.BOX)
    pixels = np.asarray(rgba, dtype=np.float32)
    alpha, rgb = pixels[..., 3], pixels[..., :3]
    if alpha.min() < 250:
        mask, is_cutout = alpha > 128, True
    else:
        border = np.concatenate([rgb[0], rgb[-1], rgb[:, 0], rgb[:, -1]])
        backdrop = np.median(border, axis=0)
        if np.percentile(np.linalg.norm(border - backdrop, axis=1), 80) > BUSY_BORDER_DISTANCE:
            mask, is_cutout = np.ones(alpha.shape, bool), False
        else:
            mask, is_cutout = ndimage.binary_fill_holes(np.linalg.norm(rgb - backdrop, axis=2) > BACKDROP_DISTANCE), True
    if mask.sum() < 16:
        return None
    # The outline's pixels blend subject and backdrop: the colour signature is the interior's.
    interior = ndimage.binary_erosion(mask, iterations=2)
    histogram = np.bincount(_bins(rgb)[interior if interior.sum() >= 16 else mask], minlength=LEVELS**3).astype(float)
    return ProductSignature(histogram=histogram / histogram.sum(), pixels=rgb, mask=mask, is_cutout=is_cutout)


def _blob(weights: np.ndarray, support: np.ndarray | None = None) -> np.ndarray | None:
    """The biggest back-projected blob, closed and hole-filled, as a mask."""
    hot = weights >= BACKPROJECTION_THRESHOLD
    if support is not None:
        hot &= support
    if not hot.any():
        return None
    radius = max(1, round(0.012 * min(weights.shape)))
    closed = ndimage.binary_closing(hot, structure=np.ones((2 * radius + 1, 2 * radius + 1)), border_value=0)
    labels, count = ndimage.label(ndimage.binary_fill_holes(closed | hot))
    if count == 0:
        return None
    masses = ndimage.sum_labels(weights, labels, index=np.arange(1, count + 1))
    return labels == (int(np.argmax(masses)) + 1)


def _shape_axes(mask: np.ndarray) -> tuple[float, float, float]:
    """(width/height of the box, minor/major principal-axis ratio, major axis angle in degrees)."""
    ys, xs = np.nonzero(mask)
    covariance = np.cov(np.stack([xs, ys]).astype(float)) + np.eye(2) / 12  # a pixel has width
    values, vectors = np.linalg.eigh(covariance)
    angle = float(np.degrees(np.arctan2(vectors[1, 1], vectors[0, 1])) % 180)
    ratio = float(np.sqrt(max(values[0], 1e-9) / values[1]))
    return (xs.max() - xs.min() + 1) / (ys.max() - ys.min() + 1), ratio, angle


def _axis_aligned(ratio: float, angle: float) -> bool:
    # A near-round shape has no meaningful axis; otherwise within 12° of upright or flat.
    return ratio > 0.9 or min(angle % 90, 90 - angle % 90) <= 12


def _proportions(source: np.ndarray, found: np.ndarray) -> tuple[str, float, float]:
    source_box, source_ratio, source_angle = _shape_axes(source)
    found_box, found_ratio, found_angle = _shape_axes(found)
    if _axis_aligned(source_ratio, source_angle) and _axis_aligned(found_ratio, found_angle):
        return "width/height", source_box, found_box
    return "principal-axis ratio", source_ratio, found_ratio


def _ssim(a: np.ndarray, b: np.ndarray) -> float:
    """Structural similarity of two equal-size grey images, one window over the whole image."""
    mean_a, mean_b = a.mean(), b.mean()
    var_a, var_b = a.var(), b.var()
    covariance = ((a - mean_a) * (b - mean_b)).mean()
    return float(((2 * mean_a * mean_b + SSIM_C1) * (2 * covariance + SSIM_C2))
                 / ((mean_a**2 + mean_b**2 + SSIM_C1) * (var_a + var_b + SSIM_C2)))


def _grey_at_common_size(pixels: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """The shape's grey levels in its box, backdrop set to the shape's mean, at STRUCTURE_SIZE."""
    ys, xs = np.nonzero(mask)
    crop = np.s_[ys.min():ys.max() + 1, xs.min():xs.max() + 1]
    grey = grey_levels(pixels[crop])
    inside = mask[crop]
    grey = np.where(inside, grey, grey[inside].mean())
    return np.asarray(Image.fromarray(grey.astype(np.float32), "F").resize(STRUCTURE_SIZE, Image.Resampling.BILINEAR), dtype=np.float64)


def find_product(ad_pixels: np.ndarray, signature: ProductSignature, source_index: int = 0) -> ProductMatch:
    """Locate the source product in the ad (work-size RGB) and compare it with the source:
    by its colours first; where they find nothing sure (a small product, a background in the
    product's colours), by matching its picture over sizes and positions."""
    by_colour = _find_by_colour(ad_pixels, signature, source_index)
    if by_colour.found and by_colour.similarity >= SURE_COLOUR_MATCH:
        return by_colour
    by_picture = _find_by_picture(ad_pixels, signature, source_index)
    if by_picture.found:
        return by_picture
    if by_colour.found:
        return by_colour
    return by_picture  # not found, or ambiguous: what the picture search concluded


def _find_by_picture(ad_pixels: np.ndarray, signature: ProductSignature, source_index: int) -> ProductMatch:
    """The best of a few template placements, confirmed by fitting the source onto each."""
    height, width = ad_pixels.shape[:2]
    best = None
    for placement in locate(ad_pixels, signature.pixels, signature.mask, top=PICTURE_CANDIDATES):
        x0, y0, x1, y1 = placement.box
        grow_x, grow_y = 0.15 * (x1 - x0), 0.08 * (y1 - y0)
        region = np.zeros((height, width), bool)
        region[max(0, int((y0 - grow_y) * height)):min(height, int(np.ceil((y1 + grow_y) * height))),
               max(0, int((x0 - grow_x) * width)):min(width, int(np.ceil((x1 + grow_x) * width)))] = True
        fit = fit_product(ad_pixels, region, signature.pixels, signature.mask)
        if fit is not None and (best is None or fit.correlation > best[1].correlation):
            best = (placement, fit)
    if best is None:
        return ProductMatch(found=False, source_index=source_index, evidence="no placement of the source picture fits inside the ad")
    placement, fit = best
    if fit.correlation < PICTURE_ABSENT_FIT:
        return ProductMatch(found=False, fit_correlation=fit.correlation, source_index=source_index,
                            evidence=f"nothing in the ad resembles the source picture (best fit {fit.correlation:.2f}, "
                                     f"template match {placement.correlation:.2f}, colour gap {placement.colour_gap:.0f})")
    if fit.correlation < PICTURE_FOUND_FIT:
        return ProductMatch(found=False, ambiguous=True, fit_correlation=fit.correlation, source_index=source_index,
                            evidence=f"the best match of the source picture is uncertain (fit {fit.correlation:.2f}, template match "
                                     f"{placement.correlation:.2f} at {tuple(round(v, 2) for v in placement.box)})")
    box = tuple(round(float(v), 4) for v in placement.box)
    ad_bins = _bins(ad_pixels)
    inside = np.zeros((height, width), bool)
    inside[int(box[1] * height):int(np.ceil(box[3] * height)), int(box[0] * width):int(np.ceil(box[2] * width))] = True
    found_histogram = np.bincount(ad_bins[inside], minlength=LEVELS**3) / max(1, inside.sum())
    colour = float(np.minimum(found_histogram, signature.histogram).sum())
    if colour < PICTURE_FOUND_COLOUR:
        return ProductMatch(found=False, ambiguous=True, fit_correlation=fit.correlation, source_index=source_index,
                            evidence=f"a shape like the product's fits at {box} (fit {fit.correlation:.2f}) but its colours differ "
                                     f"(histogram match {colour:.2f})")
    source_aspect = float(signature.pixels.shape[1] / signature.pixels.shape[0]) if not signature.mask.any() else _subject_aspect(signature.mask)
    return ProductMatch(found=True, box=box, area_share=round((box[2] - box[0]) * (box[3] - box[1]), 4),
                        colour_similarity=round(colour, 3), structure_similarity=fit.correlation, aspect_basis="width/height",
                        source_aspect=round(source_aspect, 3), ad_aspect=round(source_aspect * fit.stretch, 3),
                        fitted_aspect=round(source_aspect * fit.stretch, 3), fit_correlation=fit.correlation,
                        touches_edge=bool(box[0] <= 0.002 or box[1] <= 0.002 or box[2] >= 0.998 or box[3] >= 0.998),
                        source_index=source_index, located_by="picture")


def _subject_aspect(mask: np.ndarray) -> float:
    ys, xs = np.nonzero(mask)
    return (xs.max() - xs.min() + 1) / (ys.max() - ys.min() + 1)


def _find_by_colour(ad_pixels: np.ndarray, signature: ProductSignature, source_index: int = 0) -> ProductMatch:
    height, width = ad_pixels.shape[:2]
    ad_bins = _bins(ad_pixels)
    ad_histogram = np.bincount(ad_bins.ravel(), minlength=LEVELS**3) / ad_bins.size
    p = signature.histogram
    main = p >= PRODUCT_BIN_MIN
    # The product's likely share of the ad: for bins only the product uses, ad share / product
    # share equals it; bins it shares with the background give larger ratios. The weighted
    # median over the product's bins is robust to both.
    ratios = ad_histogram[main] / p[main]
    order = np.argsort(ratios, kind="stable")
    cumulative = np.cumsum(p[main][order]) / p[main].sum()
    share = float(ratios[order][np.searchsorted(cumulative, 0.5)])
    if share < MIN_PRODUCT_SHARE:
        return ProductMatch(found=False, source_index=source_index)
    weights_per_bin = np.where(main, np.minimum(1.0, share * p / np.maximum(ad_histogram, 1e-9)), 0.0)
    weights = ndimage.uniform_filter(weights_per_bin[ad_bins], size=3)
    blob = _blob(weights)
    if blob is None or blob.mean() < MIN_PRODUCT_SHARE:
        return ProductMatch(found=False, source_index=source_index)
    # The source's comparable shape: the same bins, the same closing, within its subject.
    source_weights = ndimage.uniform_filter(weights_per_bin[_bins(signature.pixels)], size=3)
    source_blob = _blob(np.where(signature.mask, source_weights, 0.0)) if signature.is_cutout else signature.mask
    if source_blob is None:
        source_blob = signature.mask
    found_histogram = np.bincount(ad_bins[blob], minlength=LEVELS**3) / blob.sum()
    colour = float(np.minimum(found_histogram, p).sum())
    structure = _ssim(_grey_at_common_size(ad_pixels, blob), _grey_at_common_size(signature.pixels, source_blob))
    ys, xs = np.nonzero(blob)
    box = (xs.min() / width, ys.min() / height, (xs.max() + 1) / width, (ys.max() + 1) / height)
    touches = bool(xs.min() == 0 or ys.min() == 0 or xs.max() == width - 1 or ys.max() == height - 1)
    basis, source_aspect, ad_aspect = _proportions(source_blob, blob)
    fit = fit_product(ad_pixels, blob, signature.pixels, source_blob) if basis == "width/height" else None
    fitted_aspect = source_aspect * fit.stretch if fit is not None and fit.correlation >= FIT_MIN_CORRELATION else None
    return ProductMatch(found=True, box=tuple(round(float(v), 4) for v in box), area_share=round(float(blob.mean()), 4),
                        colour_similarity=round(colour, 3), structure_similarity=round(structure, 3),
                        aspect_basis=basis, source_aspect=round(source_aspect, 3), ad_aspect=round(ad_aspect, 3),
                        fitted_aspect=round(fitted_aspect, 3) if fitted_aspect is not None else None,
                        fit_correlation=fit.correlation if fit is not None else None, touches_edge=touches, source_index=source_index)


def product_mask(ad_pixels: np.ndarray, match: ProductMatch) -> np.ndarray:
    """The found product's box as a mask on the work image (for leaving it out of colour checks)."""
    mask = np.zeros(ad_pixels.shape[:2], bool)
    if match.found and match.box:
        height, width = mask.shape
        x0, y0, x1, y1 = match.box
        mask[int(y0 * height):int(np.ceil(y1 * height)), int(x0 * width):int(np.ceil(x1 * width))] = True
    return mask
