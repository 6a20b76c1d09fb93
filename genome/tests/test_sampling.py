"""Thompson Sampling with exploration, seeded; the evolution variable choice."""

import math

import numpy as np
import pytest

from genome.dimensions import ELEMENT_DIMENSIONS
from genome.sampling import (
    EVOLUTION_PRIORITY,
    DimensionArms,
    choose_variable,
    exploration_rate,
    relative_uncertainty,
    thompson_select,
)


def test_exploration_schedule():
    assert exploration_rate(0) == pytest.approx(0.30)
    assert exploration_rate(100) == pytest.approx(0.30 * math.exp(-1))     # 0.1104
    assert exploration_rate(170) == pytest.approx(0.30 * math.exp(-1.7))   # 0.0548, above the floor
    assert 0.30 * math.exp(-1.8) < 0.05 and exploration_rate(180) == 0.05  # 0.0496 → the floor
    assert exploration_rate(10_000) == 0.05


def test_a_seed_reproduces_the_choice_and_its_draws():
    a = thompson_select([2, 3, 5], [5, 3, 2], matured_ads=40, k=2, seed=123)
    b = thompson_select([2, 3, 5], [5, 3, 2], matured_ads=40, k=2, seed=123)
    assert a.chosen == b.chosen and a.explored == b.explored and np.array_equal(a.draws, b.draws)
    assert a.seed == 123 and a.draws.shape == (2, 3) and len(set(a.chosen)) == 2
    fresh = thompson_select([2, 3], [3, 2], matured_ads=0)
    assert thompson_select([2, 3], [3, 2], matured_ads=0, seed=fresh.seed).chosen == fresh.chosen


def test_exploration_is_used_in_the_draw():
    # Arm 0 is certainly better; only exploration picks arm 1, uniformly among the 2 arms:
    # expected share ε/2 = 0.15 at 0 matured ads, 0.025 at 1,000.
    alpha, beta = [1000.0, 1.0], [1.0, 1000.0]
    early = [thompson_select(alpha, beta, matured_ads=0, seed=s).chosen[0] for s in range(3000)]
    late = [thompson_select(alpha, beta, matured_ads=1000, seed=s).chosen[0] for s in range(3000)]
    assert np.mean(early) == pytest.approx(0.15, abs=0.02)
    assert np.mean(late) == pytest.approx(0.025, abs=0.01)


def test_picks_follow_the_posteriors():
    picks = [thompson_select([30, 10, 20], [10, 30, 20], matured_ads=1000, seed=s).chosen[0] for s in range(2000)]
    counts = np.bincount(picks, minlength=3)
    assert counts[0] > counts[2] > counts[1]


def test_bad_picks_are_refused():
    with pytest.raises(ValueError):
        thompson_select([1, 1], [1, 1], matured_ads=0, k=3)
    with pytest.raises(ValueError):
        thompson_select([0, 1], [1, 1], matured_ads=0)


def test_relative_uncertainty():
    assert relative_uncertainty([1.0], [1.0])[0] == pytest.approx(1.0)
    # Beta(50, 50): sd = √(2500 / (100² · 101)) = 0.049752; / √(1/12) = 0.17235.
    assert relative_uncertainty([50.0], [50.0])[0] == pytest.approx(0.049752 / math.sqrt(1 / 12), rel=1e-4)


def test_priorities_name_scored_dimensions():
    assert set(EVOLUTION_PRIORITY) <= set(ELEMENT_DIMENSIONS)
    assert list(EVOLUTION_PRIORITY.values()) == sorted(EVOLUTION_PRIORITY.values(), reverse=True)


def same_arms(current="a"):
    return DimensionArms(current=current, values=["a", "b"], alpha=[5.0, 5.0], beta=[5.0, 5.0])


def test_variable_choice_follows_the_priorities_when_all_else_is_equal():
    candidates = {d: same_arms() for d in ("color_mode", "hook_type", "belief_angle_id")}
    chosen = [choose_variable(candidates, seed=s).dimension for s in range(600)]
    share = {d: chosen.count(d) / len(chosen) for d in candidates}
    assert share["belief_angle_id"] > share["hook_type"] > share["color_mode"] > 0


def test_causal_knowledge_moves_the_choice():
    candidates = {"hook_type": same_arms(), "visual_style": same_arms()}
    plain = [choose_variable(candidates, seed=s).dimension for s in range(600)]
    causal = [choose_variable(candidates, causal={"visual_style": "causal"}, seed=s).dimension for s in range(600)]
    assert causal.count("visual_style") > plain.count("visual_style") + 60
    choice = choose_variable(candidates, causal={"visual_style": "causal"}, seed=1)
    assert choice.weights["visual_style"] == pytest.approx(0.7 * 1.5 * choice.uncertainty["visual_style"])


def test_variable_choice_skips_what_cannot_change_and_is_seeded():
    candidates = {"hook_type": DimensionArms("a", ["a"], [2.0], [2.0]), "color_mode": same_arms(),
                  "not_a_priority": same_arms()}
    choice = choose_variable(candidates, seed=9)
    assert choice.dimension == "color_mode" and set(choice.weights) == {"color_mode"}
    assert choose_variable(candidates, seed=9) == choice
    assert choose_variable({"hook_type": DimensionArms("a", ["a"], [2.0], [2.0])}, seed=1).dimension is None
    with pytest.raises(ValueError):
        choose_variable({"hook_type": same_arms()}, causal={"hook_type": "proven"}, seed=1)


def test_a_known_better_alternative_is_found():
    # The winner's colour mode is weak and well known; the alternative is clearly better.
    candidates = {"color_mode": DimensionArms("a", ["a", "b"], [10.0, 30.0], [30.0, 10.0]),
                  "hook_type": DimensionArms("x", ["x", "y"], [30.0, 10.0], [10.0, 30.0])}
    chosen = [choose_variable(candidates, seed=s).dimension for s in range(200)]
    assert chosen.count("color_mode") == 200
