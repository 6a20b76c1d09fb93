"""Comparing text read off an ad with the text that was asked for: pure string functions.

An ad wraps its copy over several lines, so each line read is matched as an approximate
*substring* of a requested string (Sellers' edit distance: the alignment may start and end
anywhere in the requested text). Comparison is on a folded form — lower case, letters and
digits only, accents dropped, and the glyphs an OCR confuses (0/o, 1/l/i) made one — so
spacing, punctuation and case never count as errors. A difference that survives the fold is
a misspelling when the OCR was sure of the characters involved, OCR noise when it was not.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import numpy as np

# Glyphs OCR mixes up in Latin type, folded to one: a difference between them proves nothing.
_CONFUSABLE = str.maketrans({"0": "o", "1": "l", "i": "l", "|": "l", "5": "s"})
# The OCR's probability at or above which a character it read is taken as what is printed;
# clean type reads at 0.95-1.0 and the characters it guesses at sit well below 0.9.
CONFIDENT_CHAR = 0.9
# Folded glyphs too thin for a missing one to prove a misspelling: the recogniser drops an
# "i" or an "l" from clean type with full confidence ("first" read "frst").
THIN_GLYPHS = frozenset("l")


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    kept = "".join(ch for ch in decomposed if ch.isalnum() and not unicodedata.combining(ch))
    return kept.translate(_CONFUSABLE)


def fold_with_index(text: str) -> tuple[str, list[int]]:
    """The folded text and, per folded character, its index in `text` (for confidences)."""
    out, index = [], []
    for position, ch in enumerate(text):
        piece = fold(ch)
        out.append(piece)
        index.extend([position] * len(piece))
    return "".join(out), index


@dataclass(frozen=True)
class Alignment:
    edits: int  # edit distance of the read text to its best-matching span of the target
    span: tuple[int, int]  # that span, indices into the folded target
    # The read text's folded positions involved in each edit (a character of the target
    # missing from the read text is charged to its neighbours), with the target character
    # concerned ("" for a character the read text has in excess).
    edit_positions: tuple[tuple[int, ...], ...]
    edit_targets: tuple[str, ...] = ()
    # Each edit as (target index, "changed" | "extra" | "missing", read character): two reads
    # of one line that show the same misspelling give the same keys.
    edit_keys: tuple[tuple[int, str, str], ...] = ()

    def ratio(self, length: int) -> float:
        return self.edits / max(1, length)


def align_substring(read: str, target: str) -> Alignment:
    """Best approximate occurrence of `read` (folded) inside `target` (folded)."""
    m, n = len(read), len(target)
    if m == 0:
        return Alignment(0, (0, 0), ())
    if n == 0:
        return Alignment(m, (0, 0), tuple((i,) for i in range(m)))
    a = np.frombuffer(read.encode("utf-32-le"), dtype=np.uint32)
    b = np.frombuffer(target.encode("utf-32-le"), dtype=np.uint32)
    table = np.zeros((m + 1, n + 1), np.int32)  # row 0 is all zero: the match may start anywhere
    steps = np.arange(n + 1, dtype=np.int32)
    for i in range(1, m + 1):
        previous = table[i - 1]
        best = np.empty(n + 1, np.int32)
        best[0] = i
        best[1:] = np.minimum(previous[:-1] + (a[i - 1] != b), previous[1:] + 1)
        # A target character skipped (deletion) costs 1 per step along the row: a running
        # minimum of (value - column) restores it without a Python loop over columns.
        table[i] = np.minimum.accumulate(best - steps) + steps
    end = int(np.argmin(table[m]))
    edits = int(table[m, end])
    # Walk back to find where the span starts and which read characters the edits touch.
    i, j, touched, targets, keys = m, end, [], [], []
    while i > 0:
        here = table[i, j]
        # Where a substitution and a skipped target character cost the same (at the edge of
        # the span: "frst" in "first" is "f" for "l" from the "l", or the "i" lost after the
        # "f"), the lost character is taken: the recogniser drops glyphs far more often than it
        # invents them, and a lost thin glyph is not a misspelling (confident_edits).
        lost = j > 0 and a[i - 1] != b[j - 1] and here == table[i, j - 1] + 1
        if not lost and j > 0 and here == table[i - 1, j - 1] + (a[i - 1] != b[j - 1]):
            if a[i - 1] != b[j - 1]:
                touched.append((i - 1,))
                targets.append(target[j - 1])
                keys.append((j - 1, "changed", read[i - 1]))
            i, j = i - 1, j - 1
        elif not lost and here == table[i - 1, j] + 1:
            touched.append((i - 1,))
            targets.append("")
            keys.append((j, "extra", read[i - 1]))
            i -= 1
        else:  # a target character the read text lacks, between read positions i-1 and i
            touched.append(tuple(p for p in (i - 1, i) if 0 <= p < m))
            targets.append(target[j - 1])
            keys.append((j - 1, "missing", ""))
            j -= 1
    return Alignment(edits, (j, end), tuple(reversed(touched)), tuple(reversed(targets)), tuple(reversed(keys)))


def confident_edits(alignment: Alignment, confidences: list[float], read: str = "", *, count_missing: bool = True) -> int:
    """Edits the OCR was sure about: every read character involved was read confidently. A
    letter missing beside the same letter is not counted: the recogniser's decoding merges a
    doubled letter, within a word or across a gap ("lifts sunscreen" read "liftsunscreen").
    `count_missing=False` leaves out every missing letter (small type loses thin letters)."""
    return len(confident_edit_keys(alignment, confidences, read, count_missing=count_missing))


def confident_edit_keys(alignment: Alignment, confidences: list[float], read: str = "", *,
                        count_missing: bool = True, min_confidence: float = CONFIDENT_CHAR) -> list[tuple[int, str, str]]:
    """The edits `confident_edits` counts, as `Alignment.edit_keys`: what a second read of the
    line must show again for the misspelling to stand. `min_confidence` is the probability
    every read character involved needs (CONFIDENT_CHAR when one read is all the evidence)."""
    keys = alignment.edit_keys or tuple((-1, "", "") for _ in alignment.edit_positions)
    counted = []
    for positions, wanted, key in zip(alignment.edit_positions, alignment.edit_targets or ("",) * len(alignment.edit_positions), keys):
        if not positions or not all(confidences[p] >= min_confidence for p in positions if p < len(confidences)):
            continue
        missing = len(positions) == 2 or (wanted and len(positions) == 1 and _is_deletion(alignment, positions, wanted, read))
        if missing and (not count_missing or wanted in THIN_GLYPHS or (read and wanted in {read[p] for p in positions})):
            continue
        counted.append(key)
    return counted


def _is_deletion(alignment: Alignment, positions: tuple[int, ...], wanted: str, read: str) -> bool:
    # A deletion at the very start or end of the read text is charged to one neighbour only;
    # a substitution puts another character where `wanted` belongs.
    return bool(read) and read[positions[0]] == wanted


def coverage(spans: list[tuple[int, int]], length: int, start: int = 0, stop: int | None = None) -> float:
    """Share of target characters [start, stop) covered by the spans."""
    stop = length if stop is None else stop
    if stop <= start:
        return 1.0
    covered = np.zeros(length, bool)
    for s, e in spans:
        covered[s:e] = True
    return float(covered[start:stop].mean())


def missing_text(spans: list[tuple[int, int]], target_folded: str) -> str:
    covered = np.zeros(len(target_folded), bool)
    for s, e in spans:
        covered[s:e] = True
    return "".join(ch if not c else "·" for ch, c in zip(target_folded, covered)).strip("·")
