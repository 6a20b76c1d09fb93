"""Guardrails and cost: attempts, tiers at the boundaries, cost lines, and splitting."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from adcreator.prompts.estimate import (
    CostTable,
    JobPart,
    attempt_count,
    estimate_job,
    split_into_jobs,
    tier_for,
)
from adcreator.prompts.models import CANVAS_SIZES, COLOR_MODES

SIZES = list(CANVAS_SIZES)
COLORS = list(COLOR_MODES)


def test_attempts_multiply_all_four_dimensions():
    assert attempt_count(3, 5, 2, 3) == 90
    assert attempt_count(0, 5, 2, 3) == 0
    with pytest.raises(ValueError):
        attempt_count(1, -1, 1, 1)


@pytest.mark.parametrize(
    ("variations", "tier", "requires_confirmation", "blocked"),
    [
        (10, "small", False, False),
        (11, "estimate", False, False),
        (30, "estimate", False, False),
        (31, "confirm", True, False),
        (50, "confirm", True, False),
        (51, "over_cap", False, True),
    ],
)
def test_tier_boundaries(variations, tier, requires_confirmation, blocked):
    estimate = estimate_job(templates=1, variations=variations, sizes=1, colors=1)
    assert estimate.attempts == variations
    assert estimate.tier == tier
    assert estimate.requires_confirmation is requires_confirmation
    assert estimate.blocked is blocked


def test_a_low_cap_wins_over_the_fixed_tiers():
    assert tier_for(25, cap=20) == "over_cap"
    assert tier_for(20, cap=20) == "estimate"
    assert tier_for(8, cap=5) == "over_cap"


def test_cost_lines_follow_the_price_table():
    prices = CostTable(
        image_generation=Decimal("0.02"), defect_scan=Decimal("0.002"), rubric_review=Decimal("0.005"),
        second_opinion=Decimal("0.005"), text_call=Decimal("0.001"),
    )
    estimate = estimate_job(templates=3, variations=5, sizes=3, colors=1, prices=prices, second_opinion_rate=0.3)
    lines = {line.purpose: line for line in estimate.lines}
    assert lines["image_generation"].calls == 45 and lines["image_generation"].subtotal_usd == Decimal("0.90")
    assert lines["defect_scan"].subtotal_usd == Decimal("0.090")
    assert lines["rubric_review"].subtotal_usd == Decimal("0.225")
    assert lines["second_opinion"].calls == Decimal("13.5")
    assert lines["second_opinion"].subtotal_usd == Decimal("0.0675")
    assert lines["text_call"].calls == 15  # one congruence check per hook (template × variation)
    # 0.90 + 0.09 + 0.225 + 0.0675 + 0.015 = 1.2975 → 1.30
    assert estimate.total_usd == Decimal("1.30")
    assert estimate.message == "This will attempt ~45 generations (~$1.30 est.); confirm to submit."


def test_default_prices_are_overridable_from_floats_and_total_rounds_half_up():
    prices = CostTable(image_generation=0.125, defect_scan=0, rubric_review=0, second_opinion=0, text_call=0)
    estimate = estimate_job(templates=1, variations=1, sizes=1, colors=1, prices=prices)
    assert estimate.total_usd == Decimal("0.13")


def test_zero_attempts_cost_nothing():
    estimate = estimate_job(templates=0, variations=5, sizes=2, colors=1)
    assert estimate.attempts == 0 and estimate.total_usd == Decimal("0.00") and estimate.tier == "small"


def test_over_cap_message_offers_a_split():
    estimate = estimate_job(templates=3, variations=5, sizes=2, colors=3)
    assert estimate.blocked and "over the cap of 50" in estimate.message


def test_estimate_rejects_bad_rate_and_cap():
    with pytest.raises(ValueError):
        estimate_job(templates=1, variations=1, sizes=1, colors=1, second_opinion_rate=1.5)
    with pytest.raises(ValueError):
        estimate_job(templates=1, variations=1, sizes=1, colors=1, cap=0)


def test_estimate_serialises_money_as_exact_strings():
    stored = estimate_job(templates=1, variations=1, sizes=1, colors=1).model_dump(mode="json")
    assert isinstance(stored["total_usd"], str)


# ---------------------------------------------------------------------------- splitting


def all_attempts(template_ids, variations, sizes, colors) -> set[tuple]:
    return {(t, v, s, c) for t in template_ids for v in range(1, variations + 1) for s in sizes for c in colors}


def test_small_templates_are_packed_whole():
    parts = split_into_jobs([1, 2, 3, 4, 5], variations=5, sizes=SIZES[:2], colors=COLORS[:1], cap=30)
    assert [part.template_ids for part in parts] == [[1, 2, 3], [4, 5]]
    assert all(part.sizes == SIZES[:2] and part.variation_indices == [1, 2, 3, 4, 5] for part in parts)


def test_a_template_over_the_cap_is_split_by_sizes():
    parts = split_into_jobs([7], variations=5, sizes=SIZES, colors=COLORS, cap=50)
    assert [part.sizes for part in parts] == [SIZES[:3], SIZES[3:]]
    assert [part.attempts for part in parts] == [45, 15]


def test_variations_over_the_cap_are_split_too():
    parts = split_into_jobs(["uploaded"], variations=12, sizes=["1:1"], colors=["brand"], cap=5)
    assert [part.variation_indices for part in parts] == [[1, 2, 3, 4, 5], [6, 7, 8, 9, 10], [11, 12]]


def test_split_rejects_duplicates_and_returns_nothing_for_an_empty_selection():
    with pytest.raises(ValueError, match="sizes"):
        split_into_jobs([1], variations=1, sizes=["1:1", "1:1"], colors=["brand"], cap=50)
    assert split_into_jobs([], variations=3, sizes=["1:1"], colors=["brand"], cap=50) == []
    assert split_into_jobs([1], variations=0, sizes=["1:1"], colors=["brand"], cap=50) == []


@given(
    template_ids=st.lists(st.integers(min_value=1, max_value=10_000), min_size=0, max_size=12, unique=True),
    variations=st.integers(min_value=0, max_value=15),
    sizes=st.lists(st.sampled_from(SIZES), unique=True, max_size=4),
    colors=st.lists(st.sampled_from(COLORS), unique=True, max_size=3),
    cap=st.integers(min_value=1, max_value=80),
)
def test_split_covers_every_attempt_exactly_once_within_the_cap(template_ids, variations, sizes, colors, cap):
    parts = split_into_jobs(template_ids, variations=variations, sizes=sizes, colors=colors, cap=cap)
    assert all(isinstance(part, JobPart) and 1 <= part.attempts <= cap for part in parts)
    counted = Counter(key for part in parts for key in part.attempt_keys())
    assert set(counted) == all_attempts(template_ids, variations, sizes, colors)
    assert all(count == 1 for count in counted.values())
    assert sum(part.attempts for part in parts) == attempt_count(len(template_ids), variations, len(sizes), len(colors))
