"""Objective normalisation and reward weights."""

import numpy as np
import pytest

from genome.objectives import METRICS, REWARD_WEIGHTS, Objective, normalise_objective, objective_codes, reward_weights


@pytest.mark.parametrize("raw, expected", [
    ("OUTCOME_SALES", Objective.SALES), ("CONVERSIONS", Objective.SALES),
    ("PRODUCT_CATALOG_SALES", Objective.SALES),
    ("OUTCOME_TRAFFIC", Objective.TRAFFIC), ("LINK_CLICKS", Objective.TRAFFIC), ("TRAFFIC", Objective.TRAFFIC),
    ("OUTCOME_AWARENESS", Objective.AWARENESS), ("BRAND_AWARENESS", Objective.AWARENESS), ("REACH", Objective.AWARENESS),
    ("OUTCOME_ENGAGEMENT", Objective.ENGAGEMENT), ("POST_ENGAGEMENT", Objective.ENGAGEMENT),
    ("PAGE_LIKES", Objective.ENGAGEMENT), ("VIDEO_VIEWS", Objective.ENGAGEMENT),
    ("OUTCOME_LEADS", Objective.LEADS), ("LEAD_GENERATION", Objective.LEADS),
    ("OUTCOME_APP_PROMOTION", Objective.APP_PROMOTION), ("APP_INSTALLS", Objective.APP_PROMOTION),
    (" outcome_sales ", Objective.SALES),                  # case and whitespace do not matter
    ("SOMETHING_NEW", Objective.UNKNOWN), ("", Objective.UNKNOWN), (None, Objective.UNKNOWN), (7, Objective.UNKNOWN),
])
def test_normalise(raw, expected):
    assert normalise_objective(raw) is expected


def test_codes_for_many_ads():
    codes = objective_codes(["OUTCOME_SALES", "conversions", None, "x", "REACH"])
    assert codes.tolist() == [1, 1, 0, 0, 3] and codes.dtype == np.int8
    assert objective_codes([]).tolist() == []


def test_spec_weights():
    assert reward_weights("CONVERSIONS") == pytest.approx({"ctr": 0.2, "conversion_rate": 0.3, "roas": 0.5})
    assert reward_weights(Objective.TRAFFIC) == pytest.approx({"ctr": 0.7, "conversion_rate": 0.1, "roas": 0.2})
    assert reward_weights("BRAND_AWARENESS") == pytest.approx({"ctr": 0.5, "cpm": 0.5})
    assert reward_weights(None) == pytest.approx({"ctr": 1 / 3, "conversion_rate": 1 / 3, "roas": 1 / 3})


def test_every_objective_weights_sum_to_one_and_are_read_only():
    assert REWARD_WEIGHTS.shape == (len(Objective), len(METRICS))
    assert np.allclose(REWARD_WEIGHTS.sum(axis=1), 1.0)
    with pytest.raises(ValueError):
        REWARD_WEIGHTS[0, 0] = 1.0
