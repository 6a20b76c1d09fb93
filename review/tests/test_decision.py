import math

import pytest

from review.decision import CHECKS, ScoringConfig, UnusableScores, combine, needs_second_opinion, opinion, weighted_score

EQUAL = ScoringConfig(weights={c: 1.0 for c in CHECKS}, auto_reject={"V9": 3.0})


def scores(value=8.0, **over):
    s = {c: value for c in CHECKS}
    s.update(over)
    return s


def test_weighted_score_leaves_unmeasured_checks_out():
    s = scores(8.0, V5=None, C3=None, V1=2.0)
    score, measured = weighted_score(s, {c: 1.0 for c in CHECKS})
    assert measured == 13
    assert score == pytest.approx((8.0 * 12 + 2.0) / 13)


def test_weights_matter():
    s = scores(8.0, V1=2.0)
    heavy_v1 = {c: 1.0 for c in CHECKS} | {"V1": 14.0}
    assert weighted_score(s, heavy_v1)[0] == pytest.approx((8.0 * 14 + 2.0 * 14) / 28)


@pytest.mark.parametrize("bad", [{"V1": 11.0}, {"V1": -1.0}, {"V1": math.nan}, {"V1": "9"}])
def test_unreadable_scores_are_refused(bad):
    with pytest.raises(UnusableScores):
        weighted_score(scores(8.0, **bad), EQUAL.weights)


def test_missing_check_or_nothing_measured_is_unusable():
    s = scores()
    del s["G2"]
    with pytest.raises(UnusableScores, match="G2"):
        opinion(s, EQUAL)
    with pytest.raises(UnusableScores):
        opinion({c: None for c in CHECKS}, EQUAL)


def test_clean_high_scores_approve_without_second_opinion():
    first = opinion(scores(8.5), EQUAL)
    assert first.verdict == "approve" and not needs_second_opinion(first)
    assert combine(first, None) == "approved"


def test_a_check_in_the_band_asks_for_a_second_opinion_even_when_the_average_passes():
    first = opinion(scores(9.0, V3=6.0), EQUAL)
    assert first.verdict == "approve" and first.in_band == ["V3"] and needs_second_opinion(first)


def test_or_logic_and_flagged_only_when_both_borderline():
    borderline = opinion(scores(6.0), EQUAL)
    approve = opinion(scores(8.0, V3=6.5), EQUAL)
    reject = opinion(scores(3.0), EQUAL)
    assert borderline.verdict == "borderline" and reject.verdict == "reject"
    assert combine(borderline, approve) == "approved"
    assert combine(approve, reject) == "approved"
    assert combine(borderline, borderline) == "flagged"
    assert combine(borderline, reject) == "rejected"
    assert combine(reject, reject) == "rejected"


def test_auto_reject_floor_is_final():
    first = opinion(scores(9.5, V9=2.0), EQUAL)
    assert first.verdict == "reject" and first.below_floor == ["V9"]
    assert not needs_second_opinion(first) and combine(first, None) == "rejected"
    # A second reviewer seeing the floor broken blocks the OR-approval too.
    assert combine(opinion(scores(8.0, V3=6.0), EQUAL), first) == "rejected"


@pytest.mark.parametrize("kwargs", [
    {"weights": {"V1": -1.0}}, {"weights": {"V1": math.inf}}, {"weights": {"X9": 1.0}},
    {"weights": {}, "borderline_low": 8.0, "borderline_high": 6.0}, {"weights": {}, "pass_threshold": 11},
])
def test_invalid_configs_raise(kwargs):
    with pytest.raises(ValueError):
        ScoringConfig(**kwargs)
