"""Spec "Pending UI Tests", Phase 2 (grid) and Phase 5 (estimate and guardrails), in a real browser."""

import re

import pytest
from playwright.sync_api import expect

from adcreator.prompts.estimate import estimate_job
from tests.support.catalog import build_catalog

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def setup(org, make_member, login):
    cat = build_catalog(org, templates=4)
    page = login(make_member(org, "alice"))
    page.goto("/create/")
    return cat, page


def attempts(page) -> int:
    return int(page.get_by_test_id("attempts").inner_text())


def test_grid_filters_render_and_update_the_grid(org, make_member, login):
    cat = build_catalog(org, templates=9)  # categories cycle offer / testimonial / benefits
    page = login(make_member(org, "alice"))
    page.goto("/create/")
    cards = page.locator("#template-grid .tpl-card")
    expect(cards).to_have_count(9)
    for label in ("Category", "Awareness level", "Industry / niche", "Target audience"):
        expect(page.locator(".filters").get_by_label(label)).to_be_visible()
    page.locator(".filters").get_by_label("Category").select_option("testimonial")
    expect(cards).to_have_count(3)
    expect(page.get_by_test_id("grid-count")).to_contain_text("3 templates match")
    page.locator(".filters").get_by_label("Awareness level").select_option("2")
    expect(cards).to_have_count(1)
    expect(cards.first).to_contain_text(cat.templates[1].name)
    page.locator(".filters").get_by_label("Category").select_option("")
    page.locator(".filters").get_by_label("Awareness level").select_option("")
    expect(cards).to_have_count(9)


def test_load_more_pages_thirty_at_a_time_and_filters_reset_it(org, make_member, login):
    build_catalog(org, templates=65)
    page = login(make_member(org, "alice"))
    page.goto("/create/")
    cards = page.locator("#template-grid .tpl-card")
    expect(cards).to_have_count(30)
    page.get_by_role("button", name=re.compile("Load more")).click()
    expect(cards).to_have_count(60)
    page.get_by_role("button", name=re.compile("Load more")).click()
    expect(cards).to_have_count(65)
    expect(page.get_by_role("button", name=re.compile("Load more"))).to_have_count(0)
    page.locator(".filters").get_by_label("Category").select_option("offer")  # 22 of 65
    expect(cards).to_have_count(22)
    page.locator(".filters").get_by_label("Category").select_option("")
    expect(cards).to_have_count(30)  # back to the first page


def test_cost_estimate_is_correct_for_the_chosen_counts(setup):
    cat, page = setup
    page.locator(".tpl-card").nth(0).click()
    page.locator(".tpl-card").nth(1).click()
    page.get_by_label("9:16 (1080×1920) — Stories & Reels").check()
    page.get_by_label("Brand — your brand colours").check()
    page.get_by_label("Variations per template").fill("2")
    expect(page.get_by_test_id("attempts")).to_have_text("16")  # 2 templates × 2 variations × 2 sizes × 2 colours
    expected = estimate_job(templates=2, variations=2, sizes=2, colors=2)
    expect(page.get_by_test_id("cost")).to_have_text(str(expected.total_usd))
    expect(page.locator(".formula")).to_contain_text("2 templates × 2 variations × 2 sizes × 2 colours")


def test_11_to_30_attempts_show_the_estimate_without_blocking(setup):
    cat, page = setup
    page.get_by_label(re.compile("Roll the dice")).check()
    page.get_by_label("How many templates").fill("4")
    page.get_by_label("4:5 (1080×1350) — Feed, portrait").check()
    page.get_by_label("9:16 (1080×1920) — Stories & Reels").check()  # 4 × 3 sizes = 12
    expect(page.get_by_test_id("attempts")).to_have_text("12")
    expect(page.get_by_test_id("tier-message")).to_contain_text("This will attempt ~12 generations")
    expect(page.locator("#estimate").get_by_role("button", name=re.compile("Generate"))).to_be_enabled()
    expect(page.locator("#id_confirmed")).to_have_count(0)


def test_31_to_50_attempts_need_the_confirmation_checkbox(setup):
    cat, page = setup
    for card in page.locator(".tpl-card").all():
        card.click()
    page.get_by_label("Variations per template").fill("4")
    page.get_by_label("4:5 (1080×1350) — Feed, portrait").check()  # 4 × 4 × 2 = 32
    expect(page.get_by_test_id("attempts")).to_have_text("32")
    submit = page.locator("#estimate").get_by_role("button", name=re.compile("Generate"))
    expect(submit).to_be_disabled()
    page.get_by_label(re.compile("I have seen the estimate")).check()
    expect(submit).to_be_enabled()
    submit.click()
    expect(page).to_have_url(re.compile(r"/jobs/\d+/$"))
    expect(page.get_by_role("heading", name="Progress")).to_be_visible()


def test_over_50_attempts_are_blocked(setup):
    cat, page = setup
    page.get_by_label(re.compile("Roll the dice")).check()
    page.get_by_label("How many templates").fill("13")
    page.get_by_label("4:5 (1080×1350) — Feed, portrait").check()
    page.get_by_label("9:16 (1080×1920) — Stories & Reels").check()
    page.get_by_label("16:9 (1920×1080) — Landscape & in-stream").check()  # 13 × 4 = 52
    expect(page.get_by_test_id("attempts")).to_have_text("52")
    expect(page.get_by_test_id("blocked")).to_contain_text("52 attempts exceed the cap of 50 per job")
    expect(page.locator("#estimate").get_by_role("button", name=re.compile("Generate"))).to_be_disabled()


def test_smart_select_draw_shows_templates_and_scores_before_submitting(setup):
    cat, page = setup
    page.get_by_label(re.compile("Smart select")).check()
    page.get_by_label("How many templates").fill("2")
    expect(page.get_by_label("Asset strictness")).to_be_visible()
    page.get_by_role("button", name="Draw templates").click()
    rows = page.locator(".draw-row")
    expect(rows).to_have_count(2)
    expect(rows.first.locator(".scorer")).to_have_count(6)
    expect(rows.first).to_contain_text("Asset match")
    drawn = [int(v) for v in page.locator("input[name=drawn_ids]").evaluate_all("els => els.map(e => e.value)")]
    page.locator("#estimate").get_by_role("button", name=re.compile("Generate")).click()
    expect(page).to_have_url(re.compile(r"/jobs/\d+/$"))
    from adcreator.jobs.models import Job

    assert Job.objects.get().parameters["template_selection"]["template_ids"] == drawn
