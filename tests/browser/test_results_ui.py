"""Spec "Pending UI Tests", Phase 4 (review display, overrides) and Phase 5 (dashboard), in a real
browser. Ads are written straight to the database with chosen statuses and scores."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from generation.models import GeneratedAd
from tests.support.catalog import build_catalog
from tests.web import make_ad, make_run, scores

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cat(org):
    return build_catalog(org, templates=3)


@pytest.fixture
def member(org, make_member):
    return make_member(org, "alice")


@pytest.fixture
def signed_in(login, member):
    return login(member)


def card(page, ad):
    return page.locator(f'[data-ad-id="{ad.pk}"]')


def shown_ids(page) -> list[int]:
    return [int(v) for v in page.locator("[data-ad-id]").evaluate_all("els => els.map(e => e.dataset.adId)")]


# --- Phase 4 -----------------------------------------------------------------------------------


def test_override_buttons_update_the_status_in_place(cat, signed_in):
    ad_run = make_run(cat)
    rejected = make_ad(ad_run, template=cat.templates[0], status="rejected")
    approved = make_ad(ad_run, template=cat.templates[0], prompt_index=2, status="approved")
    flagged = make_ad(ad_run, template=cat.templates[0], prompt_index=3, status="flagged")
    page = signed_in
    page.goto("/results/")
    page.evaluate("window.__noReload = true")
    card(page, rejected).get_by_role("button", name="Override Approve").click()
    expect(card(page, rejected).get_by_test_id("status")).to_have_text("Approved")
    card(page, approved).get_by_role("button", name="Override Reject").click()
    expect(card(page, approved).get_by_test_id("status")).to_have_text("Rejected")
    card(page, flagged).get_by_role("button", name="Confirm").click()
    expect(card(page, flagged)).to_contain_text("Human decision")
    # Confirming a flag resolves it: the borderline ad is kept (issue 17 item 5).
    expect(card(page, flagged).get_by_test_id("status")).to_have_text("Approved")
    assert page.evaluate("window.__noReload") is True  # updated in place, no page load
    assert [GeneratedAd.objects.get(pk=a.pk).status for a in (rejected, approved, flagged)] == ["approved", "rejected", "approved"]


def test_review_scores_show_coloured_indicators(cat, signed_in):
    ad = make_ad(make_run(cat), template=cat.templates[0],
                 check_scores=scores(8.0, V2=6.5, V3=4.0, C4=None, G1=7.0, G2=5.0))
    page = signed_in
    page.goto("/results/")
    checks = card(page, ad).locator(".checks .chk")
    expect(checks).to_have_count(15)
    expected = {"V1": ("green", "8.0"), "V2": ("yellow", "6.5"), "V3": ("red", "4.0"), "C4": ("grey", "—"),
                "G1": ("green", "7.0"), "G2": ("yellow", "5.0")}
    for check, (band, text) in expected.items():
        chip = card(page, ad).locator(f'[data-check="{check}"]')
        expect(chip).to_have_attribute("data-band", band)
        expect(chip.locator(".chk-val")).to_have_text(text)
    colours = {band: card(page, ad).locator(f'[data-check="{c}"]').evaluate("e => getComputedStyle(e).backgroundColor")
               for c, (band, _) in expected.items()}
    assert len(set(colours.values())) == 4  # green, yellow, red and grey really look different
    expect(card(page, ad).locator('[data-check="C4"]')).to_have_attribute("title", re.compile("not measured"))


def test_defect_scan_shows_passed_or_failed(cat, signed_in):
    ad_run = make_run(cat)
    passed = make_ad(ad_run, template=cat.templates[0], defect_passed=True)
    failed = make_ad(ad_run, template=cat.templates[0], prompt_index=2, status="rejected", defect_passed=False, check_scores={})
    page = signed_in
    page.goto("/results/")
    expect(card(page, passed).get_by_test_id("defect")).to_have_text("Defect scan PASSED")
    expect(card(page, failed).get_by_test_id("defect")).to_have_text("Defect scan FAILED")
    expect(card(page, failed).get_by_test_id("defect")).to_have_class(re.compile("band-red"))
    expect(card(page, passed).get_by_test_id("defect")).to_have_class(re.compile("band-green"))


def test_congruence_is_colour_coded(cat, signed_in):
    ad_run = make_run(cat)
    cases = {0.39: "red", 0.4: "yellow", 0.7: "yellow", 0.71: "green"}
    ads = {value: make_ad(ad_run, template=cat.templates[0], prompt_index=i + 1, congruence=value)
           for i, value in enumerate(cases)}
    page = signed_in
    page.goto("/results/")
    for value, band in cases.items():
        badge = card(page, ads[value]).get_by_test_id("congruence")
        expect(badge).to_have_text(f"{value:.2f}")
        expect(badge).to_have_attribute("data-band", band)
        expect(badge).to_have_class(re.compile(f"band-{band}"))


def test_override_rate_summary_shows_the_30_day_stats(cat, signed_in, member):
    from review.models import AdReviewOverride
    from review.services import review_override_create

    ad_run = make_run(cat)
    ads = [make_ad(ad_run, template=cat.templates[0], prompt_index=i + 1, status="approved") for i in range(4)]
    review_override_create(ad=ads[0], user=member, action="override_reject")
    review_override_create(ad=ads[1], user=member, action="confirm")
    review_override_create(ad=ads[2], user=member, action="confirm")
    old = review_override_create(ad=ads[3], user=member, action="override_reject")
    AdReviewOverride.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=31))
    page = signed_in
    page.goto("/results/")
    expect(page.get_by_test_id("stat-override-rate")).to_have_text("33.3%")
    expect(page.get_by_test_id("override-detail")).to_have_text("(1 of 3 human decisions)")
    card(page, ads[1]).get_by_role("button", name="Override Reject").click()
    expect(card(page, ads[1]).get_by_test_id("status")).to_have_text("Rejected")
    page.reload()
    expect(page.get_by_test_id("stat-override-rate")).to_have_text("66.7%")


# --- Phase 5 -----------------------------------------------------------------------------------


def test_summary_stats_bar_counts(cat, signed_in):
    ad_run = make_run(cat)
    for i, status in enumerate(["approved"] * 3 + ["rejected"] * 2 + ["flagged", "review_failed", "generated"]):
        make_ad(ad_run, template=cat.templates[0], prompt_index=i + 1, status=status,
                ai_status="" if status == "generated" else None)
    page = signed_in
    page.goto("/results/")
    for name, value in {"total": "8", "approved": "3", "rejected": "2", "flagged": "1", "review-failed": "1"}.items():
        expect(page.get_by_test_id(f"stat-{name}")).to_have_text(value)
    expect(page.get_by_test_id("stat-override-rate")).to_have_text("—")


def test_status_multiselect_filter(cat, signed_in):
    ad_run = make_run(cat)
    a = make_ad(ad_run, template=cat.templates[0], status="approved")
    r = make_ad(ad_run, template=cat.templates[0], prompt_index=2, status="rejected")
    f = make_ad(ad_run, template=cat.templates[0], prompt_index=3, status="flagged")
    page = signed_in
    page.goto("/results/")
    expect(page.locator("[data-ad-id]")).to_have_count(3)
    page.locator(".status-filter").get_by_label("Rejected").check()
    expect(page.locator("[data-ad-id]")).to_have_count(1)
    page.locator(".status-filter").get_by_label("Flagged for a human").check()
    expect(page.locator("[data-ad-id]")).to_have_count(2)
    assert sorted(shown_ids(page)) == sorted([r.pk, f.pk]) and a.pk not in shown_ids(page)
    expect(page).to_have_url(re.compile(r"status=rejected.*status=flagged"))


def test_date_range_filter(cat, signed_in):
    ad_run = make_run(cat)
    today = timezone.now()
    old = make_ad(ad_run, template=cat.templates[0], created_at=today - timedelta(days=20))
    mid = make_ad(ad_run, template=cat.templates[1], prompt_index=2, created_at=today - timedelta(days=5))
    new = make_ad(ad_run, template=cat.templates[2], prompt_index=3, created_at=today)
    page = signed_in
    page.goto("/results/")
    page.get_by_label("From").fill((today - timedelta(days=6)).date().isoformat())
    expect(page.locator("[data-ad-id]")).to_have_count(2)
    page.get_by_label("To").fill((today - timedelta(days=1)).date().isoformat())
    expect(page.locator("[data-ad-id]")).to_have_count(1)
    assert shown_ids(page) == [mid.pk] and old.pk != new.pk


def test_ad_run_filter(cat, signed_in):
    first, second = make_run(cat), make_run(cat)
    mine = [make_ad(second, template=cat.templates[0], prompt_index=i + 1) for i in range(2)]
    make_ad(first, template=cat.templates[0])
    page = signed_in
    page.goto("/results/")
    expect(page.locator("[data-ad-id]")).to_have_count(3)
    page.get_by_label("Ad run").select_option(str(second.pk))
    expect(page.locator("[data-ad-id]")).to_have_count(2)
    assert sorted(shown_ids(page)) == sorted(a.pk for a in mine)
    expect(page.get_by_test_id("run-panel")).to_contain_text(f"Ad run #{second.pk}")


def test_sort_newest_and_oldest(cat, signed_in):
    ad_run = make_run(cat)
    now = timezone.now()
    ads = [make_ad(ad_run, template=cat.templates[i], prompt_index=i + 1, created_at=now - timedelta(hours=3 - i))
           for i in range(3)]
    page = signed_in
    page.goto("/results/")
    expect(page.locator("[data-ad-id]")).to_have_count(3)
    assert shown_ids(page) == [ads[2].pk, ads[1].pk, ads[0].pk]
    page.get_by_label("Sort").select_option("oldest")
    expect(page.locator("[data-ad-id]").first).to_have_attribute("data-ad-id", str(ads[0].pk))
    assert shown_ids(page) == [ads[0].pk, ads[1].pk, ads[2].pk]


def test_template_grouping_shows_each_templates_variants(cat, signed_in):
    ad_run = make_run(cat)
    for t_index, template in enumerate(cat.templates[:2]):
        for s_index, (size, colour) in enumerate([("1080x1080", "original"), ("1080x1920", "original"), ("1080x1080", "brand")]):
            make_ad(ad_run, template=template, prompt_index=t_index * 10 + (2 if colour == "brand" else 1),
                    canvas_size=size, color_mode=colour)
    page = signed_in
    page.goto("/results/")
    groups = page.get_by_test_id("group")
    expect(groups).to_have_count(2)
    names = sorted(groups.get_by_test_id("group-name").all_inner_texts())
    assert names == sorted(t.name for t in cat.templates[:2])
    first = groups.first
    expect(first.locator("[data-ad-id]")).to_have_count(3)
    expect(first).to_contain_text("1:1 · Original")
    expect(first).to_contain_text("9:16 · Original")
    expect(first).to_contain_text("1:1 · Brand")


def _two_groups(cat):
    ad_run = make_run(cat)
    a = [make_ad(ad_run, template=cat.templates[0], prompt_index=i + 1, status=s) for i, s in enumerate(["rejected", "flagged"])]
    b = [make_ad(ad_run, template=cat.templates[1], prompt_index=i + 5, status="rejected") for i in range(2)]
    return a, b


def test_bulk_approve_all_per_template_group(cat, signed_in):
    group_a, group_b = _two_groups(cat)
    page = signed_in
    page.goto("/results/")
    page.locator(f'[data-group$="-t{cat.templates[0].pk}"]').get_by_role("button", name="Approve all").click()
    expect(page.locator(".flash")).to_contain_text("2 ads approved")
    for ad in group_a:
        expect(card(page, ad).get_by_test_id("status")).to_have_text("Approved")
    for ad in group_b:
        expect(card(page, ad).get_by_test_id("status")).to_have_text("Rejected")


def test_bulk_reject_all_per_template_group(cat, signed_in):
    group_a, group_b = _two_groups(cat)
    page = signed_in
    page.goto("/results/")
    page.locator(f'[data-group$="-t{cat.templates[0].pk}"]').get_by_role("button", name="Reject all").click()
    expect(page.locator(".flash")).to_contain_text("2 ads rejected")
    for ad in group_a:
        expect(card(page, ad).get_by_test_id("status")).to_have_text("Rejected")
    assert GeneratedAd.objects.get(pk=group_a[1].pk).status == "rejected"
    assert {GeneratedAd.objects.get(pk=ad.pk).status for ad in group_b} == {"rejected"}


def test_pagination_previous_next_with_counter(cat, signed_in):
    ad_run = make_run(cat)
    now = timezone.now()
    for i in range(50):
        make_ad(ad_run, template=cat.templates[i % 3], prompt_index=i + 1, created_at=now - timedelta(minutes=i),
                image=False)
    page = signed_in
    page.goto("/results/?status=approved")
    counter = page.get_by_test_id("page-counter")
    expect(counter).to_have_text("Page 1 of 3")
    first_page = set(shown_ids(page))
    page.get_by_role("link", name="Next →").click()
    expect(counter).to_have_text("Page 2 of 3")
    assert set(shown_ids(page)).isdisjoint(first_page)
    expect(page).to_have_url(re.compile(r"status=approved.*page=2"))
    page.get_by_role("link", name="Next →").click()
    expect(counter).to_have_text("Page 3 of 3")
    expect(page.locator("[data-ad-id]")).to_have_count(2)
    page.get_by_role("link", name="← Previous").click()
    page.get_by_role("link", name="← Previous").click()
    expect(counter).to_have_text("Page 1 of 3")
    assert set(shown_ids(page)) == first_page
