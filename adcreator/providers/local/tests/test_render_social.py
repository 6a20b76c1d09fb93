"""A post's header: the line under the handle never covers the handle's descenders (its contrast
panel once erased the tail of the "y" in "Priya", which then read "Priva")."""

from __future__ import annotations

import numpy as np
import pytest

from adcreator.demo.render_cases import Case, case_prompt, templates
from adcreator.providers.local.render import render_ad_detailed


@pytest.mark.parametrize("ratio", ["1:1", "4:5", "9:16", "16:9"])
def test_the_handles_descender_survives_the_line_under_it(ratio):
    template = next(t for t in templates() if t.elements.archetype == "ugc")
    prompt, references = case_prompt(Case(template, ratio))
    outcome = render_ad_detailed(prompt, references)
    handle = next(line for line in outcome.lines if line.role == "handle")
    assert "y" in handle.text  # the demo's reviewer, Priya: a descender to look for
    x0, y0, x1, y1 = handle.box
    grey = np.asarray(outcome.image.convert("L"), dtype=np.int16)
    ground = int(np.median(grey[y0:y1, x0:x1]))
    # The lowest fifth of the handle's ink box holds only descenders: they must still be inked.
    tail = grey[y1 - max(2, (y1 - y0) // 5):y1, x0:x1]
    assert (np.abs(tail - ground) > 100).sum() >= 4, tail
