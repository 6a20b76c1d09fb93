"""Prompt builder: char limits, rules, round-trip, determinism; and image selection."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from adcreator.prompts.asset_rules import ELLIPSIS
from adcreator.prompts.builder import (
    BASE_RULE_IDS,
    OPTIONAL_TAG_BONUS,
    REQUIRED_TAG_BONUS,
    BrandInput,
    ContentInput,
    ImageCandidate,
    ProductInput,
    PromptInputs,
    TemplateInput,
    build_prompt,
    image_selection_score,
    layout_summary,
    prompt_json,
    select_images,
)
from adcreator.prompts.elements import Region, TemplateElements, TextArea
from adcreator.prompts.models import PROMPT_VERSION, AdBriefConfig, AdGenerationPrompt, ReferenceImageSpec

ELEMENTS = TemplateElements(
    required_assets=["product", "logo"],
    optional_assets=["lifestyle"],
    text_areas=[
        TextArea(role="headline", box=(0.05, 0.05, 0.95, 0.2), max_chars=24, align="left"),
        TextArea(role="subheadline", box=(0.05, 0.22, 0.95, 0.3), max_chars=30),
        TextArea(role="cta", box=(0.35, 0.85, 0.65, 0.95), max_chars=14),
    ],
    logo_areas=[Region(box=(0.02, 0.02, 0.2, 0.1))],
    product_areas=[Region(box=(0.3, 0.35, 0.7, 0.8))],
    palette=["#FFFFFF", "#112233"],
    background="#ffffff",
)


def make_inputs(**overrides) -> PromptInputs:
    values = {
        "template": TemplateInput(
            template_id=7, name="Bold split", category="beauty", awareness_level=3,
            elements=ELEMENTS, native_aspect_ratio="1:1",
        ),
        "product": ProductInput(name="Vitamin C Serum", brand_name="Glowly", current_offer="20% off", description="A serum"),
        "brand": BrandInput(
            voice="warm", prohibited_claims=["cures acne"], required_disclaimers=["Results vary."],
            colors=["#FF0000"], has_logo=False,
        ),
        "content": ContentInput(
            headline="Glow brighter every single morning with our serum",
            hook_type="curiosity_gap",
            subheadline="Dermatologist tested vitamin C for every skin type",
            cta="Shop now",
            congruence_score=0.82,
        ),
        "ad_brief": AdBriefConfig(persona_name="Busy Mum", awareness_stage=3, belief_statement="Skin can glow"),
        "canvas_size": "1080x1350",
        "color_mode": "original",
        "palette": ["#FFFFFF", "#112233"],
        "references": [ReferenceImageSpec(role="product", asset_tags=["packshot"], ref="products/1.png")],
        "variation_index": 2,
        "total_variations": 5,
        "available_tags": frozenset({"product", "packshot"}),
        "person_image_count": 0,
    }
    return PromptInputs(**(values | overrides))


def test_headline_is_shortened_to_the_template_limit_and_the_original_kept():
    prompt = build_prompt(brief=make_inputs())
    headline = prompt.content.headline
    assert headline.max_chars == 24
    assert headline.text == "Glow brighter"  # the phrase before "every single morning with our serum"
    assert headline.original_text == "Glow brighter every single morning with our serum"
    assert headline.hook_type == "curiosity_gap"


def test_subheadline_is_shortened_to_its_own_limit():
    subheadline = build_prompt(brief=make_inputs()).content.subheadline
    assert subheadline.max_chars == 30
    assert len(subheadline.text) <= 30 and not subheadline.text.endswith(ELLIPSIS)


def test_headline_that_fits_is_untouched_and_adaptation_original_is_kept():
    content = ContentInput(headline="Glow every day", original_headline="Why is my skin so dull?")
    headline = build_prompt(brief=make_inputs(content=content)).content.headline
    assert headline.text == "Glow every day"
    assert headline.original_text == "Why is my skin so dull?"
    unadapted = build_prompt(brief=make_inputs(content=ContentInput(headline="Glow every day"))).content.headline
    assert unadapted.original_text is None


def test_smallest_area_of_a_role_sets_the_limit():
    elements = ELEMENTS.model_copy(
        update={"text_areas": [
            TextArea(role="headline", box=(0.0, 0.0, 1.0, 0.1), max_chars=40),
            TextArea(role="headline", box=(0.0, 0.5, 0.5, 0.6), max_chars=12),
        ]}
    )
    template = TemplateInput(elements=elements)
    headline = build_prompt(brief=make_inputs(template=template)).content.headline
    assert headline.max_chars == 12 and len(headline.text) <= 12


def test_hint_limits_the_headline_of_a_never_analysed_template():
    brief = make_inputs(template=TemplateInput(name="Uploaded"), headline_max_chars_hint=20)
    prompt = build_prompt(brief=brief)
    assert prompt.content.headline.max_chars == 20
    assert len(prompt.content.headline.text) <= 20
    assert prompt.template_analysis.template_id is None
    assert prompt.asset_context.asset_match_score is None
    assert len(prompt.asset_context.asset_instructions) == 1


def test_rules_are_the_base_rules_then_layout_adaptation_then_asset_instructions():
    prompt = build_prompt(brief=make_inputs())
    rules = prompt.rules.rules
    base = rules[: len(BASE_RULE_IDS)]
    assert base[0].startswith("Reproduce the product exactly")
    assert "1080x1350 canvas" in base[2]
    assert "#ffffff, #112233" in base[3]
    assert base[4] == 'Never state or imply any of these claims: "cures acne".'
    assert base[5] == 'Include these disclaimers verbatim in small, legible type: "Results vary.".'
    assert base[6] == 'Show the call to action "Shop now" exactly once, clearly legible.'
    assert rules[len(BASE_RULE_IDS)].startswith("The reference template is 1:1; re-flow its layout onto the 4:5")
    assert rules[len(BASE_RULE_IDS) + 1 :] == prompt.asset_context.asset_instructions
    assert any("do not invent a logo" in rule for rule in rules)  # no logo supplied


def test_no_layout_adaptation_rule_when_ratios_match():
    template = TemplateInput(elements=ELEMENTS, native_aspect_ratio="4:5")
    rules = build_prompt(brief=make_inputs(template=template)).rules.rules
    assert not any("re-flow" in rule for rule in rules)


def test_brand_without_claims_or_disclaimers_gets_the_neutral_rules():
    rules = build_prompt(brief=make_inputs(brand=BrandInput())).rules.rules
    assert "State no claim about the product beyond its description" in rules[4]
    assert rules[5] == "Add no disclaimers or fine print of your own."


def test_brand_logo_flag_counts_as_an_available_logo():
    brand = BrandInput(has_logo=True)
    context = build_prompt(brief=make_inputs(brand=brand)).asset_context
    assert context.brand_has_logo is True
    assert context.missing_assets == []
    assert context.asset_match_score == 1.0
    assert any(rule.startswith("Place the supplied logo in the logo area (top-left)") for rule in context.asset_instructions)


def test_task_style_images_and_template_sections():
    prompt = build_prompt(brief=make_inputs())
    assert prompt.prompt_version == PROMPT_VERSION == prompt.task.prompt_version
    assert (prompt.task.variation_index, prompt.task.total_variations) == (2, 5)
    assert (prompt.task.canvas_size, prompt.task.aspect_ratio) == ("1080x1350", "4:5")
    assert (prompt.images.canvas_width, prompt.images.canvas_height) == (1080, 1350)
    assert prompt.images.references[0].ref == "products/1.png"
    assert prompt.style.palette == ["#ffffff", "#112233"]
    assert prompt.template_analysis.template_id == 7
    assert prompt.template_analysis.layout_summary.startswith("headline top band; subheadline top band; cta bottom-center")
    assert prompt.product.prohibited_claims == ["cures acne"]
    assert prompt.ad_brief.persona_name == "Busy Mum"
    assert prompt.content.congruence_score == 0.82


def test_palette_falls_back_by_colour_mode_and_fails_without_one():
    brand_mode = build_prompt(brief=make_inputs(color_mode="brand", palette=[]))
    assert brand_mode.style.palette == ["#ff0000"]
    original = build_prompt(brief=make_inputs(color_mode="original", palette=[]))
    assert original.style.palette == ["#ffffff", "#112233"]
    with pytest.raises(ValueError, match="complementary"):
        build_prompt(brief=make_inputs(color_mode="complementary", palette=[]))


def test_inputs_reject_inconsistent_values():
    with pytest.raises(ValidationError):
        make_inputs(variation_index=6, total_variations=5)
    with pytest.raises(ValidationError):
        make_inputs(canvas_size="1000x1000")
    with pytest.raises(ValidationError):
        make_inputs(palette=["red"])


def test_prompt_json_round_trips():
    prompt = build_prompt(brief=make_inputs())
    stored = prompt_json(prompt)
    assert isinstance(stored["template_analysis"]["text_areas"][0]["box"], list)
    assert AdGenerationPrompt.model_validate(stored) == prompt


def test_prompt_json_round_trips_for_a_never_analysed_template():
    prompt = build_prompt(brief=make_inputs(template=TemplateInput()))
    assert AdGenerationPrompt.model_validate(prompt_json(prompt)) == prompt


def test_build_is_deterministic():
    first = prompt_json(build_prompt(brief=make_inputs()))
    tags_in_other_order = frozenset(reversed(sorted({"product", "packshot"})))
    second = prompt_json(build_prompt(brief=make_inputs(available_tags=tags_in_other_order)))
    assert first == second


def test_layout_summary_states_unknowns():
    assert layout_summary(None).startswith("not analysed")
    assert layout_summary(TemplateElements()) == "analysed, no elements detected"
    assert layout_summary(TemplateElements(not_detected=["people"])) == "not looked for: people"


# ---------------------------------------------------------------------------- select_images


def candidate(image_id, quality, *tags) -> ImageCandidate:
    return ImageCandidate(id=image_id, asset_tags=list(tags), quality=quality)


def test_required_tag_bonus_is_added_once():
    image = candidate(1, 0.5, "product", "packshot")
    assert image_selection_score(image, required=["product", "packshot"], optional=[]) == 0.5 + REQUIRED_TAG_BONUS


def test_optional_tag_bonus_is_added_once_and_stacks_with_required():
    image = candidate(1, 0.5, "product", "lifestyle", "hand")
    score = image_selection_score(image, required=["product"], optional=["lifestyle", "hand"])
    assert score == pytest.approx(0.5 + REQUIRED_TAG_BONUS + OPTIONAL_TAG_BONUS)


def test_required_tag_beats_slightly_better_quality():
    tagged = candidate(1, 0.6, "packshot")
    prettier = candidate(2, 0.85)
    optional_only = candidate(3, 0.8, "lifestyle")
    chosen = select_images([prettier, tagged, optional_only], required=["packshot"], optional=["lifestyle"], limit=2)
    assert [image.id for image in chosen] == [1, 3]


def test_ties_go_to_the_smaller_id_including_float_near_ties():
    # 0.7 + 0.3 is 0.9999999999999999 in floats; it must still tie with 1.0.
    images = [candidate(9, 1.0), candidate(4, 0.7, "product"), candidate(5, 1.0)]
    chosen = select_images(images, required=["product"], optional=[], limit=3)
    assert [image.id for image in chosen] == [4, 5, 9]


def test_select_images_limits_and_handles_empty_input():
    images = [candidate(i, 0.1 * i) for i in range(1, 6)]
    assert [image.id for image in select_images(images, required=[], optional=[])] == [5, 4]
    assert select_images([], required=["product"], optional=[]) == []
    assert select_images(images, required=[], optional=[], limit=0) == []


def test_a_floor_keeps_a_tiny_headline_area_from_gutting_the_hook():
    elements = ELEMENTS.model_copy(update={"text_areas": [TextArea(role="headline", box=(0.0, 0.0, 0.3, 0.1), max_chars=10)]})
    brief = make_inputs(template=TemplateInput(elements=elements), min_headline_chars=30)
    headline = build_prompt(brief=brief).content.headline
    assert headline.max_chars == 30 and len(headline.text) <= 30
