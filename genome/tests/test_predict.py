"""pre_gen_score from element scores."""

import numpy as np
import pytest

from genome.predict import pre_gen_score, pre_gen_scores

SCORES = {("hook_type", "proof"): (3.0, 1.0), ("color_mode", "brand"): (1.0, 3.0),
          ("awareness_stage", "3"): (1.0, 1.0)}


def test_mean_of_posterior_means_over_dimensions_with_evidence():
    # proof 3/4, brand 1/4; stage 3 is the neutral Beta(1, 1) (no evidence) and persona unknown.
    combo = {"hook_type": "proof", "color_mode": "brand", "awareness_stage": 3, "persona_id": "p1",
             "visual_style": None}
    assert pre_gen_score(combo, SCORES) == pytest.approx((0.75 + 0.25) / 2)
    assert pre_gen_score({"hook_type": "proof"}, SCORES) == pytest.approx(0.75)


def test_no_evidence_is_none_not_a_neutral_half():
    assert pre_gen_score({"awareness_stage": 3, "persona_id": "p1"}, SCORES) is None
    assert pre_gen_score({}, SCORES) is None


def test_batch_matches_single():
    tags = {"hook_type": ["proof", "proof", None, "other"], "color_mode": ["brand", None, None, "brand"]}
    batch = pre_gen_scores(tags, SCORES)
    assert batch[:2] == pytest.approx([0.5, 0.75]) and np.isnan(batch[2]) and batch[3] == pytest.approx(0.25)
