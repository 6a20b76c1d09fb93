"""Cold-start levels, the prior's weight and the category priors."""

import numpy as np
import pytest

from genome.coldstart import category_priors, coldstart, coldstart_level, prior_weight


@pytest.mark.parametrize("days, level", [(0, 0), (1, 1), (13, 1), (14, 2), (29, 2), (30, 3), (400, 3)])
def test_levels(days, level):
    assert coldstart_level(days) == level
    assert coldstart(days).level == level and coldstart(days).proxy_only == (level == 1)


def test_levels_for_many_brands_and_bad_days():
    assert coldstart_level(np.array([0, 5, 20, 31])).tolist() == [0, 1, 2, 3]
    with pytest.raises(ValueError):
        coldstart_level(-1)


def test_prior_weight_fades_across_level_2():
    # λ = (30 − days) / 16, clamped: 1 up to day 14, 0.5 at day 22, 1/16 at day 29, 0 from day 30.
    assert [prior_weight(d) for d in (0, 7, 14, 22, 29, 30, 60)] == pytest.approx([1, 1, 1, 0.5, 1 / 16, 0, 0])


ROWS = dict(
    dimension=["hook_type", "hook_type", "hook_type", "hook_type", "hook_type", "hook_type"],
    value=["proof", "proof", "proof", "proof", "proof", "curiosity"],
    alpha=[11.0, 5.0, 50.0, 40.0, 30.0, 3.0],
    beta=[6.0, 3.0, 2.0, 2.0, 2.0, 1.0],
    row_brand=["b2", "b3", "b4", "b1", "b5", "b2"],
    row_organization=["o1", "o1", "o2", "o1", "o1", "o1"],
    row_category=["skincare", "skincare", "skincare", "skincare", "food", "skincare"],
)


def test_category_priors_by_hand():
    priors = category_priors(**ROWS, brand="b1", organization="o1", category="skincare").as_mapping()
    # proof: b2 (11, 6) and b3 (5, 3) count; b4 is another organization, b1 the brand itself,
    # b5 another category. Evidence α: 10 + 4 = 14, β: 5 + 2 = 7 → 1 + 0.3·14 = 5.2, 1 + 0.3·7 = 3.1.
    assert priors[("hook_type", "proof")] == pytest.approx((5.2, 3.1))
    assert priors[("hook_type", "curiosity")] == pytest.approx((1 + 0.3 * 2, 1.0))
    assert len(priors) == 2


def test_no_category_or_no_sibling_gives_neutral_priors():
    assert category_priors(**ROWS, brand="b1", organization="o1", category=None).as_mapping() == {}
    assert category_priors(**ROWS, brand="b9", organization="o3", category="skincare").as_mapping() == {}
