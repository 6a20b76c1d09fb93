"""The offline `local` vision judge: the review stages scored from pixel measurements.

It sees only the review request (the ad's pixels, the prompt, the template and product
images), never how the ad was made, so it judges a local render and a remote model's image
alike. Every score comes from a measurement named in its reason, through a monotonic
mapping documented below; what pixels cannot show (anatomy, physics, what text says) is
reported as not measured, never guessed.
"""

from __future__ import annotations

import hashlib
import math
import threading
import time
from collections import OrderedDict

import numpy as np
from PIL import Image
from pydantic import BaseModel

from adcreator.providers.base import (
    DEFECT_TYPES,
    DefectFinding,
    DefectScanResult,
    ReviewRequest,
    RubricResult,
    Usage,
)
from adcreator.providers.local.judge_artefacts import ArtefactMeasurement, artefacts
from adcreator.providers.local.judge_measures import (
    WORK_SIDE,
    LayoutMeasurement,
    PaletteMeasurement,
    RegionContent,
    layout_similarity,
    palette_compliance,
    region_content,
    requested_palette,
)
from adcreator.providers.local.judge_product import ProductMatch, find_product, product_mask, source_signature
from adcreator.providers.local.judge_reading import TextMeasurement, read_ad
from adcreator.providers.local.judge_scoring import rubric_checks
from adcreator.providers.local.judge_scoring_text import packaging_finding, text_garbled_finding
from adcreator.providers.local.judge_text import text_work_pixels
from adcreator.providers.local.pixels import decode_rgb, downscale, grey_levels

PRODUCT_WORK_SHORT_SIDE = 320
CACHE_SIZE = 8  # defect scan and rubric review of one ad share one measurement
# A logo slot moves a little when a layout is adapted to another ratio: search this much of
# the canvas around the template's logo box.
LOGO_SEARCH_TOLERANCE = 0.06
# Proportions may differ this much (ad vs source) before the product counts as distorted:
# beyond resampling and outline-estimation error, below a squash anyone would notice.
DISTORTION_TOLERANCE = 0.15
# A product match this weak may be the wrong object: its proportions prove nothing.
DISTORTION_MIN_SIMILARITY = 0.7
# A fit of the source onto the ad this close measures the proportions alone (judge_fit); a
# looser fit only confirms what the outline measures. Over 96 faithful renders of the demo
# packshots the outline alone flagged 6 as distorted, the fit at or above 0.95 never strayed
# more than 6% from 1.0, and between 0.85 and 0.95 it strayed up to 29% on a plain jar.
FIT_DECIDES_CORRELATION = 0.95
# A weak colour match proves nothing about proportions, but a fit this close does: the
# source's label and edges line up with the ad at the fitted stretch.
FIT_MEASURES_CORRELATION = 0.85
LABEL_EVIDENCE_CONFIDENCE = 0.9  # lettering read this surely on an uncertain match settles it
# Over the tuning seeds' faithful renders, fits at 0.85-0.95 strayed up to 17% (plain jars and
# tubes); fits above 0.95 within 5%. Broken ads change proportions by 25% and more.
LOOSE_FIT_TOLERANCE = 0.2
# A distortion is claimed only where the fitted stretch fits this much better (correlation)
# than the source at its own proportions; on a plain product both fit alike.
FIT_GAIN_NEEDED = 0.03
OUTLINE_ONLY_TOLERANCE = 0.35

# A product shown at under this share of its slot's area (about a third of its height) is not
# the layout's product: an uncertain match that small is something else (see _too_small_for_the_slot).
MIN_SLOT_SHARE = 0.1

NOT_MEASURED_DEFECTS: dict[str, str] = {
    "ANATOMY_ERROR": "not measured: finger counts and joints cannot be checked from pixel statistics",
    "PHYSICS_VIOLATION": "not measured: shadows, reflections and support cannot be checked from pixel statistics",
}


class LogoMeasurement(BaseModel):
    expected: bool
    regions: list[RegionContent]

    @property
    def best(self) -> RegionContent | None:
        return max(self.regions, key=lambda r: r.content_share, default=None)


class AdMeasurements(BaseModel):
    """Everything the judge measured on one ad; the scores are derived from this alone."""

    width: int
    height: int
    text: TextMeasurement
    palette: PaletteMeasurement
    layout: LayoutMeasurement | None  # None without a template image
    product: ProductMatch | None  # the best match over the product images; None without any
    product_images_given: int
    product_images_decoded: int
    product_expected: bool = True  # the template's layout has a product slot
    artefacts: ArtefactMeasurement
    logo: LogoMeasurement
    elapsed_ms: float


class LocalVisionJudge:
    """VisionJudge for the `local` provider: deterministic, offline, free."""

    provider_name = "local"
    model_name = "local-pixel-judge-v1"

    def __init__(self) -> None:
        self._cache: OrderedDict[str, AdMeasurements] = OrderedDict()
        self._lock = threading.Lock()

    def measure(self, request: ReviewRequest) -> AdMeasurements:
        key = _request_key(request)
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
        measured = measure_ad(request)
        with self._lock:
            self._cache[key] = measured
            while len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
        return measured

    def defect_scan(self, request: ReviewRequest) -> DefectScanResult:
        findings = defect_findings(self.measure(request))
        not_measured = [d for d in DEFECT_TYPES if findings[d].evidence.startswith("not measured")]
        return DefectScanResult(findings=[findings[d] for d in DEFECT_TYPES], not_measured=not_measured, model=self.model_name, usage=Usage())

    def rubric_review(self, request: ReviewRequest) -> RubricResult:
        measured = self.measure(request)
        checks = rubric_checks(measured, request.prompt, defect_findings(measured))
        return RubricResult(checks=checks, model=self.model_name, usage=Usage())


def _request_key(request: ReviewRequest) -> str:
    digest = hashlib.sha256()
    for part in (request.image, request.template_image or b"", *request.product_images):
        digest.update(hashlib.sha256(part).digest())
    digest.update(request.prompt.model_dump_json().encode())
    return digest.hexdigest()


def measure_ad(request: ReviewRequest) -> AdMeasurements:
    started = time.perf_counter()
    decoded = decode_rgb(request.image, "ad image")
    image = decoded.image
    fine = text_work_pixels(image)
    fine_image = Image.fromarray(fine.astype("uint8"), "RGB")
    pixels = downscale(fine_image, WORK_SIDE)
    # The product's outline and fit measure distortion: on a copy sized by the short side, so a
    # product on a wide canvas keeps enough pixels for its proportions.
    product_pixels = downscale(fine_image, round(PRODUCT_WORK_SHORT_SIDE * max(image.size) / min(image.size)))

    product, decoded_count = None, 0
    for index, data in enumerate(request.product_images):
        signature = source_signature(data)
        if signature is None:
            continue
        decoded_count += 1
        match = find_product(product_pixels, signature, index)
        if product is None or (match.found, match.similarity) > (product.found, product.similarity):
            product = match
    found = product is not None and product.found
    # An uncertain match is settled by its label, where it has one: the source's label text
    # read there confirms the product, other label text shows another product.
    box = product.box if found else (product.candidate_box if product is not None and product.ambiguous else None)
    text = read_ad(image, request.prompt, product_box=box,
                   product_height_px=(box[3] - box[1]) * decoded.height if box else None,
                   product_images=request.product_images, fine=fine)
    if product is not None and product.ambiguous and box is not None:
        product = _settled_by_label(product, text)
    if product is not None and product.ambiguous:
        product = _too_small_for_the_slot(product, request.prompt.template_analysis.product_areas)
    style, analysis = request.prompt.style, request.prompt.template_analysis
    palette = palette_compliance(pixels, requested_palette(style.palette, style.color_mode, analysis.background),
                                 product_mask(pixels, product) if product is not None else None)
    layout = None
    if request.template_image is not None:
        template = decode_rgb(request.template_image, "template image").image
        layout = layout_similarity(pixels, template)
    return AdMeasurements(
        width=decoded.width, height=decoded.height, text=text, palette=palette, layout=layout, product=product,
        product_images_given=len(request.product_images), product_images_decoded=decoded_count,
        product_expected=bool(request.prompt.template_analysis.product_areas),
        artefacts=artefacts(pixels, fine, grey_levels(np.asarray(image, dtype=np.float32))), logo=_logo(pixels, request),
        elapsed_ms=round((time.perf_counter() - started) * 1000, 1),
    )


def _settled_by_label(product: ProductMatch, text: TextMeasurement) -> ProductMatch:
    label = text.label
    read = [line for line in text.lines if line.on_product]
    confirmed = [line.text for line in read if line.role == "label"]
    other = [text.lines[i] for i in label.wrong_lines if text.lines[i].confidence >= LABEL_EVIDENCE_CONFIDENCE
             and len(text.lines[i].text.replace(" ", "")) >= 4]
    if confirmed and not other:
        # Its scores stay those of the uncertain picture match: the label proves identity, not fidelity.
        return product.model_copy(update={"found": True, "ambiguous": False, "box": product.candidate_box,
                                          "evidence": product.evidence + f"; its label reads {confirmed[:2]}, as the source's"})
    if other and not confirmed:
        return product.model_copy(update={"ambiguous": False, "evidence": product.evidence +
                                          f"; the object there is labelled {[line.text for line in other[:2]]}, not as the source: another product"})
    for line in text.lines:  # still unsettled: its lettering is nobody's packaging
        line.on_product = False
    return product


def _too_small_for_the_slot(product: ProductMatch, areas) -> ProductMatch:
    """An uncertain match far smaller than the layout's product slot is lettering or a mark
    that happens to correlate with the source at the search's smallest sizes, not the product
    shown small: the product is absent (a measured failure), not unmeasured."""
    box = product.candidate_box
    if box is None or not areas:
        return product
    slot = max((a.box[2] - a.box[0]) * (a.box[3] - a.box[1]) for a in areas)
    area = (box[2] - box[0]) * (box[3] - box[1])
    if area >= MIN_SLOT_SHARE * slot:
        return product
    return product.model_copy(update={"ambiguous": False, "evidence": product.evidence +
                                      f"; that match covers {area:.1%} of the canvas, under {MIN_SLOT_SHARE:.0%} of the layout's "
                                      f"product slot ({slot:.0%}): not the product"})


def _logo(pixels, request: ReviewRequest) -> LogoMeasurement:
    context, analysis = request.prompt.asset_context, request.prompt.template_analysis
    expected = context.brand_has_logo and bool(analysis.logo_areas)
    regions = [region_content(pixels, area.box, LOGO_SEARCH_TOLERANCE) for area in analysis.logo_areas] if expected else []
    return LogoMeasurement(expected=expected, regions=regions)


def defect_findings(measured: AdMeasurements) -> dict[str, DefectFinding]:
    product = measured.product
    findings = {defect: DefectFinding(defect=defect, present=False, confidence=0.0, evidence=evidence)
                for defect, evidence in NOT_MEASURED_DEFECTS.items()}
    findings["TEXT_GARBLED"] = text_garbled_finding(measured.text)
    findings["PACKAGING_TEXT_ERROR"] = packaging_finding(measured.text, product is not None and product.found,
                                                         product.box if product is not None else None)
    findings["PRODUCT_DISTORTION"] = distortion_finding(measured)
    return findings


def distortion_finding(measured: AdMeasurements) -> DefectFinding:
    """PRODUCT_DISTORTION from the found product's proportions against the source's."""
    match = measured.product
    if match is None:
        reason = "no product image was supplied" if measured.product_images_given == 0 else "no product image could be decoded"
        return DefectFinding(defect="PRODUCT_DISTORTION", present=False, confidence=0.0, evidence=f"not measured: {reason}")
    fits = match.fit_correlation is not None and match.fit_correlation >= FIT_MEASURES_CORRELATION
    if not match.found or (match.similarity < DISTORTION_MIN_SIMILARITY and not fits):
        return DefectFinding(defect="PRODUCT_DISTORTION", present=False, confidence=0.0,
                             evidence=f"not measured: the product was not found in the ad with confidence (match {match.similarity:.2f})")
    if match.touches_edge:
        return DefectFinding(defect="PRODUCT_DISTORTION", present=False, confidence=0.0,
                             evidence="not measured: the product is cut off by the canvas edge, so its proportions are not comparable")
    change, fitted = match.aspect_change, match.fitted_change
    # Found by its picture, the ruler is the source's cut-out (judge_product: the product
    # alone, its floor shadow and reflection cut off as the renderer cuts them), so a fit
    # measures its proportions as closely as the colour blob's does.
    if fitted is not None and match.fit_correlation >= FIT_MEASURES_CORRELATION:
        # The fit decides: the label, cap and edges line up at one stretch. A looser fit
        # strays further on a faithful product (plain jars), so its tolerance is wider.
        tolerance = DISTORTION_TOLERANCE if match.fit_correlation >= FIT_DECIDES_CORRELATION else LOOSE_FIT_TOLERANCE
        present = abs(math.log(fitted)) > math.log(1 + tolerance)
        gain = None if match.faithful_fit_correlation is None else match.fit_correlation - match.faithful_fit_correlation
        second = match.second_fitted_change
        if second is not None and min(abs(math.log(fitted)), abs(math.log(second))) > math.log(1 + DISTORTION_TOLERANCE) \
                and (fitted > 1) == (second > 1):
            # Two independent rulers (the colour blob's fit and the picture's) agree beyond the
            # tight tolerance on the same side: their agreement is the evidence one loose fit,
            # or one that a plain product fits almost as well unstretched, cannot give alone.
            present, tolerance = True, DISTORTION_TOLERANCE
            measured = (f"{fitted:.2f}x the source's fitted onto the ad (fit {match.fit_correlation:.2f}) "
                        f"and {second:.2f}x by the {match.second_located_by} search's fit")
        elif present and gain is not None and gain < FIT_GAIN_NEEDED:
            # The stretch fits hardly better than the source's own proportions: too little
            # detail (a plain jar) to tell proportions by; nothing is claimed.
            return DefectFinding(defect="PRODUCT_DISTORTION", present=False, confidence=0.0,
                                 evidence=f"not measured: the product fits at {fitted:.2f}x its proportions (fit {match.fit_correlation:.2f}) "
                                          f"hardly better than unchanged (fit {match.faithful_fit_correlation:.2f}): too little detail to tell")
        else:
            measured = (f"{fitted:.2f}x the source's fitted onto the ad (fit {match.fit_correlation:.2f}"
                        + (f"; {change:.2f}x by outline" if change is not None and match.located_by == "colour" else "")
                        + f"; {match.aspect_basis} {match.fitted_aspect:.3f} vs {match.source_aspect:.3f})")
    elif change is not None and match.similarity >= DISTORTION_MIN_SIMILARITY and match.located_by == "colour":
        # No close fit: the outline alone, which a reflection or a shadow bends, so only a
        # gross change of proportions counts.
        tolerance = OUTLINE_ONLY_TOLERANCE
        present = abs(math.log(change)) > math.log(1 + tolerance)
        measured = f"{change:.2f}x the source's by outline ({match.aspect_basis} {match.ad_aspect:.3f} vs {match.source_aspect:.3f}; no close fit)"
    else:
        return DefectFinding(defect="PRODUCT_DISTORTION", present=False, confidence=0.0,
                             evidence=f"not measured: the source does not fit the product found closely enough to measure its proportions "
                                      f"(fit {match.fit_correlation if match.fit_correlation is not None else 'n/a'}, match {match.similarity:.2f})")
    shown = fitted if present and fitted is not None else change
    verdict = f"{abs(shown - 1):.0%} {'narrower' if shown < 1 else 'wider'}, beyond" if present else "within"
    return DefectFinding(
        defect="PRODUCT_DISTORTION", present=present, confidence=round(min(1.0, max(match.similarity, match.fit_correlation or 0)), 2),
        evidence=f"product proportions in the ad are {measured}: {verdict} the {tolerance:.0%} tolerance",
        region=match.box if present else None,
    )
