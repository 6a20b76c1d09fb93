"""Copy fitting and the brand material read as parts: hand-computed expectations."""

from __future__ import annotations

import pytest

from adcreator.prompts.copyfit import (
    copy_for_source,
    ends_cleanly,
    fit_chars,
    headline_limit,
    hook_suits,
    phrase_cuts,
    pick_hook,
    shorten,
)
from adcreator.prompts.material import (
    OfferBurst,
    benefits_from,
    mentions_offer,
    offer_burst,
    offer_phrase,
    parse_review,
    remove_offer,
    them_label,
)

SERUM_OFFER_MESSAGE = "Smoother, calmer skin by morning, without the sting of retinol. 20% off your first order."
BELIEF = "Skin repairs best when you stop attacking it: gentle, consistent care beats harsh actives."
REVIEW = "\u201cMy skin has never looked this rested.\u201d - Priya, verified buyer"


def test_phrase_cuts_end_at_sentences_clauses_and_before_connectives_best_first():
    cuts = phrase_cuts("Smoother skin by morning, without the sting")
    assert cuts == ["Smoother skin by morning, without the sting", "Smoother skin by morning", "Smoother skin"]
    assert phrase_cuts("Red, flaky and still no results? Your retinol might be the problem")[:2] == [
        "Red, flaky and still no results? Your retinol might be the problem", "Red, flaky and still no results?"]


def test_a_sentence_end_beats_a_longer_cut_inside_the_next_sentence():
    text = "Wake up to smoother skin tonight. Then calmer skin with every drop"
    # Not "... Then calmer skin" (before "with"): a cut inside a sentence counts 0.55 of its length.
    assert shorten(text, 55) == "Wake up to smoother skin tonight."


def test_no_cut_ends_on_a_colon_comma_ellipsis_or_dangling_word():
    for text in (BELIEF, SERUM_OFFER_MESSAGE, "Made with love and care for you", "Buy now, save big on the best serum in town"):
        for cut in phrase_cuts(text):
            assert ends_cleanly(cut), cut
            assert not cut.endswith(("…", ":", ",", " and", " the", " with"))


def test_shorten_gives_none_when_no_phrase_fits_and_fit_chars_falls_back_to_whole_words():
    assert shorten("Unbelievably restful", 10) is None
    assert fit_chars("Glow brighter every single morning with our serum", 25) == "Glow brighter"
    assert fit_chars("Supercalifragilistic", 8) == "Supercal"


def test_a_review_keeps_its_attribution_when_the_quote_is_shortened():
    long_review = "\u201cMy skin has never looked this rested, and I have tried everything.\u201d - Priya, verified buyer"
    assert fit_chars(long_review, 45) == "\u201cMy skin has never looked this rested\u201d - Priya, verified buyer"


def test_headline_limit_has_a_floor_and_a_default():
    assert headline_limit([]) == 60
    assert headline_limit([20, 70]) == 45  # the smallest area, raised to the floor
    assert headline_limit([80]) == 80


def test_offer_variant_leads_with_the_message_and_states_the_discount_once():
    chosen = copy_for_source("offer_variant", hook_text="Why your retinol stings", offer_message=SERUM_OFFER_MESSAGE,
                             current_offer="20% off your first order", product_name="Night Repair Serum", max_chars=45)
    assert chosen.headline == "Smoother, calmer skin by morning"  # the discount sentence moved out, cut at the clause
    assert chosen.subheadline == "20% off your first order"
    assert chosen.hook_type == "offer"


def test_offer_variant_without_a_current_offer_takes_the_discount_from_its_message():
    chosen = copy_for_source("offer_variant", hook_text=None, offer_message=SERUM_OFFER_MESSAGE, current_offer="",
                             product_name="Night Repair Serum", max_chars=65)
    assert chosen.headline == "Smoother, calmer skin by morning, without the sting of retinol."
    assert chosen.subheadline == "20% off your first order"


def test_belief_first_leads_with_the_belief_cut_at_its_colon_and_the_rest_supports_it():
    chosen = copy_for_source("belief_first", hook_text="Why your retinol stings", belief=BELIEF,
                             current_offer="20% off your first order", product_name="Night Repair Serum", max_chars=45)
    assert chosen.headline == "Skin repairs best when you stop attacking it"
    assert chosen.subheadline == "Gentle, consistent care beats harsh actives."


def test_a_hook_that_states_the_offer_gets_no_second_mention_of_it():
    chosen = copy_for_source("hooks", hook_text="20% off your first order ends Sunday", current_offer="20% off your first order",
                             product_name="Night Repair Serum", max_chars=45)
    assert chosen.headline == "20% off your first order ends Sunday"
    assert chosen.subheadline is None
    other = copy_for_source("hooks", hook_text="Smoother skin by morning, without the sting",
                            current_offer="20% off your first order", product_name="Night Repair Serum", max_chars=45)
    assert other.subheadline == "20% off your first order"


def test_a_source_without_its_material_falls_back_to_the_hook():
    chosen = copy_for_source("belief_first", hook_text="One cream for all-day dewy skin", belief="",
                             product_name="Daily Glow Moisturizer", max_chars=45)
    assert chosen.headline == "One cream for all-day dewy skin"


def test_hooks_are_picked_for_the_archetype_and_rotated():
    hooks = ["Smoother skin by morning, without the sting", REVIEW, "20% off your first order ends Sunday",
             "12,000 people switched their night routine to three drops"]
    assert pick_hook(hooks, archetype="testimonial", max_chars=45, position=0) == 1  # the only customer's words
    offer = "20% off your first order"
    offer_picks = {pick_hook(hooks, archetype="offer", max_chars=45, position=p, offer=offer) for p in range(6)}
    assert 2 not in offer_picks  # the burst says the offer; a hook saying it too would repeat it
    assert {pick_hook(hooks, archetype="product_hero", max_chars=60, position=p) for p in range(4)} == {0, 2, 3}
    assert hook_suits("ugc", "I drank it every night") == 2


def test_reviews_are_read_with_and_without_a_name():
    assert parse_review(REVIEW).quote == "My skin has never looked this rested."
    assert parse_review(REVIEW).reviewer == "Priya, verified buyer"
    assert parse_review("\u201cBest serum ever.\u201d").reviewer is None
    assert parse_review("Best serum ever. \u2014 Dana") is not None
    assert parse_review("Smoother skin by morning") is None


def test_benefits_come_from_the_description_in_its_own_words_without_sizes():
    description = ("A lightweight overnight serum with bakuchiol and squalane that smooths rough texture while you sleep. "
                   "Fragrance-free, 30 ml amber glass dropper bottle.")
    assert benefits_from(description) == ["Smooths rough texture while you sleep", "With bakuchiol and squalane",
                                          "Fragrance-free", "Lightweight overnight serum"]
    assert benefits_from("") == []


@pytest.mark.parametrize(("offer", "burst"), [
    ("20% off your first order", OfferBurst("20% OFF", "your first order")),
    ("Buy 2, save 15%", OfferBurst("SAVE 15%", "when you buy 2")),
    ("Free travel-size cleanser with every jar", OfferBurst("FREE", "travel-size cleanser")),
    ("Buy 2, get 1 free", OfferBurst("BUY 2 GET 1", "free")),
    ("Now only $19", OfferBurst("$19", "")),
    ("New formula", None),
])
def test_offers_become_a_burst_or_nothing(offer, burst):
    assert offer_burst(offer) == burst


def test_an_offer_is_recognised_in_other_copy_by_its_figure():
    offer = "20% off your first order"
    assert mentions_offer("Smoother skin. 20% off today", offer)
    assert not mentions_offer("120% more hydration", offer)
    assert not mentions_offer("Smoother skin by morning", offer)
    assert mentions_offer("Get a free gift", "Free travel-size cleanser with every jar")
    assert offer_phrase(SERUM_OFFER_MESSAGE) == "20% off your first order"
    assert remove_offer(SERUM_OFFER_MESSAGE, offer) == "Smoother, calmer skin by morning, without the sting of retinol."


def test_them_is_the_products_own_kind():
    assert them_label("Night Repair Serum") == "Other serums"
    assert them_label("Sleep Gummies") == "Other gummies"
