"""Offline OCR for the local judge: text-line detection and recognition on ONNX Runtime.

The models are PaddleOCR's PP-OCRv4 mobile detector (DB, a per-pixel text probability map)
and recogniser (CTC over a character list stored in the model's metadata), as shipped inside
the `rapidocr-onnxruntime` wheel: nothing is downloaded at run time. Only the model files
are used from that package (it is located, never imported: importing it loads OpenCV, which
needs system GL libraries we do not want to depend on). Pre- and post-processing are ours,
in numpy/scipy/Pillow, so their cost is known: the detector runs on a copy whose short side
is DET_SHORT_SIDE, recognition on full-resolution crops of each line.

One engine per process, loaded on first use and shared by every thread (ONNX Runtime's
`run` is thread-safe). Each session uses one thread: the pipeline parallelises reviews, and
a review's cost is then its cost on one core. A model that is missing or will not load is
`OcrUnavailableError`; a model that fails while reading is `OcrFailedError` — both are
provider errors, so a review that needs the OCR fails closed (`review_failed`).
"""

from __future__ import annotations

import importlib.util
import math
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image
from scipy import ndimage

from adcreator.providers.errors import ProviderMisconfiguredError, UnexpectedProviderError

MODEL_PACKAGE = "rapidocr_onnxruntime"
DET_MODEL = "ch_PP-OCRv4_det_infer.onnx"
REC_MODEL = "ch_PP-OCRv4_rec_infer.onnx"
# The detector's input: short side 544 px keeps a 1080 px canvas's smallest copy (a 16 px
# disclaimer) about 8 px tall, the least the DB model finds reliably, and costs ~0.2 s on one
# core for 1080x1920. Sides are multiples of 32 (the network's stride).
DET_SHORT_SIDE = 544
DET_MAX_LONG_SIDE = 1280
DET_STRIDE = 32
DET_THRESHOLD = 0.3  # text probability that marks a pixel as text (the model's training bar)
# A region's mean probability below this is texture, not text. Lower than the usual 0.5 so
# faint (low-contrast) lines stay in: their legibility is judged, not their presence.
DET_BOX_THRESHOLD = 0.4
DET_MIN_SIDE_PX = 3  # in detector pixels
# DB shrinks each text region by a fixed share when it is trained; boxes are grown back by
# area x ratio / perimeter (the model's unclip ratio).
DET_UNCLIP_RATIO = 1.6
REC_HEIGHT = 48  # the recogniser's input height
REC_MAX_WIDTH = 1920  # 40:1 at 48 px: longer crops are squeezed, not dropped
REC_BATCH = 6
REC_BATCH_SPREAD = 1.2


class OcrUnavailableError(ProviderMisconfiguredError):
    """The OCR models could not be found or loaded: reinstall the project's dependencies."""


class OcrFailedError(UnexpectedProviderError):
    """The OCR model failed while reading an image."""


@dataclass(frozen=True)
class OcrLine:
    box: tuple[int, int, int, int]  # pixels of the image read, (x0, y0, x1, y1), exclusive ends
    text: str
    confidence: float  # mean probability of the characters read, 0..1; 0 when nothing was read
    char_confidences: tuple[float, ...]  # one per character of `text`
    detection_score: float  # the detector's mean text probability over the region


def model_directory() -> Path:
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise OcrUnavailableError(f"the OCR models package {MODEL_PACKAGE!r} is not installed "
                                  "(run scripts/bootstrap.sh)", provider="local")
    return Path(next(iter(spec.submodule_search_locations))) / "models"


class OcrEngine:
    """Text-line detection and recognition; construct through `shared_engine()`."""

    def __init__(self, models: Path | None = None) -> None:
        try:
            import onnxruntime
        except Exception as error:  # ImportError, or a broken native library
            raise OcrUnavailableError(f"onnxruntime cannot be imported ({type(error).__name__}: {error})", provider="local") from error
        models = model_directory() if models is None else models
        disable = getattr(onnxruntime, "disable_telemetry_events", None)
        if disable is not None:  # a review sends nothing anywhere
            disable()
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        try:
            self._det = onnxruntime.InferenceSession(str(models / DET_MODEL), options, providers=["CPUExecutionProvider"])
            self._rec = onnxruntime.InferenceSession(str(models / REC_MODEL), options, providers=["CPUExecutionProvider"])
            characters = self._rec.get_modelmeta().custom_metadata_map["character"].splitlines()
        except Exception as error:  # a missing, truncated or incompatible model file
            raise OcrUnavailableError(f"the OCR models in {models} could not be loaded ({type(error).__name__}: {error})",
                                      provider="local") from error
        # CTC: index 0 is the blank; the model's list has no space, which comes last.
        self._characters = ["", *characters, " "]
        self._det_input = self._det.get_inputs()[0].name
        self._rec_input = self._rec.get_inputs()[0].name

    # --- detection ---------------------------------------------------------------------

    def detect(self, rgb: np.ndarray) -> list[tuple[tuple[int, int, int, int], float]]:
        """Text-line boxes (pixels of `rgb`, exclusive ends) with their detection score."""
        height, width = rgb.shape[:2]
        scale = min(1.0, DET_SHORT_SIDE / min(height, width), DET_MAX_LONG_SIDE / max(height, width))
        det_w = max(DET_STRIDE, round(width * scale / DET_STRIDE) * DET_STRIDE)
        det_h = max(DET_STRIDE, round(height * scale / DET_STRIDE) * DET_STRIDE)
        resized = np.asarray(Image.fromarray(rgb).resize((det_w, det_h), Image.Resampling.BILINEAR), dtype=np.float32)
        tensor = ((resized[..., ::-1] / 255.0 - 0.5) / 0.5).transpose(2, 0, 1)[None]  # BGR, as trained
        probability = self._run(self._det, self._det_input, np.ascontiguousarray(tensor, dtype=np.float32))[0, 0]
        text = ndimage.binary_dilation(probability > DET_THRESHOLD, structure=np.ones((2, 2), bool))
        labels, count = ndimage.label(text)
        if count == 0:
            return []
        scores = ndimage.mean(probability, labels, index=np.arange(1, count + 1))
        sx, sy = width / det_w, height / det_h
        boxes = []
        for index, region in enumerate(ndimage.find_objects(labels)):
            y0, y1, x0, x1 = region[0].start, region[0].stop, region[1].start, region[1].stop
            w, h = x1 - x0, y1 - y0
            if min(w, h) < DET_MIN_SIDE_PX or scores[index] < DET_BOX_THRESHOLD:
                continue
            grow = w * h * DET_UNCLIP_RATIO / (2 * (w + h))
            box = (max(0, math.floor((x0 - grow) * sx)), max(0, math.floor((y0 - grow) * sy)),
                   min(width, math.ceil((x1 + grow) * sx)), min(height, math.ceil((y1 + grow) * sy)))
            boxes.append((box, round(float(scores[index]), 3)))
        return sorted(boxes, key=lambda item: (item[0][1], item[0][0]))

    # --- recognition -------------------------------------------------------------------

    def recognise(self, rgb: np.ndarray, boxes: list[tuple[int, int, int, int]]) -> list[tuple[str, float, tuple[float, ...]]]:
        """(text, mean character probability, per-character probabilities) for each box."""
        crops = []
        for x0, y0, x1, y1 in boxes:
            crop = Image.fromarray(rgb[y0:y1, x0:x1])
            width = min(REC_MAX_WIDTH, max(REC_HEIGHT // 4, math.ceil(REC_HEIGHT * crop.width / max(1, crop.height))))
            crops.append(np.asarray(crop.resize((width, REC_HEIGHT), Image.Resampling.BILINEAR), dtype=np.float32))
        results: list[tuple[str, float, tuple[float, ...]] | None] = [None] * len(crops)
        for batch in _batches(sorted(range(len(crops)), key=lambda i: crops[i].shape[1]), [c.shape[1] for c in crops]):
            widest = max(crops[i].shape[1] for i in batch)
            tensor = np.zeros((len(batch), 3, REC_HEIGHT, widest), np.float32)
            for row, i in enumerate(batch):
                tensor[row, :, :, :crops[i].shape[1]] = ((crops[i][..., ::-1] / 255.0 - 0.5) / 0.5).transpose(2, 0, 1)
            output = self._run(self._rec, self._rec_input, tensor)
            for row, i in enumerate(batch):
                results[i] = self._decode(output[row])
        return results  # type: ignore[return-value]

    def _decode(self, steps: np.ndarray) -> tuple[str, float, tuple[float, ...]]:
        """Greedy CTC: the likeliest symbol per time step, repeats merged, blanks dropped."""
        best = steps.argmax(axis=1)
        probability = steps.max(axis=1)
        keep = (best != 0) & np.concatenate([[True], best[1:] != best[:-1]])
        characters = [self._characters[i] if i < len(self._characters) else "" for i in best[keep]]
        confidences = tuple(round(float(p), 3) for p in probability[keep])
        text = "".join(characters)
        return text, round(float(np.mean(confidences)), 3) if confidences else 0.0, confidences

    def read(self, rgb: np.ndarray, extra_boxes: list[tuple[int, int, int, int]] = ()) -> list[OcrLine]:
        """Every detected text line read, plus `extra_boxes` (regions found another way) that no
        detected line already covers, nor detected lines stacked in it: a region spanning two
        detected lines (a headline's two lines found as one) read as one line is a blend of
        both ("stops working" over "by lunchtime" read "stypluwchrking"), not text of its own.
        Pieces of one line side by side ("These stateme", "ents have") do not stand for the
        whole line: the region is read."""
        detected = self.detect(rgb)
        boxes = [box for box, _ in detected]
        scores = [score for _, score in detected]
        covering = list(boxes)
        for box in extra_boxes:
            if not any(_covered_share(box, [other]) > 0.5 for other in covering) and not _spans_stacked_lines(box, covering):
                boxes.append(box)
                scores.append(0.0)
        read = self.recognise(rgb, boxes) if boxes else []
        lines = []
        for box, score, (text, confidence, chars) in zip(boxes, scores, read):
            lead = len(text) - len(text.lstrip())
            kept = text.strip()
            lines.append(OcrLine(box=tuple(int(v) for v in box), text=kept, confidence=confidence,
                                 char_confidences=chars[lead:lead + len(kept)], detection_score=score))
        return lines

    @staticmethod
    def _run(session, name: str, tensor: np.ndarray) -> np.ndarray:
        try:
            return session.run(None, {name: tensor})[0]
        except Exception as error:  # an ONNX Runtime failure mid-review: fail closed
            raise OcrFailedError(f"OCR inference failed ({type(error).__name__}: {error})", provider="local") from error


def _batches(order: list[int], widths: list[int]) -> list[list[int]]:
    """Crops in width order, batched only with crops at most REC_BATCH_SPREAD wider: padding
    a short line to a long one costs as much as reading the long one again."""
    batches: list[list[int]] = []
    for index in order:
        if batches and len(batches[-1]) < REC_BATCH and widths[index] <= REC_BATCH_SPREAD * widths[batches[-1][0]]:
            batches[-1].append(index)
        else:
            batches.append([index])
    return batches


# A region at least this many times as tall as the detected lines inside it holds several of
# them, stacked (the blend above: a 0.14-high box over two lines 0.07-0.08 high).
STACKED_LINES_HEIGHT = 1.5


def _spans_stacked_lines(box, detected) -> bool:
    """Whether detected lines inside `box` cover most of it and it is several of them tall."""
    inside = [other for other in detected if _covered_share(other, [box]) > 0.5]
    if not inside:
        return False
    tallest = max(other[3] - other[1] for other in inside)
    return (box[3] - box[1]) >= STACKED_LINES_HEIGHT * tallest and _covered_share(box, inside) > 0.5


def _covered_share(box, others) -> float:
    """Share of `box` covered by the union of `others`."""
    x0, y0, x1, y1 = (int(v) for v in box)
    if x1 <= x0 or y1 <= y0:
        return 1.0
    covered = np.zeros((y1 - y0, x1 - x0), bool)
    for ox0, oy0, ox1, oy1 in others:
        covered[max(0, int(oy0) - y0):max(0, int(oy1) - y0), max(0, int(ox0) - x0):max(0, int(ox1) - x0)] = True
    return float(covered.mean())


_shared: OcrEngine | None = None
_shared_lock = threading.Lock()


def shared_engine() -> OcrEngine:
    """The process's engine, loaded on first use (about 0.2 s). A failed load is not cached:
    the next review tries again and fails the same way until the install is fixed."""
    global _shared
    if _shared is None:
        with _shared_lock:
            if _shared is None:
                _shared = OcrEngine()
    return _shared
