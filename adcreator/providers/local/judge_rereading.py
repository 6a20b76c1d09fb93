"""Second reads of a line of text that reads misspelt, for the local judge.

The recogniser misreads small type in ways that depend on the crop and on how its pixels are
resampled; a misspelling on the pixels is read again from every crop. A line's suspected edits
(what the first read shows against the requested text) stand only when every second read shows
them again. Used for the ad's copy (judge_reading) and its packaging print (judge_label).
"""

from __future__ import annotations

import numpy as np
from PIL import Image

from adcreator.providers.local.judge_copy import align_substring, fold


# Second reads of a line that reads misspelt: crops (horizontal and vertical margins as shares
# of the line's height; a negative margin trims) and an enlargement (Lanczos, before the
# recogniser's own resize to 48 px). The detector's boxes are generous (24 px type in a 51 px
# box), and the recogniser reads type that fills less of its input worse: a crop padded
# vertically by 0.3 line heights read "Sleep deeper toight" in 28 px Lato as "Sleedertogt".
# These crops keep the glyphs as tall as the box or taller, so a second read of clean type
# repeats what is printed, and differ enough (edges, scale, resampling) that a misread
# depending on the crop does not repeat.
REREADS = ((0.3, 0.0, 1.0), (0.15, -0.1, 1.0), (0.0, 0.0, 3.0))


def edits_read_again(engine, full: np.ndarray, box: tuple[int, int, int, int], target_folded: str,
                     suspects: list[tuple[int, str, str]]) -> list[tuple[int, str, str]]:
    """The suspected edits (`Alignment.edit_keys` of the first read) that every second read of
    the line shows again, at whatever confidence: the same letter changed, added or missing at
    the same place of the requested text.

    Agreement, not confidence, is the test for a second read: a reread of a real misspelling
    reads the same wrong letter, often less surely (on the tuning seeds, "CLAIM YNUR OFFER"
    read again gave the "N" at 0.71), while a misread does not repeat across crops. A missing
    letter in small type is where the recogniser errs most, so one rule for every edit: all
    of REREADS agree. On the tuning seeds (20 even seeds, 60 misspelt ads, 220 good ones) this
    counts every edit, missing letters included, from 30 px lines up: 55 of 60 misspelt ads
    caught (49 with one padded second read that had to be as sure as the first, and missing
    letters only from 64 px), no good ad flagged.
    """
    confirmed = set(suspects)
    for crop in REREADS:
        text, _, _ = engine.recognise(*_reread_crop(full, box, *crop))[0]
        confirmed &= set(align_substring(fold(text), target_folded).edit_keys)
        if not confirmed:
            break
    return [key for key in suspects if key in confirmed]


def reread_keys(engine, full: np.ndarray, box: tuple[int, int, int, int], target_folded: str, *, first: bool = False) -> set:
    """Every edit against the target that any of REREADS of the line shows (with `first`, also
    a read of the box itself, as the first pass reads it)."""
    crops = ((0.0, 0.0, 1.0),) * first + REREADS
    keys: set = set()
    for crop in crops:
        text, _, _ = engine.recognise(*_reread_crop(full, box, *crop))[0]
        keys |= set(align_substring(fold(text), target_folded).edit_keys)
    return keys


def _reread_crop(full: np.ndarray, box: tuple[int, int, int, int], margin_x: float, margin_y: float, enlarge: float):
    """(image, [its whole box]) for one second read: the line's box grown (or trimmed) by the
    margins, resampled by `enlarge` before the recogniser's own resize."""
    x0, y0, x1, y1 = box
    line = y1 - y0
    height, width = full.shape[:2]
    pad_x, pad_y = round(line * margin_x), round(line * margin_y)
    x0, x1 = max(0, x0 - pad_x), min(width, x1 + pad_x)
    y0, y1 = max(0, y0 - pad_y), min(height, y1 + pad_y)
    if y1 - y0 < 2:  # a trim cannot eat the line
        y0, y1 = box[1], box[3]
    if enlarge == 1.0:
        return full, [(x0, y0, x1, y1)]
    crop = Image.fromarray(full[y0:y1, x0:x1])
    crop = np.asarray(crop.resize((round(crop.width * enlarge), round(crop.height * enlarge)), Image.Resampling.LANCZOS))
    return crop, [(0, 0, crop.shape[1], crop.shape[0])]
