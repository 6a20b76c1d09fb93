"""Asset rules: one test per rule, the AssetContext fields, and the character-limit cutter."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from adcreator.prompts.copyfit import ends_cleanly
from adcreator.prompts.asset_rules import (
    ELLIPSIS,
    AssetRuleId,
    build_asset_context,
    describe_position,
    enforce_char_limit,
    fire_asset_rules,
)
from adcreator.prompts.elements import Region, TemplateElements, TextArea

TOP_LEFT_LOGO = Region(box=(0.02, 0.02, 0.2, 0.1))
HEADLINE_TOP_BAND = TextArea(role="headline", box=(0.05, 0.05, 0.95, 0.2), max_chars=32, align="left")
CTA_BOTTOM = TextArea(role="cta", box=(0.35, 0.85, 0.65, 0.95), max_chars=14)
PERSON_RIGHT = Region(box=(0.6, 0.3, 0.95, 0.9))


def fired_ids(**kwargs) -> list[AssetRuleId]:
    defaults = {"available_tags": set(), "person_image_count": 0, "brand_name": "Glowly"}
    return [rule.rule_id for rule in fire_asset_rules(**(defaults | kwargs))]


def instructions_for(rule_id: AssetRuleId, **kwargs) -> list[str]:
    defaults = {"available_tags": set(), "person_image_count": 0, "brand_name": "Glowly"}
    return [rule.instruction for rule in fire_asset_rules(**(defaults | kwargs)) if rule.rule_id == rule_id]


# ---------------------------------------------------------------------------- rules


def test_logo_area_without_logo_asks_for_wordmark_or_empty_area():
    elements = TemplateElements(logo_areas=[TOP_LEFT_LOGO])
    [instruction] = instructions_for(AssetRuleId.LOGO_AREA_WITHOUT_LOGO, elements=elements, available_tags={"product"})
    assert instruction == (
        'Leave the logo area (top-left) empty or set the brand name "Glowly" as a text wordmark there; '
        "do not invent a logo."
    )
    assert AssetRuleId.PLACE_SUPPLIED_LOGO not in fired_ids(elements=elements)


def test_required_logo_without_logo_demands_a_wordmark():
    elements = TemplateElements(required_assets=["logo"], logo_areas=[TOP_LEFT_LOGO])
    [instruction] = instructions_for(AssetRuleId.LOGO_AREA_WITHOUT_LOGO, elements=elements)
    assert "needs a brand mark in the logo area (top-left)" in instruction
    assert '"Glowly"' in instruction and "do not invent a logo" in instruction


def test_supplied_logo_is_placed_unaltered_at_the_logo_area():
    elements = TemplateElements(logo_areas=[TOP_LEFT_LOGO])
    [instruction] = instructions_for(AssetRuleId.PLACE_SUPPLIED_LOGO, elements=elements, available_tags={"logo_dark"})
    assert "in the logo area (top-left)" in instruction
    assert "unaltered" in instruction
    assert AssetRuleId.LOGO_AREA_WITHOUT_LOGO not in fired_ids(elements=elements, available_tags={"logo_dark"})


def test_required_logo_with_logo_must_appear():
    elements = TemplateElements(required_assets=["logo"], logo_areas=[TOP_LEFT_LOGO])
    [instruction] = instructions_for(AssetRuleId.PLACE_SUPPLIED_LOGO, elements=elements, available_tags={"logo"})
    assert instruction.endswith("it must appear.")


def test_no_logo_rule_when_template_has_no_logo():
    assert fired_ids(elements=TemplateElements(), available_tags={"logo"}) == []


def test_person_in_template_without_person_images_goes_product_only():
    elements = TemplateElements(people=[PERSON_RIGHT])
    [instruction] = instructions_for(AssetRuleId.PERSON_WITHOUT_PERSON_IMAGES, elements=elements)
    assert instruction.startswith("Use a product-only composition: omit the person")
    with_people = fired_ids(elements=elements, person_image_count=2)
    assert AssetRuleId.PERSON_WITHOUT_PERSON_IMAGES not in with_people


def test_required_person_counts_even_without_detected_region():
    elements = TemplateElements(required_assets=["person"])
    ids = fired_ids(elements=elements)
    assert ids == [AssetRuleId.PERSON_WITHOUT_PERSON_IMAGES]  # not repeated as a generic missing asset


def test_each_text_area_gets_a_char_limit_with_its_position():
    elements = TemplateElements(text_areas=[HEADLINE_TOP_BAND, CTA_BOTTOM])
    assert instructions_for(AssetRuleId.TEXT_CHAR_LIMIT, elements=elements) == [
        "Headline at most 32 characters, in the top band area.",
        "Call to action at most 14 characters, in the bottom-center area.",
    ]


def test_headline_hint_applies_only_without_a_headline_area():
    with_cta_only = TemplateElements(text_areas=[CTA_BOTTOM])
    limits = instructions_for(AssetRuleId.TEXT_CHAR_LIMIT, elements=with_cta_only, headline_max_chars_hint=40)
    assert "Headline at most 40 characters." in limits
    with_headline = TemplateElements(text_areas=[HEADLINE_TOP_BAND])
    limits = instructions_for(AssetRuleId.TEXT_CHAR_LIMIT, elements=with_headline, headline_max_chars_hint=40)
    assert limits == ["Headline at most 32 characters, in the top band area."]


def test_each_text_area_gets_a_placement_rule_from_its_box():
    elements = TemplateElements(text_areas=[HEADLINE_TOP_BAND, CTA_BOTTOM])
    assert instructions_for(AssetRuleId.TEXT_PLACEMENT, elements=elements) == [
        "Place the headline within 5–95% of the width and 5–20% of the height of the canvas, "
        "left-aligned, and nowhere else.",
        "Place the call to action within 35–65% of the width and 85–95% of the height of the canvas, "
        "center-aligned, and nowhere else.",
    ]


def test_other_missing_required_assets_are_named():
    elements = TemplateElements(required_assets=["product", "badge", "hand", "badge"])
    assert instructions_for(AssetRuleId.MISSING_ASSET, elements=elements, available_tags={"product"}) == [
        "No badge image is available; compose without it and do not invent one.",
        "No hand image is available; compose without it and do not invent one.",
    ]


def test_never_analysed_template_gets_a_single_read_the_reference_instruction():
    rules = fire_asset_rules(
        elements=None, available_tags={"logo"}, person_image_count=0, brand_name="Glowly", headline_max_chars_hint=30
    )
    assert [rule.rule_id for rule in rules] == [AssetRuleId.LAYOUT_FROM_REFERENCE]
    assert "read the layout" in rules[0].instruction
    assert "at most 30 characters" in rules[0].instruction


def test_rules_fire_in_a_fixed_order():
    elements = TemplateElements(
        required_assets=["badge"], logo_areas=[TOP_LEFT_LOGO], people=[PERSON_RIGHT], text_areas=[CTA_BOTTOM]
    )
    assert fired_ids(elements=elements) == [
        AssetRuleId.LOGO_AREA_WITHOUT_LOGO,
        AssetRuleId.PERSON_WITHOUT_PERSON_IMAGES,
        AssetRuleId.TEXT_CHAR_LIMIT,
        AssetRuleId.TEXT_PLACEMENT,
        AssetRuleId.MISSING_ASSET,
    ]


# ---------------------------------------------------------------------------- the context


def test_context_fields_for_an_analysed_template():
    elements = TemplateElements(
        required_assets=["product", "logo", "person"],
        logo_areas=[TOP_LEFT_LOGO],
        text_areas=[HEADLINE_TOP_BAND],
    )
    context = build_asset_context(
        elements=elements, available_tags={"product", "packshot"}, person_image_count=0, brand_name="Glowly"
    )
    assert context.template_requires_logo is True
    assert context.brand_has_logo is False
    assert context.template_requires_person is True
    assert context.logo_placement == "top-left"
    assert context.template_text_areas == [HEADLINE_TOP_BAND]
    assert context.missing_assets == ["logo", "person"]
    assert context.asset_match_score == pytest.approx(1 / 3)
    assert len(context.asset_instructions) == 4  # logo, person, headline limit, headline placement


def test_logo_area_alone_does_not_make_the_logo_required():
    context = build_asset_context(
        elements=TemplateElements(logo_areas=[TOP_LEFT_LOGO]),
        available_tags=set(),
        person_image_count=0,
        brand_name="Glowly",
    )
    assert context.template_requires_logo is False
    assert context.logo_placement == "top-left"


def test_match_score_is_one_when_nothing_is_required_and_none_when_never_analysed():
    analysed_empty = build_asset_context(
        elements=TemplateElements(), available_tags=set(), person_image_count=0, brand_name="Glowly"
    )
    assert analysed_empty.asset_match_score == 1.0
    assert analysed_empty.asset_instructions == []
    never = build_asset_context(elements=None, available_tags={"logo"}, person_image_count=3, brand_name="Glowly")
    assert never.asset_match_score is None
    assert never.template_requires_logo is False and never.missing_assets == []
    assert never.brand_has_logo is True and never.available_person_images == 3
    assert len(never.asset_instructions) == 1


@pytest.mark.parametrize(
    ("box", "expected"),
    [
        ((0.0, 0.0, 0.2, 0.1), "top-left"),
        ((0.4, 0.4, 0.6, 0.6), "center"),
        ((0.7, 0.8, 0.95, 0.95), "bottom-right"),
        ((0.05, 0.45, 0.95, 0.55), "middle band"),
    ],
)
def test_describe_position(box, expected):
    assert describe_position(box) == expected


# ---------------------------------------------------------------------------- char limits


def test_text_that_fits_is_kept_with_whitespace_collapsed():
    assert enforce_char_limit("  Glow   every day ", 20) == "Glow every day"


def test_cut_at_a_whole_sentence_keeps_its_mark():
    assert enforce_char_limit("Tired of dull skin? Try our vitamin C serum today", 30) == "Tired of dull skin?"


def test_cut_mid_thought_ends_at_a_phrase_boundary_without_an_ellipsis():
    # The phrase before "with" is whole; "Glow brighter every…" was the old, cut-off answer.
    assert enforce_char_limit("Glow brighter every single morning with our serum", 36) == "Glow brighter every single morning"
    shortened = enforce_char_limit("Glow brighter every single morning with our serum", 25)
    assert shortened == "Glow brighter" and ELLIPSIS not in shortened


def test_no_dangling_punctuation_or_small_words_at_the_end():
    assert enforce_char_limit("Buy now, save big on the best serum in town", 20) == "Buy now, save big"
    assert enforce_char_limit("Made with love and care for you", 20) == "Made with love"
    assert enforce_char_limit("Skin repairs best when you stop attacking it: gentle care wins", 50) == (
        "Skin repairs best when you stop attacking it")


def test_a_short_sentence_beats_a_cut_through_the_next_one():
    assert enforce_char_limit("Hi. This is a long text for you", 20) == "Hi."


def test_a_single_word_longer_than_the_limit_is_cut_inside():
    assert enforce_char_limit("Supercalifragilistic", 8) == "Supercal"
    assert enforce_char_limit("Supercalifragilistic", 1) == "S"


def test_limit_below_one_is_rejected():
    with pytest.raises(ValueError):
        enforce_char_limit("anything", 0)


words = st.text(alphabet=st.sampled_from("abcdefgh,.!?- "), min_size=1, max_size=80)


@given(text=words, max_chars=st.integers(min_value=1, max_value=60))
def test_char_limit_properties(text, max_chars):
    collapsed = " ".join(text.split())
    result = enforce_char_limit(text, max_chars)
    assert len(result) <= max_chars
    assert ELLIPSIS not in result
    assert collapsed.startswith(result)
    if len(collapsed) <= max_chars and ends_cleanly(collapsed):
        assert result == collapsed
