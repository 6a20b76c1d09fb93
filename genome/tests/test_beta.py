"""Element scores rebuilt from rewards, with hand counts."""

import math

import numpy as np
import pytest

from genome.beta import score_elements

TAGS = {"hook_type": ["curiosity", "curiosity", "curiosity", "proof", "proof", None],
        "awareness_stage": [2, 2, 3, 3, None, 3]}
REWARD = np.array([0.7, 0.5, 0.2, 0.9, np.nan, 0.1])


def by_key(scores):
    return {(r["dimension"], r["value"]): r for r in scores.rows()}


def test_counts_by_hand():
    rows = by_key(score_elements(TAGS, REWARD))
    # curiosity: rewards 0.7, 0.5 (≥ 0.5: success), 0.2 → α = 1 + 2, β = 1 + 1.
    assert (rows["hook_type", "curiosity"]["alpha"], rows["hook_type", "curiosity"]["beta"]) == (3.0, 2.0)
    assert rows["hook_type", "curiosity"]["mean"] == pytest.approx(0.6)
    assert rows["hook_type", "curiosity"]["matured_ads"] == 3
    # proof: 0.9 and a NaN (no reward yet, ignored) → Beta(2, 1); the untagged ad counts nowhere.
    assert (rows["hook_type", "proof"]["alpha"], rows["hook_type", "proof"]["beta"]) == (2.0, 1.0)
    assert rows["hook_type", "proof"]["matured_ads"] == 1
    # Beta(2, 1) has cdf x², so its 90 % interval is [√0.05, √0.95].
    assert rows["hook_type", "proof"]["ci_low"] == pytest.approx(math.sqrt(0.05))
    assert rows["hook_type", "proof"]["ci_high"] == pytest.approx(math.sqrt(0.95))
    # Integer values are keyed as strings: stage 3 has 0.2, 0.9, 0.1 → Beta(2, 3).
    assert (rows["awareness_stage", "3"]["alpha"], rows["awareness_stage", "3"]["beta"]) == (2.0, 3.0)
    assert set(rows) == {("hook_type", "curiosity"), ("hook_type", "proof"),
                         ("awareness_stage", "2"), ("awareness_stage", "3")}


def test_weights_add_fractional_counts_and_the_rebuild_is_idempotent():
    weight = np.array([1.0, 0.25, 0.5, 1.0, 1.0, 0.0])
    first = by_key(score_elements(TAGS, REWARD, weight=weight))
    # curiosity: successes 1 + 0.25, failures 0.5 → Beta(2.25, 1.5).
    assert (first["hook_type", "curiosity"]["alpha"], first["hook_type", "curiosity"]["beta"]) == (2.25, 1.5)
    # Stage 3: the weight-0 ad (0.1) does not count at all, not even in matured_ads.
    assert first["awareness_stage", "3"]["matured_ads"] == 2
    assert by_key(score_elements(TAGS, REWARD, weight=weight)) == first


def test_priors_with_their_weight():
    priors = {("hook_type", "proof"): (5.0, 3.0), ("hook_type", "urgency"): (1.6, 2.2)}
    rows = by_key(score_elements(TAGS, REWARD, priors=priors, prior_weight=0.5, include_prior_only=True))
    # proof: 1 + 1 success + 0.5·(5 − 1) = 4; β = 1 + 0 + 0.5·(3 − 1) = 2.
    assert (rows["hook_type", "proof"]["alpha"], rows["hook_type", "proof"]["beta"]) == (4.0, 2.0)
    # urgency has no ad yet: a prior-only row, 1 + 0.5·0.6 = 1.3 and 1 + 0.5·1.2 = 1.6.
    assert rows["hook_type", "urgency"]["alpha"] == pytest.approx(1.3)
    assert rows["hook_type", "urgency"]["beta"] == pytest.approx(1.6)
    assert rows["hook_type", "urgency"]["matured_ads"] == 0
    # Level 3: the prior's weight is 0 and the brand's evidence stands alone.
    level3 = by_key(score_elements(TAGS, REWARD, priors=priors, prior_weight=0.0))
    assert (level3["hook_type", "proof"]["alpha"], level3["hook_type", "proof"]["beta"]) == (2.0, 1.0)


def test_scopes_give_one_row_per_scope_including_none():
    scores = score_elements({"hook_type": ["a", "a", "a"]}, [0.9, 0.1, 0.8], scope=["p1", None, "p1"])
    rows = {(r["scope"], r["value"]): (r["alpha"], r["beta"]) for r in scores.rows()}
    assert rows == {("p1", "a"): (3.0, 1.0), (None, "a"): (1.0, 2.0)}


def test_bad_input_is_refused():
    with pytest.raises(ValueError):
        score_elements({"hook_type": ["a"]}, [1.5])
    with pytest.raises(ValueError):
        score_elements({"hook_type": ["a", "b"]}, [0.5])
    with pytest.raises(ValueError):
        score_elements({"hook_type": ["a"]}, [0.5], weight=[-1.0])
