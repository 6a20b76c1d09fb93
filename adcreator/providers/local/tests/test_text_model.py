"""The local text model: congruence scores follow the words, contradictions score low."""

from __future__ import annotations

import pytest

from adcreator.providers.base import CongruenceRequest, HookAdaptationRequest, TextModel
from adcreator.providers.local.text_heuristics import STOPWORDS, analyse, contradictions
from adcreator.providers.local.text_model import (
    ADAPTATION_THRESHOLD,
    LocalTextModel,
    truncate_on_word_boundary,
)

model = LocalTextModel()


def test_implements_the_text_model_protocol():
    assert isinstance(model, TextModel)
    assert (model.provider_name, model.model_name) == ("local", "local-heuristic-text-v1")


@pytest.mark.parametrize(
    ("headline", "offer", "offer_concept"),
    [
        ("Shipping fees apply", "Free shipping on every order", "free shipping"),
        ("Full price, no exceptions", "30% off your first box", "30% off"),
        ("Packed with caffeine for an all-day buzz", "Caffeine-free energy that lasts", "caffeine-free"),
        ("Slow and steady results", "Fast relief in minutes", "fast relief"),
        ("Harsh on stubborn grime", "Gentle on sensitive skin", "gentle"),
        ("Less energy, more crashes", "More energy every morning", "more energy"),
        ("Expensive, but worth it", "Cheap enough for every day", "cheap"),
    ],
)
def test_a_headline_contradicting_the_offer_scores_low_and_is_adapted(headline, offer, offer_concept):
    result = model.score_congruence(
        CongruenceRequest(headline=headline, offer_core_message=offer, max_chars=40)
    )

    assert result.offer_alignment is not None and result.offer_alignment < 0.3
    assert result.overall_score < 0.3
    assert "contradicts" in result.reasoning
    assert result.adapted_headline is not None
    assert len(result.adapted_headline) < 40
    assert offer_concept in result.adapted_headline.lower()


def test_the_contradiction_is_explained_by_the_opposing_words():
    result = model.score_congruence(
        CongruenceRequest(headline="Shipping fees apply", offer_core_message="Free shipping on every order")
    )
    assert "'fees' opposes 'free'" in result.reasoning
    assert "shipping" in result.reasoning


@pytest.mark.parametrize(
    ("headline", "offer", "pain_points"),
    [
        ("Sleep better tonight", "Deep, restful sleep with natural magnesium", ["Can't fall asleep"]),
        # Problem-led hooks oppose the pain, not the offer: no contradiction.
        ("Tired of paying for shipping?", "Free shipping on every order", []),
        ("No more afternoon fatigue", "More energy every afternoon", []),
        ("Pay less for your coffee", "Save 20% on every bag of coffee", []),
    ],
)
def test_an_aligned_headline_scores_high_without_adaptation(headline, offer, pain_points):
    result = model.score_congruence(
        CongruenceRequest(headline=headline, offer_core_message=offer, pain_points=pain_points)
    )
    assert result.offer_alignment is not None and result.offer_alignment > 0.6
    assert result.overall_score > 0.6
    assert result.adapted_headline is None
    assert "contradicts" not in result.reasoning


def test_an_unrelated_headline_scores_below_threshold_and_leads_with_the_offer():
    result = model.score_congruence(
        CongruenceRequest(headline="Our summer collection is here",
                          offer_core_message="Deep restful sleep without grogginess", max_chars=30)
    )
    assert result.overall_score < ADAPTATION_THRESHOLD
    assert result.adapted_headline == "Deep restful sleep"


def test_without_a_landing_page_hero_is_none_and_overall_uses_the_rest():
    result = model.score_congruence(
        CongruenceRequest(headline="Glowing skin in 7 days", offer_core_message="Radiant skin, naturally",
                          belief_statement="Your complexion reflects your gut health")
    )
    assert result.hero_alignment is None
    assert result.offer_alignment is not None and result.belief_alignment is not None
    assert result.overall_score == pytest.approx(
        (result.offer_alignment + result.belief_alignment) / 2, abs=1e-3
    )


def test_a_hero_section_is_scored_when_given():
    aligned = model.score_congruence(
        CongruenceRequest(headline="Fall asleep faster", offer_core_message="Deep restful sleep",
                          hero_headline="The sleep you've been missing", hero_subhead="Magnesium gummies")
    )
    unrelated = model.score_congruence(
        CongruenceRequest(headline="Fall asleep faster", offer_core_message="Deep restful sleep",
                          hero_headline="Summer sale on sunglasses")
    )
    assert aligned.hero_alignment is not None and unrelated.hero_alignment is not None
    assert aligned.hero_alignment > unrelated.hero_alignment


def test_belief_only_request_scores_the_belief_dimension_alone():
    result = model.score_congruence(
        CongruenceRequest(headline="Glowing skin starts in your gut",
                          belief_statement="Your complexion reflects your gut health")
    )
    assert result.offer_alignment is None and result.hero_alignment is None
    assert result.belief_alignment is not None and result.belief_alignment > 0.6
    assert result.overall_score == result.belief_alignment


def test_nothing_to_compare_is_neutral_not_a_failure():
    result = model.score_congruence(CongruenceRequest(headline="Anything at all"))
    assert (result.offer_alignment, result.hero_alignment, result.belief_alignment) == (None, None, None)
    assert result.adapted_headline is None
    assert "nothing to compare" in result.reasoning


def test_pain_points_alone_give_an_offer_alignment():
    result = model.score_congruence(
        CongruenceRequest(headline="Bloated after every meal?", pain_points=["Bloating after meals"])
    )
    assert result.offer_alignment is not None and result.offer_alignment > 0.6


@pytest.mark.parametrize("max_chars", [12, 20, 25, 33])
def test_adapted_headline_respects_max_chars_on_a_word_boundary(max_chars):
    offer = "Free express shipping on every order over thirty dollars, this week only"
    result = model.score_congruence(
        CongruenceRequest(headline="Shipping fees apply to all orders", offer_core_message=offer,
                          max_chars=max_chars)
    )
    adapted = result.adapted_headline
    assert adapted is not None and 0 < len(adapted) <= max_chars
    assert offer.startswith(adapted)  # cut between words, never inside one
    assert adapted.split()[-1].lower() not in STOPWORDS
    assert adapted[-1].isalnum()


def test_scoring_is_deterministic():
    request = CongruenceRequest(
        headline="Why pay full price? Get 30% off today", offer_core_message="30% off your first order",
        pain_points=["Supplements are expensive"], hero_headline="Better sleep, for less",
        belief_statement="Good sleep should be affordable", max_chars=40,
    )
    assert model.score_congruence(request) == model.score_congruence(request)


def test_negation_flips_the_stance_it_covers():
    assert contradictions(analyse("No hidden shipping fees"), analyse("Free shipping")) == []
    assert contradictions(analyse("Sugar free gum"), analyse("Gum with no sugar")) == []
    assert contradictions(analyse("Sugar free gum"), analyse("Gum loaded with sugar"))


def test_truncation_never_leaves_a_dangling_word_or_mark():
    assert truncate_on_word_boundary("Free shipping on every order", 17) == "Free shipping"
    assert truncate_on_word_boundary("Fast, gentle, and effective", 13) == "Fast, gentle"
    assert truncate_on_word_boundary("Short", 40) == "Short"
    assert truncate_on_word_boundary("Supercalifragilistic", 5) == "Super"


HOOK = HookAdaptationRequest(
    hook_text="Still waking up at 3am with a racing mind?",
    persona_name="Busy Parent",
    persona_description="Busy parents who can't switch off at night. They want calm evenings.",
    product_name="DreamDrops",
    max_chars=70,
)


def test_adapt_hook_varies_with_awareness_stage():
    headlines = {
        stage: model.adapt_hook(HOOK.model_copy(update={"awareness_stage": stage})).headline
        for stage in (1, 2, 3, 4, 5)
    }
    assert len(set(headlines.values())) == 5
    # Unaware readers get the problem, not a pitch; the most aware get the offer first.
    assert "DreamDrops" not in headlines[1] and headlines[1].endswith("?")
    assert headlines[4].startswith("DreamDrops")
    assert headlines[5].startswith(("Shop DreamDrops", "Get DreamDrops"))
    assert all(len(headline) <= 70 for headline in headlines.values())


def test_adapt_hook_respects_max_chars_and_derives_the_subheadline():
    result = model.adapt_hook(HOOK.model_copy(update={"awareness_stage": 3, "max_chars": 30}))
    assert 0 < len(result.headline) <= 30
    assert "busy parents who can't switch off at night" in result.subheadline
    assert "DreamDrops" in result.subheadline
    early = model.adapt_hook(HOOK.model_copy(update={"awareness_stage": 1}))
    assert early.subheadline == "For busy parents who can't switch off at night"


def test_adapt_hook_removes_the_product_for_unaware_readers():
    request = HookAdaptationRequest(hook_text="DreamDrops: sleep through the night", product_name="DreamDrops",
                                    awareness_stage=1)
    assert model.adapt_hook(request).headline == "sleep through the night"


def test_adapt_hook_is_deterministic():
    request = HOOK.model_copy(update={"awareness_stage": 2})
    assert model.adapt_hook(request) == model.adapt_hook(request)
