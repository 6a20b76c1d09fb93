"""The product's packaging text for the local judge: the label lines of the source product
images, and the product's region of the ad read again, enlarged, for its small print.

The source's label is read once per image (cached: one product is judged in many ads); what
the ad's product shows is compared with it in `judge_reading`.
"""

from __future__ import annotations

import hashlib
import io
import threading
from collections import OrderedDict

import numpy as np
from PIL import Image
from pydantic import BaseModel, Field

from adcreator.providers.local.judge_copy import fold
from adcreator.providers.local.judge_rereading import edits_read_again, reread_keys
from adcreator.providers.local.ocr import DET_SHORT_SIDE, OcrLine, shared_engine

INSIDE_PRODUCT_SHARE = 0.6  # of a line's box inside the product's box: packaging print
# Label text read off a source image counts only if read this surely and at least this long.
LABEL_MIN_CONFIDENCE = 0.8
LABEL_MIN_CHARS = 4
# A source label line should be legible in the ad when its glyphs come out at least this
# tall there (pixels); smaller print is left unjudged.
LABEL_LEGIBLE_PX = 16
SOURCE_CACHE = 16
LABEL_READ_PX = 28  # the product's region is enlarged until its smallest label type is this tall
LABEL_MAX_ENLARGE = 3.0


class LabelLine(BaseModel):
    text: str  # as read off the source image
    expected_px: float | None  # its glyph height in the ad, given the product's scale there
    found: bool


class LabelMeasurement(BaseModel):
    """The product's packaging text: the source's label lines against what the ad shows."""

    source_lines: list[LabelLine] = Field(default_factory=list)
    wrong_lines: list[int] = Field(default_factory=list)  # ad lines on the product matching no label text

    @property
    def judged(self) -> list[LabelLine]:
        return [line for line in self.source_lines if line.expected_px is not None and line.expected_px >= LABEL_LEGIBLE_PX]



def share_inside(box, container) -> float:
    """Share of `box` inside `container` (both (x0, y0, x1, y1))."""
    w = max(0.0, min(box[2], container[2]) - max(box[0], container[0]))
    h = max(0.0, min(box[3], container[3]) - max(box[1], container[1]))
    return w * h / max((box[2] - box[0]) * (box[3] - box[1]), 1e-9)


_label_cache: OrderedDict[str, list[tuple[str, float, tuple[int, int, int, int]]]] = OrderedDict()
_label_lock = threading.Lock()


def source_label_lines(data: bytes) -> list[tuple[str, float]]:
    """(text, glyph height as a share of the subject's height) of each label line the OCR reads
    on a source product image; cached, since one product is judged in many ads."""
    return [(text, share) for text, share, _ in source_label_reads(data)]


def _source_rgb(data: bytes) -> tuple[np.ndarray, np.ndarray] | None:
    """The source image on white, and its alpha; None when it cannot be decoded."""
    try:
        with Image.open(io.BytesIO(data)) as opened:
            opened.load()
            rgba = opened.convert("RGBA")
    except Exception:  # an undecodable product image has no label to read
        return None
    white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
    return np.asarray(Image.alpha_composite(white, rgba).convert("RGB")), np.asarray(rgba)[..., 3]


def source_label_reads(data: bytes) -> list[tuple[str, float, tuple[int, int, int, int]]]:
    """`source_label_lines` with each line's box in the source image's pixels."""
    key = hashlib.sha256(data).hexdigest()
    with _label_lock:
        if key in _label_cache:
            _label_cache.move_to_end(key)
            return _label_cache[key]
    decoded = _source_rgb(data)
    if decoded is None:
        return []
    rgb, alpha = decoded
    rows = np.flatnonzero((alpha > 128).any(axis=1)) if alpha.min() < 250 else np.arange(rgb.shape[0])
    subject_height = max(1, int(rows[-1] - rows[0] + 1)) if len(rows) else rgb.shape[0]
    lines = [(line.text, (line.box[3] - line.box[1]) / subject_height, line.box) for line in shared_engine().read(rgb)
             if line.confidence >= LABEL_MIN_CONFIDENCE and len(fold(line.text)) >= LABEL_MIN_CHARS]
    with _label_lock:
        _label_cache[key] = lines
        while len(_label_cache) > SOURCE_CACHE:
            _label_cache.popitem(last=False)
    return lines


def with_label_read(engine, full: np.ndarray, read: list[OcrLine], product_box, labels, product_height_px) -> list[OcrLine]:
    """Label print is small: read the product's region again, enlarged so the label's type is
    LABEL_READ_PX tall, and let those lines stand for whatever the whole-ad pass read there."""
    height, width = full.shape[:2]
    x0, y0, x1, y1 = product_box
    grow = 0.04
    box = (max(0, int((x0 - grow) * width)), max(0, int((y0 - grow) * height)),
           min(width, int(np.ceil((x1 + grow) * width))), min(height, int(np.ceil((y1 + grow) * height))))
    if box[2] - box[0] < 8 or box[3] - box[1] < 8:
        return read
    smallest = min(share for _, share in labels) * (product_height_px or (box[3] - box[1]))
    # The detector works at DET_SHORT_SIDE: enlarging the crop beyond that gains it nothing.
    short = min(box[2] - box[0], box[3] - box[1])
    factor = float(np.clip(LABEL_READ_PX / max(smallest, 1.0), 1.0, max(1.0, min(LABEL_MAX_ENLARGE, DET_SHORT_SIDE / short))))
    crop = Image.fromarray(full[box[1]:box[3], box[0]:box[2]])
    if factor > 1.0:
        crop = crop.resize((round(crop.width * factor), round(crop.height * factor)), Image.Resampling.LANCZOS)
    lines = engine.read(np.asarray(crop))
    if not lines:
        return read
    mapped = [OcrLine(box=(box[0] + int(l.box[0] / factor), box[1] + int(l.box[1] / factor),
                           box[0] + int(np.ceil(l.box[2] / factor)), box[1] + int(np.ceil(l.box[3] / factor))),
                      text=l.text, confidence=l.confidence, char_confidences=l.char_confidences, detection_score=l.detection_score)
              for l in lines]
    region = tuple(v / s for v, s in zip(box, (width, height, width, height)))
    kept = [l for l in read if share_inside(tuple(v / s for v, s in zip(l.box, (width, height, width, height))), region) < INSIDE_PRODUCT_SHARE]
    return kept + mapped


# Label print is judged for its spelling from this line height in the ad (pixels on a 1080 px
# canvas): the smallest label lines the tuning seeds' packshots show legibly (~12 px type).
LABEL_SPELLING_MIN_PX = 20


def label_misspellings(engine, full: np.ndarray, box: tuple[int, int, int, int], source_text: str,
                       suspects: list[tuple[int, str, str]], source: bytes | None,
                       source_box: tuple[int, int, int, int] | None) -> list[tuple[int, str, str]]:
    """The suspected edits of an ad's label line against the source's reading of it that the
    source's own print, read at the ad's scale, does not show.

    Suspects come from the ad's line read (and read again, `edits_read_again`). Small label
    type is where the recogniser has quirks ("with bakuchiol" read "with bakuchioll" on a
    faithful render); the same font and words at the same size read the same way, so the
    source's line is scaled to the ad line's height and read with the same crops: an edit the
    source shows too is the recogniser's, not the label's.
    """
    suspects = edits_read_again(engine, full, box, fold(source_text), suspects)
    if not suspects or source is None or source_box is None:
        return suspects
    decoded = _source_rgb(source)
    if decoded is None:
        return suspects
    rgb = decoded[0]
    scale = (box[3] - box[1]) / max(1, source_box[3] - source_box[1])
    scaled = Image.fromarray(rgb).resize((max(1, round(rgb.shape[1] * scale)), max(1, round(rgb.shape[0] * scale))),
                                         Image.Resampling.LANCZOS)
    scaled_box = tuple(int(round(v * scale)) for v in source_box)
    quirks = set(reread_keys(engine, np.asarray(scaled), scaled_box, fold(source_text), first=True))
    return [key for key in suspects if key not in quirks]
