"""Prediction accuracy and drift, by hand."""

import math

import numpy as np
import pytest

from genome.validation import beta_kl, beta_total_variation, prediction_accuracy, score_drift


def test_correlations_by_hand():
    perfect = prediction_accuracy([1, 2, 3], [2, 4, 6])
    assert perfect.pearson == pytest.approx(1.0) and perfect.spearman == pytest.approx(1.0) and perfect.n == 3
    # x = 1..4, y = x²: Spearman 1 (monotone); Pearson = Σdxdy / √(Σdx² Σdy²) with x̄ = 2.5, ȳ = 7.5:
    # dx = (−1.5, −0.5, 0.5, 1.5), dy = (−6.5, −3.5, 1.5, 8.5): Σdxdy = 9.75 + 1.75 + 0.75 + 12.75 = 25, Σdx² = 5,
    # Σdy² = 42.25 + 12.25 + 2.25 + 72.25 = 129 → 25 / √645 = 0.98437.
    curved = prediction_accuracy([1, 2, 3, 4], [1, 4, 9, 16])
    assert curved.spearman == pytest.approx(1.0)
    assert curved.pearson == pytest.approx(25 / math.sqrt(5 * 129))


def test_not_measured_is_none_never_zero():
    assert prediction_accuracy([0.5, 0.6], [0.1, 0.2]).pearson is None                    # n < 3
    assert prediction_accuracy([0.5, 0.5, 0.5], [0.1, 0.2, 0.3]).spearman is None          # no variance
    dropped = prediction_accuracy([0.1, None, 0.3, np.nan, 0.5], [0.2, 0.9, np.nan, 0.1, 0.4])
    assert dropped.n == 2 and dropped.pearson is None


def test_beta_distances_by_hand():
    # Beta(2, 1) (density 2x) vs Beta(1, 1): TV = ½∫|2x − 1| dx = ½(¼ + ¼) = 0.25;
    # KL = ∫ 2x ln(2x) dx = ln 2 − ½ = 0.193147.
    assert beta_total_variation(2, 1, 1, 1)[0] == pytest.approx(0.25, abs=1e-5)
    assert float(beta_kl(2, 1, 1, 1)) == pytest.approx(math.log(2) - 0.5)
    assert beta_total_variation(30, 70, 30, 70)[0] == pytest.approx(0.0, abs=1e-9)
    # Two narrow, far-apart posteriors are disjoint.
    assert beta_total_variation(900, 100, 100, 900)[0] == pytest.approx(1.0, abs=1e-6)


def test_week_over_week_drift():
    previous = {("hook_type", "a"): (1.0, 1.0), ("hook_type", "b"): (5.0, 5.0), ("hook_type", "gone"): (2.0, 2.0)}
    current = {("hook_type", "a"): (2.0, 1.0), ("hook_type", "b"): (5.0, 5.0), ("hook_type", "new"): (1.0, 2.0)}
    drift = score_drift(previous, current)
    assert drift.keys == [("hook_type", "a"), ("hook_type", "b")]
    assert drift.mean_shift == pytest.approx([2 / 3 - 1 / 2, 0.0])
    assert drift.total_variation == pytest.approx([0.25, 0.0], abs=1e-5)
    assert drift.appeared == [("hook_type", "new")] and drift.disappeared == [("hook_type", "gone")]
    assert drift.summary()["max_abs_shift"] == pytest.approx(1 / 6)
    assert score_drift({}, {}).summary()["max_tv"] is None
