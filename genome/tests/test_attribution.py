"""Stratified attribution: a constructed Simpson's paradox, the 3-strata rule, stratum helpers."""

import datetime as dt

import numpy as np
import pytest

from genome.attribution import all_stratified_effects, iso_week, spend_buckets, stratified_effects, stratum_keys


def simpson_data():
    """Three weeks. Within every week hook "b" beats "a" by 0.1, but "a" ran mostly in the good
    weeks and "b" mostly in the bad one, so pooled "a" looks better."""
    values, reward, week = [], [], []
    for stratum, (n_a, r_a, n_b, r_b) in enumerate([(10, 0.8, 2, 0.9), (10, 0.7, 2, 0.8), (2, 0.2, 10, 0.3)]):
        values += ["a"] * n_a + ["b"] * n_b
        reward += [r_a] * n_a + [r_b] * n_b
        week += [stratum] * (n_a + n_b)
    return values, np.array(reward), np.array(week)


def test_a_constructed_simpsons_paradox_is_flagged():
    values, reward, week = simpson_data()
    effects = {e.value: e for e in stratified_effects("hook_type", values, reward, week)}
    a = effects["a"]
    # Pooled: a = (8 + 7 + 0.4) / 22 = 0.7, b = (1.8 + 1.6 + 3.0) / 14 = 0.457143 → +0.242857.
    assert a.pooled_effect == pytest.approx(0.7 - 6.4 / 14)
    # Within each week a − b = −0.1, so the Mantel-Haenszel average is −0.1 as well.
    assert a.stratified_effect == pytest.approx(-0.1)
    assert a.simpson and a.reported and a.label == "correlational"
    assert (a.strata_compared, a.strata_agreeing, a.strata_disagreeing) == (3, 3, 0)
    assert effects["b"].simpson and effects["b"].stratified_effect == pytest.approx(0.1)


def test_an_effect_is_reported_only_when_three_strata_agree():
    values, reward, week = simpson_data()
    two_weeks = week < 2
    effect = stratified_effects("hook_type", np.array(values)[two_weeks], reward[two_weeks], week[two_weeks])[0]
    assert effect.strata_agreeing == 2 and not effect.reported
    # Mixed signs, one ad per side per stratum (equal weights): a − b per stratum as listed.
    def mixed(diffs):
        values = ["a", "b"] * len(diffs)
        reward = [x for d in diffs for x in (0.5 + d, 0.5)]
        strata = [i for i in range(len(diffs)) for _ in (0, 1)]
        return stratified_effects("hook_type", values, reward, strata)[0]

    three_of_six = mixed([0.3, 0.3, 0.3, -0.1, -0.1, -0.1])   # average +0.1, but 3 agree and 3 do not
    assert (three_of_six.strata_agreeing, three_of_six.strata_disagreeing) == (3, 3) and not three_of_six.reported
    four_of_seven = mixed([0.3, 0.3, 0.3, 0.1, -0.1, -0.1, -0.1])
    assert (four_of_seven.strata_agreeing, four_of_seven.strata_disagreeing) == (4, 3) and four_of_seven.reported
    assert four_of_seven.stratified_effect == pytest.approx((0.9 + 0.1 - 0.3) / 7)


def test_mantel_haenszel_weights_by_hand():
    # Stratum 0: a 1 ad (0.9), b 3 ads (0.5): d = 0.4, w = 1·3/4 = 0.75.
    # Stratum 1: a 2 ads (0.3), b 2 ads (0.5): d = −0.2, w = 2·2/4 = 1.
    # Stratified = (0.75·0.4 − 1·0.2) / 1.75 = 0.057143.
    values = ["a", "b", "b", "b", "a", "a", "b", "b"]
    reward = [0.9, 0.5, 0.5, 0.5, 0.3, 0.3, 0.5, 0.5]
    a = stratified_effects("hook_type", values, reward, [0, 0, 0, 0, 1, 1, 1, 1])[0]
    assert a.stratified_effect == pytest.approx((0.75 * 0.4 - 0.2) / 1.75)
    assert a.pooled_effect == pytest.approx(1.5 / 3 - 2.5 / 5)  # 0.5 − 0.5 = 0


def test_ads_without_reward_or_tag_are_left_out_and_all_dimensions_run():
    effects = all_stratified_effects({"hook_type": ["a", "b", None, "a"], "color_mode": ["x", "x", "y", "y"]},
                                     [0.5, 0.4, 0.9, np.nan], [0, 0, 0, 0])
    hook = {e.value: e for e in effects if e.dimension == "hook_type"}
    assert hook["a"].n_ads == 1 and hook["a"].pooled_effect == pytest.approx(0.1)
    colour = {e.value: e for e in effects if e.dimension == "color_mode"}
    assert colour["y"].n_ads == 1 and colour["y"].pooled_effect == pytest.approx(0.9 - 0.45)
    # A value alone in the data has nothing to be compared with.
    lone = stratified_effects("hook_type", ["a", "a"], [0.2, 0.4], [0, 1])[0]
    assert lone.pooled_effect is None and lone.stratified_effect is None and not lone.simpson


def test_stratum_keys_combine_columns():
    codes = stratum_keys([1, 1, 2, 1], ["broad", "broad", "broad", None], [0, 0, 0, 0])
    assert codes[0] == codes[1] and len(set(codes.tolist())) == 3


def test_iso_weeks_match_python():
    dates = [dt.date(2024, 12, 30), dt.date(2025, 1, 1), dt.date(2021, 1, 3), dt.date(2020, 12, 31),
             dt.date(2026, 6, 15), dt.date(2027, 1, 1)]
    expected = [d.isocalendar().year * 100 + d.isocalendar().week for d in dates]
    assert iso_week(np.array(dates, dtype="datetime64[D]")).tolist() == expected


def test_spend_buckets():
    assert spend_buckets([5, 60, 500, 2000], edges=[50, 200, 1000]).tolist() == [0, 1, 2, 3]
    assert spend_buckets([1, 2, 3, 4, 5, 6]).tolist() == [0, 0, 1, 1, 2, 2]
