"""Product measurements for the offline vision judge: find the source product in the ad.

The source photo, cut from its backdrop as the renderer cuts any packshot, gives a colour
signature (a histogram of its subject's pixels). Back-projecting that signature onto the ad (Swain & Ballard's histogram ratio)
lights up the pixels whose colours are the product's and rare elsewhere; the largest such
blob is where the product is. The blob is then compared with the source: colour histogram
intersection, a small structural similarity at a common size, and the shape's proportions.
"""

from __future__ import annotations

import numpy as np
from PIL import Image
from pydantic import BaseModel
from scipy import ndimage

from adcreator.providers.local.cutout import prepare_reference
from adcreator.providers.local.judge_fit import ProductFit, fit_product
from adcreator.providers.local.product_locate import locate, refine_stretch
from adcreator.providers.local.pixels import grey_levels

SOURCE_WORK_SIDE = 160  # the signature needs colours and an outline, not detail
LEVELS = 8  # per channel: 512 colour bins, coarse enough for resampling and lighting shifts
PRODUCT_BIN_MIN = 0.02  # bins holding less of the product than this are edges and specks
BACKPROJECTION_THRESHOLD = 0.5
MIN_PRODUCT_SHARE = 0.004  # of the ad: a smaller blob is a speck, not a reproduced product
STRUCTURE_SIZE = (40, 40)  # common size for the structural comparison (shape-normalised)
# A fit of the source onto the ad (masked grey-level correlation) at least this close is a
# second measurement of the product's proportions; faithful renders of the demo products fit
# at 0.8-0.98, a different or badly redrawn object lower.
FIT_MIN_CORRELATION = 0.8
# A colour match this close is the product whatever the picture search says; one this weak
# is taken only when the picture search finds nothing better (else it is ambiguous).
SURE_COLOUR_MATCH = 0.7
MAX_PRODUCT_SHARE = 0.6
WEAK_COLOUR_MATCH = 0.45
# The source picture matched this closely (masked correlation of grey levels, on a copy
# 160 px on its short side) with a mean colour this near is the product; below the absent
# bars nothing in the ad is. Between them the match is ambiguous: accuracy is not measured.
PICTURE_FOUND_CORRELATION = 0.85
FIT_MEASURES = 0.85
SECOND_RULER_GAIN = 0.03  # as the judge's FIT_GAIN_NEEDED: a second ruler counts when its stretch fits clearly better
FIT_DECIDES = 0.95  # a colour blob's fit this close settles the proportions without the picture search
PICTURE_CANDIDATES = 6  # distinct placements re-ranked with colour
HISTOGRAM_WEIGHT = 0.5
BLOB_AGREEMENT_BONUS = 0.1  # a fit below this leaves the proportions to the placement's re-search
PICTURE_FOUND_GAP = 25.0
PICTURE_ABSENT_CORRELATION = 0.6
PICTURE_ABSENT_GAP = 60.0
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
    faithful_fit_correlation: float | None = None  # the fit at the source's own proportions
    touches_edge: bool = False  # cut off by the canvas: proportions are not comparable
    # The other search's stretch (colour blob or picture) where it found the product in the
    # same place with a clear fit: a second, independent measurement of the proportions.
    second_fitted_change: float | None = None
    second_located_by: str | None = None
    source_index: int = 0
    located_by: str = "colour"  # "colour" (back-projected blob) or "picture" (template match + fit)
    ambiguous: bool = False  # not found, but something may be it: accuracy is not measured
    candidate_box: tuple[float, float, float, float] | None = None  # where the uncertain match is
    evidence: str = ""  # why it was not found, or found only uncertainly

    @property
    def similarity(self) -> float:
        # Found by its picture, the box holds background around the product too: its colour
        # histogram says less, the template correlation more.
        if self.located_by == "picture":
            return 0.4 * self.colour_similarity + 0.6 * max(0.0, self.structure_similarity)
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
    """The product's subject pixels, cut from its studio backdrop the way any packshot is
    (`cutout.prepare_reference`: the backdrop modelled per row, so a floor darker than the
    wall is backdrop; the reflection and the shadow under the foot are floor, not product).
    A single global backdrop colour took the floor line and the reflection for the product
    (a serum 0.4 wide came out 1.23 wide). A photo whose border is a scene counts whole."""
    try:
        prepared = prepare_reference(data)
    except Exception:  # an undecodable product image cannot be compared, not a crash
        return None
    if prepared is None:
        return None
    rgba = prepared.image.copy()
    rgba.thumbnail((SOURCE_WORK_SIDE, SOURCE_WORK_SIDE), Image.Resampling.BOX)
    pixels = np.asarray(rgba, dtype=np.float32)
    alpha, rgb = pixels[..., 3], pixels[..., :3]
    if prepared.is_cutout and alpha.min() < 250:
        mask, is_cutout = ndimage.binary_fill_holes(alpha > 128), True
    else:
        mask, is_cutout = np.ones(alpha.shape, bool), False
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
    product's colours), by matching its picture over sizes and positions. A colour blob, where
    there is one, wins: a featureless product (a cream jar) matches its own label's detail at
    a small size better than at its true one."""
    by_colour = _find_by_colour(ad_pixels, signature, source_index)
    if by_colour.found and by_colour.area_share > MAX_PRODUCT_SHARE:
        # A blob over most of the canvas is a background in the product's colours.
        by_colour = ProductMatch(found=False, source_index=source_index)
    if by_colour.found and by_colour.similarity >= SURE_COLOUR_MATCH and _fit_decides(by_colour):
        return by_colour
    by_picture = _find_by_picture(ad_pixels, signature, source_index, by_colour.box if by_colour.found else None)
    if by_picture.found:
        # Where both find the product in one place, the ruler of its proportions is the one
        # whose fit lines the source up more closely: the colour blob's fit (judge_fit) is
        # measured against the source's pixels of the same colours, which on a product with
        # parts in the background's colours (a dark cap on a dark panel) is a part of it; the
        # picture's against the whole cut-out.
        if by_colour.found and by_colour.similarity >= WEAK_COLOUR_MATCH and (
                _is_detail_of(by_picture.box, by_colour.box) or _share_in(by_picture.box, by_colour.box) >= 0.5
                or _share_in(by_colour.box, by_picture.box) >= 0.5):
            if (by_picture.fit_correlation or -1.0) > (by_colour.fit_correlation or -1.0) and not _is_detail_of(by_picture.box, by_colour.box):
                return _with_second_ruler(by_picture, by_colour)
            return _with_second_ruler(by_colour, by_picture)
        return by_picture
    if by_colour.found and by_colour.similarity >= WEAK_COLOUR_MATCH:
        return by_colour
    if by_colour.found or by_picture.ambiguous:
        return ProductMatch(found=False, ambiguous=True, source_index=source_index,
                            candidate_box=by_picture.candidate_box or (by_colour.box if by_colour.found else None),
                            colour_similarity=by_picture.colour_similarity, structure_similarity=by_picture.structure_similarity,
                            located_by=by_picture.located_by,
                            evidence=by_picture.evidence + (f"; a colour match is weak ({by_colour.similarity:.2f})" if by_colour.found else ""))
    return by_picture


def _clear_stretch(match: ProductMatch) -> float | None:
    """The match's fitted stretch where its fit is close and clearly better than at the
    source's own proportions (a stretch that a plain product would fit as well proves nothing)."""
    fit, faithful, stretch = match.fit_correlation, match.faithful_fit_correlation, match.fitted_change
    if stretch is None or fit is None or fit < FIT_MEASURES or faithful is None or fit - faithful < SECOND_RULER_GAIN:
        return None
    return round(stretch, 3)


def _with_second_ruler(chosen: ProductMatch, other: ProductMatch) -> ProductMatch:
    """The chosen match, with the other ruler's clear stretch kept as a second measurement."""
    second = _clear_stretch(other)
    return chosen.model_copy(update={"second_fitted_change": second, "second_located_by": other.located_by}) if second else chosen


def _fit_decides(match: ProductMatch) -> bool:
    """Whether the colour blob's fit settles the proportions alone: close, and clearly better
    at its stretch than at the source's own proportions or close at them. Else the blob may be
    a part of the product (its colours shared with the ground) and the picture search, over
    the whole cut-out, is tried as a second ruler."""
    fit, faithful = match.fit_correlation, match.faithful_fit_correlation
    if fit is None or fit < FIT_DECIDES:
        return False
    stretch = match.fitted_change
    return stretch is None or abs(stretch - 1) < 0.1 or faithful is None or fit - faithful >= 0.03


def _is_detail_of(small, large) -> bool:
    """A picture match well inside the colour blob and much smaller: the template matched a
    detail of the product (a featureless jar matches its own label best at a small size)."""
    area = (small[2] - small[0]) * (small[3] - small[1])
    inside = max(0.0, min(small[2], large[2]) - max(small[0], large[0])) * max(0.0, min(small[3], large[3]) - max(small[1], large[1]))
    return inside >= 0.8 * area and area < 0.3 * (large[2] - large[0]) * (large[3] - large[1])


def _masked_histogram_match(ad_bins: np.ndarray, signature: ProductSignature, box) -> float:
    """Colour-histogram intersection of the ad under the source's subject mask placed on `box`."""
    height, width = ad_bins.shape
    x0, y0 = int(box[0] * width), int(box[1] * height)
    x1, y1 = max(x0 + 1, int(round(box[2] * width))), max(y0 + 1, int(round(box[3] * height)))
    ys, xs = np.nonzero(signature.mask)
    subject = signature.mask[ys.min():ys.max() + 1, xs.min():xs.max() + 1]
    mask = np.asarray(Image.fromarray(subject.astype(np.uint8) * 255).resize((x1 - x0, y1 - y0), Image.Resampling.NEAREST)) > 127
    window = ad_bins[y0:y1, x0:x1][mask[:ad_bins[y0:y1, x0:x1].shape[0], :ad_bins[y0:y1, x0:x1].shape[1]]]
    if window.size == 0:
        return 0.0
    histogram = np.bincount(window, minlength=LEVELS**3) / window.size
    return float(np.minimum(histogram, signature.histogram).sum())


def _find_by_picture(ad_pixels: np.ndarray, signature: ProductSignature, source_index: int, colour_box=None) -> ProductMatch:
    """The best template placement of the source picture; a fit of the source around it
    (finer, judge_fit) measures the proportions when it is close enough. Placements are
    ranked by grey-level correlation plus colour-histogram agreement (a CTA pill lit like the
    product correlates as well, in other colours), and agreement with a weak colour blob."""
    height, width = ad_pixels.shape[:2]
    placements = locate(ad_pixels, signature.pixels, signature.mask, top=PICTURE_CANDIDATES)
    if not placements:
        return ProductMatch(found=False, source_index=source_index, evidence="no placement of the source picture fits inside the ad")
    ad_bins = _bins(ad_pixels)

    def rank(p) -> float:
        agrees = colour_box is not None and _share_in(p.box, colour_box) >= 0.5
        return p.score + HISTOGRAM_WEIGHT * _masked_histogram_match(ad_bins, signature, p.box) + (BLOB_AGREEMENT_BONUS if agrees else 0.0)

    placement = max(placements, key=rank)
    seen = (f"template match {placement.correlation:.2f}, mean-colour gap {placement.colour_gap:.0f} "
            f"at {tuple(round(float(v), 2) for v in placement.box)}")
    if placement.correlation < PICTURE_ABSENT_CORRELATION or placement.colour_gap > PICTURE_ABSENT_GAP:
        return ProductMatch(found=False, source_index=source_index, evidence=f"nothing in the ad resembles the source picture ({seen})")
    if placement.correlation < PICTURE_FOUND_CORRELATION or placement.colour_gap > PICTURE_FOUND_GAP:
        return ProductMatch(found=False, ambiguous=True, source_index=source_index, candidate_box=tuple(round(float(v), 4) for v in placement.box),
                            colour_similarity=round(_masked_histogram_match(ad_bins, signature, placement.box), 3),
                            structure_similarity=placement.correlation, located_by="picture",
                            evidence=f"the best match of the source picture is uncertain ({seen})")
    x0, y0, x1, y1 = placement.box
    grow_x, grow_y = 0.15 * (x1 - x0), 0.08 * (y1 - y0)
    region = np.zeros((height, width), bool)
    region[max(0, int((y0 - grow_y) * height)):min(height, int(np.ceil((y1 + grow_y) * height))),
           max(0, int((x0 - grow_x) * width)):min(width, int(np.ceil((x1 + grow_x) * width)))] = True
    fit = fit_product(ad_pixels, region, signature.pixels, signature.mask)
    if fit is None or fit.correlation < FIT_MEASURES:
        # The fit's search is built round a colour blob; without one a re-search of the
        # placement's window at fine stretches measures the proportions instead.
        refined = refine_stretch(ad_pixels, signature.pixels, signature.mask, placement)
        if refined is not None and refined.correlation > (fit.correlation if fit is not None else -1):
            fit = ProductFit(stretch=round(refined.stretch, 4), correlation=refined.correlation, height_share=1.0,
                             faithful_correlation=refined.faithful_correlation)
    box = tuple(round(float(v), 4) for v in placement.box)
    colour = _masked_histogram_match(ad_bins, signature, placement.box)  # the subject's pixels, not the box's
    source_aspect = _subject_aspect(signature.mask)
    fitted = round(source_aspect * fit.stretch, 3) if fit is not None else None
    return ProductMatch(found=True, box=box, area_share=round((box[2] - box[0]) * (box[3] - box[1]), 4),
                        colour_similarity=round(colour, 3), structure_similarity=placement.correlation, aspect_basis="width/height",
                        source_aspect=round(source_aspect, 3), ad_aspect=fitted, fitted_aspect=fitted,
                        fit_correlation=fit.correlation if fit is not None else None,
                        faithful_fit_correlation=fit.faithful_correlation if fit is not None else None,
                        touches_edge=bool(box[0] <= 0.002 or box[1] <= 0.002 or box[2] >= 0.998 or box[3] >= 0.998),
                        source_index=source_index, located_by="picture", evidence=f"located by its picture ({seen})")


def _share_in(box, container) -> float:
    w = max(0.0, min(box[2], container[2]) - max(box[0], container[0]))
    h = max(0.0, min(box[3], container[3]) - max(box[1], container[1]))
    return w * h / max(1e-9, (box[2] - box[0]) * (box[3] - box[1]))


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
                        fit_correlation=fit.correlation if fit is not None else None,
                        faithful_fit_correlation=fit.faithful_correlation if fit is not None else None,
                        touches_edge=touches, source_index=source_index)


def product_mask(ad_pixels: np.ndarray, match: ProductMatch) -> np.ndarray:
    """The found product's box as a mask on the work image (for leaving it out of colour checks)."""
    mask = np.zeros(ad_pixels.shape[:2], bool)
    if match.found and match.box:
        height, width = mask.shape
        x0, y0, x1, y1 = match.box
        mask[int(y0 * height):int(np.ceil(y1 * height)), int(x0 * width):int(np.ceil(x1 * width))] = True
    return mask
