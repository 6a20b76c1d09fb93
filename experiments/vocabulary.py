"""The words of experiments and evolution, pure (no Django): which element dimensions can be
tested, which others change with them, the statuses, the evolution modes and the limits.

Element dimensions are the genome's (`genome.dimensions.ELEMENT_DIMENSIONS`); values are
compared as strings, "" meaning the ad does not carry the dimension (a persona-less ad).
"""

from __future__ import annotations

from genome.dimensions import ELEMENT_DIMENSIONS

# Every scored dimension is a creative choice an experiment can vary, except the prompt
# version: it names our pipeline's wording, which every arm of an experiment shares.
TESTABLE_DIMENSIONS: tuple[str, ...] = tuple(d for d in ELEMENT_DIMENSIONS if d != "prompt_version")

# Dimensions that change with the tested one because they describe the same thing: a
# different visual style or category is a different template (its id changes), and a
# template's visual style is its archetype or, when analysis found none, its category
# (generation.pipeline.ad_prompts.visual_style_of) — so those two can move together.
# The hold-constant check leaves these out; every other dimension must match the control.
DERIVED_DIMENSIONS: dict[str, frozenset[str]] = {
    "template_id": frozenset({"visual_style", "template_category"}),
    "visual_style": frozenset({"template_id", "template_category"}),
    "template_category": frozenset({"template_id", "visual_style"}),
}

MIN_TREATMENTS, MAX_TREATMENTS = 1, 3
MAX_PLANNED_DAYS = 14  # the decision rule's horizon (experiments.decision.DecisionRule.max_days)

AWARENESS_STAGES: dict[int, str] = {
    1: "Unaware", 2: "Problem aware", 3: "Solution aware", 4: "Product aware", 5: "Most aware",
}


def held_dimensions(variable: str) -> tuple[str, ...]:
    """The dimensions every arm must share with the control: all but the variable and what it drags along."""
    skip = {variable} | DERIVED_DIMENSIONS.get(variable, frozenset())
    return tuple(d for d in ELEMENT_DIMENSIONS if d not in skip)


def as_value(raw) -> str:
    """An element tag as the string experiments compare ("" when the ad does not carry it)."""
    return "" if raw is None else str(raw)


# -- winner evolution (spec 11) ------------------------------------------------------------

MAX_ITERATIONS_PER_WINNER = 5   # single-variable iterations (mode a) of one parent
MAX_ROUNDS_PER_ANCESTOR = 3     # generations below the original ad

# mode → (spec letter, title)
EVOLUTION_MODES: dict[str, tuple[str, str]] = {
    "iteration": ("a", "Winner iteration: change one element"),
    "amplification": ("b", "Awareness-stage amplification"),
    "refresh": ("c", "Anti-fatigue refresh"),
    "cross_size": ("d", "Cross-size expansion"),
    "rotate_belief": ("e", "Rotate belief angles on the winning template"),
    "rotate_persona": ("e", "Rotate personas on the winning template"),
    "rotate_offer": ("e", "Rotate offer variants on the winning template"),
    "competitive": ("f", "Competitive counter-creative"),
}
# A person rewrote one ad's headline and regenerated it (issue 17 item 8): not a winner mode (any
# ad may be edited), but its child joins the same lineage as an evolved ad.
EDIT_MODE = "edit"
LINEAGE_MODES: dict[str, tuple[str, str]] = {**EVOLUTION_MODES, EDIT_MODE: ("edit", "Headline edited by a person")}
ROTATION_DIMENSION = {"rotate_belief": "belief_angle_id", "rotate_persona": "persona_id",
                      "rotate_offer": "offer_variant_id"}
MAX_ROTATIONS = 3  # alternatives per rotation mode (one generation job each)

# What a competitor's ad can be recorded with: the creative choices one can see in it. Our own
# ids (belief angles, personas, templates) mean nothing on a competitor's ad.
COMPETITOR_DIMENSIONS: tuple[str, ...] = ("hook_type", "visual_style", "template_category", "awareness_stage",
                                          "color_mode", "canvas_size")
# The winning combination a competitor copies when its ad matches the winner on all of these.
COMBINATION_DIMENSIONS: tuple[str, ...] = ("hook_type", "visual_style")
COMPETITOR_LOOKBACK_DAYS = 90
