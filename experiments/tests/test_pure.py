"""The pure pieces of experiments (no database): the plan, the hold-constant check, fatigue, the chart."""

from __future__ import annotations

from decimal import Decimal

import pytest

from experiments.charts import prob_best_chart
from experiments.checks import ArmAd, hold_constant_errors
from experiments.fatigue import fatigue_check
from experiments.planning import PlanError, plan_budget
from experiments.vocabulary import held_dimensions


def plan(**overrides):
    args = dict(baseline_ctr=0.01, baseline_source="assumed", relative_mde=0.20, power=0.8, alpha=0.05, arms=2,
                cpm=Decimal("10.00"), cpm_source="assumed", planned_days=7)
    args.update(overrides)
    return plan_budget(**args)


def test_the_plan_by_hand():
    # p1 = 1 %, p2 = 1.2 %, p̄ = 1.1 %: [1.959964·√(2·0.011·0.989) + 0.841621·√(0.01·0.99 + 0.012·0.988)]²
    # / 0.002² = (0.289106 + 0.124139)² / 0.000004 = 42,692.8 → 42,693 impressions per arm.
    p = plan()
    assert p.impressions_per_arm == 42_693
    # 42,693 × 2 arms × 10 per 1,000 = 853.86; over 7 days 121.98 a day, 60.99 per arm (6,099 impressions).
    assert p.total_spend == Decimal("853.86") and p.daily_budget == Decimal("121.98")
    assert p.min_daily_spend_per_arm == Decimal("60.99") and p.daily_impressions_per_arm == 6099
    assert p.alpha_per_comparison == 0.05


def test_more_arms_split_alpha_and_cost_more():
    two, four = plan(), plan(arms=4)
    assert four.alpha_per_comparison == pytest.approx(0.05 / 3)
    assert four.impressions_per_arm > two.impressions_per_arm
    assert four.min_daily_spend_per_arm * 4 == four.daily_budget


def test_a_baseline_of_08_percent_needs_tens_of_thousands_of_impressions():
    assert 40_000 < plan(baseline_ctr=0.008).impressions_per_arm < 60_000  # not a floor of 1,000


@pytest.mark.parametrize("field, value", [
    ("baseline_ctr", 1.2), ("baseline_ctr", 0.0), ("relative_mde", 0.0), ("power", 0.2), ("alpha", 0.5),
    ("arms", 5), ("arms", 1), ("planned_days", 15), ("planned_days", 0), ("cpm", Decimal("0")),
])
def test_out_of_range_inputs_name_their_field(field, value):
    with pytest.raises(PlanError) as caught:
        plan(**{field: value})
    assert field in caught.value.errors


def test_held_dimensions_leave_out_the_variable_and_what_it_drags_along():
    assert "hook_type" not in held_dimensions("hook_type") and "visual_style" in held_dimensions("hook_type")
    assert not {"template_id", "template_category", "visual_style"} & set(held_dimensions("visual_style"))
    assert "prompt_version" in held_dimensions("color_mode")


def test_hold_constant_errors():
    control = {"hook_type": "benefit_led", "color_mode": "brand", "canvas_size": "1080x1080", "persona_id": None}
    fine = dict(control, hook_type="curiosity_gap")
    drifted = dict(control, hook_type="social_proof", color_mode="original")
    wrong_value = dict(control, hook_type="question")
    errors = hold_constant_errors("hook_type", [ArmAd("control", "benefit_led", control), ArmAd("t1", "curiosity_gap", fine),
                                               ArmAd("t2", "social_proof", drifted), ArmAd("t3", "urgency", wrong_value)])
    assert errors["control"] == [] and errors["t1"] == []
    assert errors["t2"] == ["color_mode is 'original' but the control's is 'brand'; it must be held constant"]
    assert errors["t3"] == ["hook_type is 'question', the arm is for 'urgency'"]


def days(ctrs, impressions=10_000, reach=2_000):
    return [{"impressions": impressions, "clicks": round(impressions * c), "reach": reach} for c in ctrs]


def test_fatigue_needs_both_the_frequency_and_the_ctr_fall():
    # Last week 0.8 % against 1.0 %: a fall of 20 %; Σ impressions / Σ daily reach = 5 > 4.
    fading = fatigue_check(days([0.010] * 7 + [0.008] * 7))
    assert fading.fatigued and fading.frequency_at_least == 5.0
    assert fading.ctr_decline == pytest.approx(0.2)
    steady = fatigue_check(days([0.010] * 7 + [0.0095] * 7))
    assert not steady.fatigued and "a fall of more than 15%" in steady.reasons[0]
    wide = fatigue_check(days([0.010] * 7 + [0.008] * 7, reach=5_000))  # frequency at least 2
    assert not wide.fatigued and "not above 4.0" in wide.reasons[0]
    short = fatigue_check(days([0.01] * 10))
    assert short.ctr_decline is None and not short.fatigued and "14 needed" in short.reasons[-1]
    unknown = fatigue_check([{"impressions": 10, "clicks": 1, "reach": None}] * 14)
    assert unknown.frequency_at_least is None and "not measured" in unknown.reasons[0]


def test_the_chart_is_svg_with_one_line_per_arm_and_escaped_labels():
    svg = prob_best_chart([1, 2, 3], [[0.5, 0.3, 0.1], [0.5, 0.7, 0.9]], ["control", "t1 <script>"])
    assert svg.startswith("<svg") and svg.endswith("</svg>") and svg.count("<polyline") == 2
    assert "<script>" not in svg and "t1 &lt;script&gt;" in svg
    assert "style=" not in svg  # presentation attributes only (Content-Security-Policy)
    with pytest.raises(ValueError):
        prob_best_chart([1, 2], [[0.5]], ["control"])
