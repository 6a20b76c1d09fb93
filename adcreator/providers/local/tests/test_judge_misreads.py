"""What the recogniser misreads is not a misspelling: the "fi" ligature read as "f" ("frst"),
while a letter really changed still is."""

from __future__ import annotations

from adcreator.providers.local.judge_copy import align_substring, confident_edits, fold


def edits(read: str, target: str) -> int:
    folded = fold(read)
    return confident_edits(align_substring(folded, fold(target)), [0.99] * len(folded), folded)


def test_a_lost_thin_glyph_at_the_start_of_a_line_is_not_a_misspelling():
    assert edits("frst order", "20% off your first order") == 0
    assert edits("yourfrst", "your first order") == 0


def test_a_changed_or_doubled_letter_still_is():
    assert edits("Priva", "Priya, verified buyer") == 1
    assert edits("Sleep deeepr", "Sleep deeper tonight") == 2
    assert edits("xleep", "Sleep") == 1
    assert edits("cat", "cut") == 1


def test_an_edit_is_keyed_by_where_it_falls_in_the_requested_text():
    # Two reads showing the same misspelling give the same keys, whatever else they lost.
    target = fold("Claim your offer")
    first = align_substring(fold("Claim ynur offer"), target)
    partial = align_substring(fold("laim ynur off"), target)  # a reread that lost both ends
    assert first.edit_keys == partial.edit_keys == ((6, "changed", "n"),)
    assert align_substring(fold("Claim yur offer"), target).edit_keys == ((6, "missing", ""),)
    assert align_substring(fold("Claim yrour offer"), target).edit_keys[0][1:] == ("extra", "r")


def test_a_found_region_spanning_two_read_lines_is_not_read_again_as_a_line_of_its_own():
    from adcreator.providers.local.ocr import _spans_stacked_lines

    first, second = (10, 0, 200, 40), (20, 36, 190, 80)
    both = (5, 0, 210, 80)  # the edge-based finder's box around the two lines
    assert _spans_stacked_lines(both, [first, second])
    # Two pieces of one line side by side do not stand for it: the whole line is read.
    assert not _spans_stacked_lines((0, 0, 400, 40), [(0, 0, 150, 40), (180, 0, 300, 40)])
    assert not _spans_stacked_lines((300, 100, 400, 140), [first, second])
