"""Reading the ad: every text line found, read by OCR, and compared with what was asked for.

Text regions come from the OCR's detector (a learned text/no-text map, which finds a line
whatever its contrast) plus the edge-based line finder of `judge_text` for small type the
detector misses; each is read at full resolution. Each line read is then matched against the
requested copy (headline, subheadline, CTA, disclaimers), the copy the ad may carry without
being asked (the offer, the brand and product names) and the product's own label text (read
off the source images): a line that matches none of them, a confident misspelling, requested
copy that is missing or cut off, and label text that differs from the source's are findings,
each with the line's box and what was read.
"""

from __future__ import annotations

import numpy as np
from PIL import Image
from pydantic import BaseModel, Field
from scipy import ndimage

from adcreator.prompts.models import AdGenerationPrompt
from adcreator.providers.local.archetypes import archetype_for
from adcreator.providers.local.copyplan import part_lines, plan_copy
from adcreator.providers.local.judge_copy import (
    Alignment,
    align_substring,
    confident_edit_keys,
    coverage,
    fold,
    fold_with_index,
    missing_text,
)
from adcreator.providers.local.judge_text import button_around, find_text_lines, measure_line, text_work_pixels
from adcreator.providers.local.judge_label import (
    INSIDE_PRODUCT_SHARE,
    LabelLine,
    LABEL_SPELLING_MIN_PX,
    LabelMeasurement,
    label_misspellings,
    share_inside,
    source_label_reads,
    with_label_read,
)
from adcreator.providers.local.judge_rereading import edits_read_again
from adcreator.providers.local.ocr import OcrLine, shared_engine

# A line must be read this surely to count as text at all: below it the OCR is guessing at
# texture (a product's highlight, a pattern), and guesses must not become findings.
MIN_LINE_CONFIDENCE = 0.6
MIN_LINE_CHARS = 3  # folded characters: shorter reads ("a", "ll") match anything or nothing
# A line matches a requested string when at most this share of its characters differ from
# its best span there (OCR noise and a misspelling or two); beyond it, it is other text.
MATCH_TOLERANCE = 0.34
# Requested copy counts as present when this share of its characters was read somewhere.
PRESENT_COVERAGE = 0.85
# A line whose ink reaches within this many pixels of the canvas edge has been cut by it.
EDGE_TOUCH_PX = 2
# Line height (its box, pixels on a 1080 px canvas) from which spelling is judged: a 30 px
# box holds ~18 px type. Smaller type the recogniser misreads, in ways a second read can
# repeat; at 30 px and up a misread rarely survives the second reads (edits_read_again).
MISSPELLING_MIN_PX = 30
# A copy line's edit is a suspect, to be read again, when the first read's characters involved
# have at least this probability: the second reads must all repeat it, so the first read need
# not be as sure as CONFIDENT_CHAR ("TRY IT TONIGAHT" in a 50 px CTA read its extra "A" at
# 0.76). Measured on the tuning seeds: 0.75 caught one more misspelt ad of 60 than 0.9 and
# flagged none of 220 good ads.
SUSPECT_CHAR = 0.75
# Text nobody asked for is judged in type at least this tall (box over the short side, ~15 px
# type on 1080 px): the size of the smallest ad copy; finer print is read less surely.
UNREQUESTED_MIN_HEIGHT = 0.025
# Faint-line pass: local contrast over a neighbourhood this wide (pixels), with this floor
# on the spread so flat ground's noise is not amplified into text.
FAINT_SIGMA = 12.0
FAINT_FLOOR = 3.0
LOGO_SLOT_TOLERANCE = 0.06  # as the judge's logo check: a slot moves when a layout changes ratio

COPY_ROLES = ("headline", "subheadline", "cta", "disclaimer")


class TextLine(BaseModel):
    box: tuple[float, float, float, float]  # fractions of the canvas (x0, y0, x1, y1)
    text: str  # what the OCR read
    confidence: float
    role: str | None = None  # the requested or allowed text it matched; None: matched nothing
    match_ratio: float | None = None  # edits / folded length against that text
    misspelt: int = 0  # differences from that text the OCR was sure of
    glyph_height: float  # line height, fraction of the canvas height
    contrast: float | None  # WCAG ratio ink vs ground; None when no ink split could be made
    ink: str = ""
    ground: str = ""
    clipped: bool = False  # its ink runs into the canvas edge
    on_product: bool = False  # lies on the found product: packaging print
    line_height: float = 0.0  # box height over the canvas's short side


class CopyCheck(BaseModel):
    """One requested string and how much of it the ad carries."""

    role: str
    requested: str
    coverage: float  # share of its characters read somewhere on the ad
    missing: str = ""  # what was not read (folded), "" when complete
    lines: list[int] = Field(default_factory=list)  # indices into TextMeasurement.lines
    box: tuple[float, float, float, float] | None = None  # union of its lines

    @property
    def present(self) -> bool:
        return self.coverage >= PRESENT_COVERAGE


class ButtonMeasurement(BaseModel):
    box: tuple[float, float, float, float]
    label_contrast: float
    fill: str
    surround: str
    button_contrast: float  # fill vs the ground around the button (WCAG non-text contrast)


class TextMeasurement(BaseModel):
    lines: list[TextLine] = Field(default_factory=list)
    copy_checks: list[CopyCheck] = Field(default_factory=list)
    buttons: list[ButtonMeasurement] = Field(default_factory=list)
    label: LabelMeasurement = Field(default_factory=LabelMeasurement)
    prohibited_found: list[str] = Field(default_factory=list)
    unreadable_regions: int = 0  # text-like regions the OCR could not read with confidence

    def copy(self, role: str) -> CopyCheck | None:
        return next((c for c in self.copy_checks if c.role == role), None)

    @property
    def copy_lines(self) -> list[TextLine]:
        return [line for line in self.lines if line.role in COPY_ROLES]

    @property
    def unmatched_lines(self) -> list[TextLine]:
        """Lines matching nothing asked for or allowed, in type large enough to be ad copy
        (fine print, a product's or a prop's lettering, is read less surely and judged
        with what it belongs to)."""
        return [line for line in self.lines if line.role is None and not line.on_product and line.line_height >= UNREQUESTED_MIN_HEIGHT]

    @property
    def misspelt_lines(self) -> list[TextLine]:
        return [line for line in self.lines if line.misspelt and line.role in COPY_ROLES]

    @property
    def clipped_lines(self) -> list[TextLine]:
        return [line for line in self.lines if line.clipped and not line.on_product]


# --- matching ----------------------------------------------------------------------------

class _Target:
    def __init__(self, role: str, text: str) -> None:
        self.role, self.text, self.folded = role, text, fold(text)


def requested_targets(prompt: AdGenerationPrompt) -> list[_Target]:
    content, product = prompt.content, prompt.product
    targets = [_Target("headline", content.headline.text)]
    if content.subheadline is not None and content.subheadline.text.strip():
        targets.append(_Target("subheadline", content.subheadline.text))
    if content.cta.strip():
        targets.append(_Target("cta", content.cta))
    disclaimers = [d for d in product.required_disclaimers if fold(d)]
    if disclaimers:
        targets.append(_Target("disclaimer", " ".join(disclaimers)))
    # Text an ad may carry without being asked: the offer, the brand and product names, and
    # the copy the template's archetype puts in its parts (a review's quote, the benefits, a
    # before/after's labels), which the prompt's material decides (copyplan).
    for role, text in (("offer", product.current_offer), ("brand", product.brand_name), ("product", product.name)):
        if fold(text):
            targets.append(_Target(role, text))
    archetype, _ = archetype_for(prompt.template_analysis)
    targets += [_Target(part, text) for part, text in part_lines(plan_copy(prompt, archetype), archetype)]
    return [t for t in targets if t.folded]


def _matches(folded: str, targets: list[_Target]) -> list[tuple[_Target, Alignment]]:
    """Every target the line matches within the tolerance, best first: fewest edits per
    character; on a tie, requested copy before text merely allowed (a subheadline may name
    the product), then the target this line covers most of."""
    found = []
    for target in targets:
        alignment = align_substring(folded, target.folded)
        ratio = alignment.ratio(len(folded))
        if ratio <= MATCH_TOLERANCE:
            found.append(((ratio, target.role not in COPY_ROLES, -len(folded) / max(1, len(target.folded))), target, alignment))
    return [(target, alignment) for _, target, alignment in sorted(found, key=lambda item: item[0])]


def _assign(records) -> list[tuple[_Target, Alignment] | None]:
    """The target each line stands for. A line that matches two requested strings equally
    well ("20% off your first" in a headline and a subheadline that share those words) goes
    to the one whose other lines are nearest: copy is set as a block."""
    chosen = [candidates[0] if candidates else None for *_, candidates in records]
    for i, (line, box, folded, *_rest, candidates) in enumerate(records):
        tied = [c for c in candidates if c[1].edits == candidates[0][1].edits and c[0].role in COPY_ROLES] if candidates else []
        if len({c[0].role for c in tied}) < 2:
            continue
        def settled(j: int) -> bool:  # a line that matched one requested string only
            first = records[j][5][0][1].edits if records[j][5] else None
            return chosen[j] is not None and len({x[0].role for x in records[j][5] if x[1].edits == first and x[0].role in COPY_ROLES}) == 1

        def preference(candidate) -> tuple[float, float]:
            # First the string whose words here no settled line has read yet, then the one
            # whose settled lines are nearest.
            role, span = candidate[0].role, candidate[1].span
            covered = np.zeros(len(candidate[0].folded), bool)
            others = []
            for j, c in enumerate(chosen):
                if j != i and c is not None and c[0].role == role and settled(j):
                    covered[c[1].span[0]:c[1].span[1]] = True
                    others.append(records[j][1])
            share = float(covered[span[0]:span[1]].mean()) if span[1] > span[0] else 0.0
            gap = min((max(0.0, max(o[1], box[1]) - min(o[3], box[3])) for o in others), default=float("inf"))
            return share, gap
        chosen[i] = min(tied, key=preference)
    return chosen


def _ink_touches_edge(full: np.ndarray, box: tuple[int, int, int, int]) -> bool:
    """Whether the line's ink runs into a canvas edge it lies close to (within a third of its
    height: a cut glyph's remnant may sit outside the detector's box)."""
    height, width = full.shape[:2]
    x0, y0, x1, y1 = box
    reach = max(EDGE_TOUCH_PX, (y1 - y0) / 3)
    crop = full[y0:y1, x0:x1].astype(np.float32)
    if crop.size == 0:
        return False
    ground = np.median(np.concatenate([crop[0], crop[-1], crop[:, 0], crop[:, -1]]), axis=0)
    strips = []
    if x0 <= reach:
        strips.append(full[y0:y1, :EDGE_TOUCH_PX + 1])
    if x1 >= width - reach:
        strips.append(full[y0:y1, width - EDGE_TOUCH_PX - 1:])
    if y0 <= reach:
        strips.append(full[:EDGE_TOUCH_PX + 1, x0:x1])
    if y1 >= height - reach:
        strips.append(full[height - EDGE_TOUCH_PX - 1:, x0:x1])
    return any(strip.size and (np.linalg.norm(strip.astype(np.float32) - ground, axis=-1) > 40).mean() > 0.02 for strip in strips)


def read_ad(image: Image.Image, prompt: AdGenerationPrompt, *, product_box: tuple[float, float, float, float] | None = None,
            product_height_px: float | None = None, product_images: list[bytes] = (), fine: np.ndarray | None = None) -> TextMeasurement:
    """Read every line of `image` and compare it with the prompt's copy and the product's label.

    `product_box` (canvas fractions) is where the product was found, `product_height_px` its
    height in the ad (both None when not found).
    """
    full = np.asarray(image.convert("RGB"))
    height, width = full.shape[:2]
    pixels = text_work_pixels(image) if fine is None else fine
    to_full = np.array([width / pixels.shape[1], height / pixels.shape[0]] * 2)
    extra = [tuple(int(round(v)) for v in box * to_full) for box, _, _ in find_text_lines(pixels)]
    engine = shared_engine()
    read: list[OcrLine] = engine.read(full, extra)

    labels: list[tuple[str, float]] = []
    label_sources: list[tuple[bytes, tuple[int, int, int, int]]] = []  # each label line's image and box there
    for data in product_images:
        for text, share, source_box in source_label_reads(data):
            labels.append((text, share))
            label_sources.append((data, source_box))
    if product_box is not None and labels:
        read = with_label_read(engine, full, read, product_box, labels, product_height_px)
    targets = requested_targets(prompt)
    if _copy_unread(read, targets, product_box, (width, height)):
        read = read + _faint_lines(engine, full, read)
    label_targets = [_Target("label", text) for text, _ in labels]
    size = np.array([width, height, width, height], dtype=float)
    # Lettering in the logo's slot is the logo's (a wordmark, a tagline): not ad copy.
    grow = LOGO_SLOT_TOLERANCE
    logo_areas = [(a.box[0] - grow, a.box[1] - grow, a.box[2] + grow, a.box[3] + grow) for a in prompt.template_analysis.logo_areas]
    measurement = TextMeasurement()
    spans: dict[str, list[tuple[int, int]]] = {}
    lines_of: dict[str, list[int]] = {}
    label_found = [False] * len(labels)

    records = []
    for line in sorted(read, key=lambda l: (l.box[1], l.box[0])):
        folded, index = fold_with_index(line.text)
        if line.confidence < MIN_LINE_CONFIDENCE or len(folded) < MIN_LINE_CHARS:
            if line.detection_score >= 0.6 and (line.box[3] - line.box[1]) >= 0.012 * height and len(folded) < MIN_LINE_CHARS + 2:
                measurement.unreadable_regions += 1
            continue
        box = tuple(round(float(v), 4) for v in np.array(line.box) / size)
        on_product = product_box is not None and share_inside(box, product_box) >= INSIDE_PRODUCT_SHARE
        # Print on the product is the product's before it is copy: a subheadline naming the
        # product must not be found on its label.
        packaging = label_targets + [t for t in targets if t.role not in COPY_ROLES]
        candidates = (_matches(folded, packaging) or _matches(folded, targets)) if on_product else _matches(folded, targets + label_targets)
        records.append((line, box, folded, index, on_product, candidates))
    chosen = _assign(records)

    for (line, box, folded, index, on_product, _), match in zip(records, chosen):
        in_logo = any(share_inside(box, area) >= INSIDE_PRODUCT_SHARE for area in logo_areas)
        confidences = [line.char_confidences[i] if i < len(line.char_confidences) else 0.0 for i in index]
        role, ratio, misspelt = ("logo" if in_logo else None), None, 0
        if match is not None:
            target, alignment = match
            role, ratio = target.role, round(alignment.ratio(len(folded)), 3)
            # Small print reads less surely (a 16 px disclaimer loses letters): only type at
            # least MISSPELLING_MIN_PX tall is held to its spelling.
            line_px = (line.box[3] - line.box[1]) * 1080 / min(width, height)
            if line_px >= MISSPELLING_MIN_PX and target.role not in ("label", "logo"):
                suspects = confident_edit_keys(alignment, confidences, folded, min_confidence=SUSPECT_CHAR)
                if suspects:
                    misspelt = len(edits_read_again(engine, full, line.box, target.folded, suspects))
            elif target.role == "label" and line_px >= LABEL_SPELLING_MIN_PX:
                suspects = confident_edit_keys(alignment, confidences, folded)
                if suspects:
                    source, source_box = label_sources[label_targets.index(target)]
                    misspelt = len(label_misspellings(engine, full, line.box, target.text, suspects, source, source_box))

            if role == "label":
                label_found[label_targets.index(target)] = True
            spans.setdefault(role, []).append(alignment.span)
        measured = measure_line(full, np.array(line.box, dtype=float))
        contrast, ink, ground = measured if measured is not None else (None, "", "")
        measurement.lines.append(TextLine(
            box=box, text=line.text, confidence=line.confidence, role=role, match_ratio=ratio, misspelt=misspelt,
            glyph_height=round((line.box[3] - line.box[1]) / height, 4), contrast=round(contrast, 2) if contrast else None,
            ink=ink, ground=ground, clipped=_ink_touches_edge(full, line.box), on_product=on_product,
            line_height=round((line.box[3] - line.box[1]) / min(width, height), 4)))
        if role is not None:
            lines_of.setdefault(role, []).append(len(measurement.lines) - 1)

    for target in targets:
        if target.role not in COPY_ROLES:
            continue
        found = spans.get(target.role, [])
        members = lines_of.get(target.role, [])
        boxes = [measurement.lines[i].box for i in members]
        union = (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes)) if boxes else None
        measurement.copy_checks.append(CopyCheck(
            role=target.role, requested=target.text, coverage=round(coverage(found, len(target.folded)), 3),
            missing=missing_text(found, target.folded), lines=members, box=union))

    measurement.label = LabelMeasurement(
        source_lines=[LabelLine(text=text, expected_px=round(share * product_height_px, 1) if product_height_px else None, found=found)
                      for (text, share), found in zip(labels, label_found)],
        wrong_lines=[i for i, line in enumerate(measurement.lines) if line.on_product and line.role is None])
    measurement.prohibited_found = _prohibited(prompt, measurement.lines)
    _find_buttons(measurement, pixels)
    return measurement


def _copy_unread(read: list[OcrLine], targets: list[_Target], product_box, size: tuple[int, int]) -> bool:
    """Whether some requested copy is nowhere in what was read off the product (then it may
    be there faintly)."""
    width, height = size
    off_product = [line for line in read if product_box is None or share_inside(
        (line.box[0] / width, line.box[1] / height, line.box[2] / width, line.box[3] / height), product_box) < INSIDE_PRODUCT_SHARE]
    everything = fold(" ".join(line.text for line in off_product))
    for target in targets:
        if target.role in ("headline", "subheadline", "cta"):
            if align_substring(target.folded, everything).ratio(len(target.folded)) > 1 - PRESENT_COVERAGE:
                return True
    return False


def _faint_lines(engine, full: np.ndarray, read: list[OcrLine]) -> list[OcrLine]:
    """Lines the first pass missed because of their low contrast: read again on a copy whose
    local contrast is normalised (each pixel's difference from its surroundings over their
    spread), where faint type stands out as well as bold. Reported with the original's boxes,
    so their contrast is measured on what a reader sees."""
    grey = full.astype(np.float32) @ np.array([0.299, 0.587, 0.114], np.float32)
    mean = ndimage.gaussian_filter(grey, FAINT_SIGMA)
    spread = np.sqrt(ndimage.gaussian_filter((grey - mean) ** 2, FAINT_SIGMA))
    normalised = np.clip((grey - mean) / (spread + FAINT_FLOOR), -3, 3)
    enhanced = np.repeat(((normalised + 3) / 6 * 255).astype(np.uint8)[..., None], 3, axis=2)
    new = []
    for line in engine.read(enhanced):
        if not any(_overlap(line.box, other.box) > 0.5 for other in read):
            new.append(line)
    return new


def _overlap(box, other) -> float:
    w = max(0, min(box[2], other[2]) - max(box[0], other[0]))
    h = max(0, min(box[3], other[3]) - max(box[1], other[1]))
    return w * h / max(1, (box[2] - box[0]) * (box[3] - box[1]))


def _prohibited(prompt: AdGenerationPrompt, lines: list[TextLine]) -> list[str]:
    """Prohibited claims found in the ad's text, read in order (a claim may wrap)."""
    everything = fold(" ".join(line.text for line in sorted(lines, key=lambda l: (l.box[1], l.box[0]))))
    found = []
    for claim in prompt.product.prohibited_claims:
        folded = fold(claim)
        if len(folded) >= MIN_LINE_CHARS and align_substring(folded, everything).ratio(len(folded)) <= 0.15:
            found.append(claim)
    return found


def _find_buttons(measurement: TextMeasurement, pixels: np.ndarray) -> None:
    """A button under each CTA line (the label sits on a closed shape of one fill colour)."""
    work = np.array([pixels.shape[1], pixels.shape[0]] * 2, dtype=float)
    for line in measurement.lines:
        if line.role != "cta" or line.contrast is None:
            continue
        button = button_around(pixels, np.array(line.box) * work)
        if button is not None:
            shape, fill, surround, button_contrast = button
            measurement.buttons.append(ButtonMeasurement(box=tuple(round(float(v), 4) for v in shape / work), label_contrast=line.contrast,
                                                         fill=fill, surround=surround, button_contrast=round(button_contrast, 2)))
