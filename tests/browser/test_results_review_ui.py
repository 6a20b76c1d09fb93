"""Review that explains and the results actions (issues 16 item 4, 17 items 5 and 8) in a real
browser: the reason on a rejected ad, its regions, the legend, confirming a flag with the summary
updating in place, the bulk confirmation step, full size, edit & regenerate, approved-only zip."""

import io
import re
import zipfile
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import expect

from adcreator.jobs.services import job_run_execute
from experiments.models_evolution import Evolution
from generation.models import GeneratedAd
from tests.support.catalog import build_catalog
from tests.support.reviews import ChosenJudge, review_with
from tests.web import make_ad, make_run

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cat(org):
    return build_catalog(org, templates=2)


@pytest.fixture
def signed_in(login, org, make_member):
    return login(make_member(org, "alice"))


def card(page, ad):
    return page.locator(f'[data-ad-id="{ad.pk}"]')


def test_the_reason_a_rejected_ad_was_rejected_is_visible_without_hovering(cat, signed_in):
    ad = review_with(make_ad(make_run(cat), template=cat.templates[0]), ChosenJudge(
        checks={"V1": (1.5, "no region carries the product's colour signature", (0.1, 0.2, 0.6, 0.9))}))
    assert ad.status == "rejected" and ad.review_score >= 7  # the green average of the issue
    page = signed_in
    page.goto("/results/")
    reason = card(page, ad).get_by_test_id("decisive-reason")
    expect(reason).to_be_visible()
    expect(reason).to_contain_text("V1 Product accuracy")
    expect(reason).to_contain_text("below its auto-reject floor of 3.0")
    expect(card(page, ad).get_by_test_id("failed-reasons")).to_contain_text("no region carries the product's colour signature")
    regions = card(page, ad).get_by_test_id("regions")
    expect(regions).to_be_hidden()  # optional: shown on request
    card(page, ad).get_by_text("Show where on the ad").click()
    expect(regions).to_be_visible()
    box, image = regions.locator("rect").bounding_box(), card(page, ad).locator(".ad-frame img").bounding_box()
    assert box["x"] == pytest.approx(image["x"] + 0.1 * image["width"], abs=3)
    assert box["width"] == pytest.approx(0.5 * image["width"], abs=3)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    card(page, ad).screenshot(path=str(SCREENSHOTS / "results-rejected-card.png"))
    page.get_by_text("What the check codes mean").click()
    expect(page.get_by_test_id("check-legend")).to_contain_text("Is the product reproduced exactly?")


def test_confirm_resolves_a_flag_and_the_summary_follows_without_a_reload(cat, signed_in):
    ad_run = make_run(cat)
    flagged = make_ad(ad_run, template=cat.templates[0], status="flagged")
    approved = make_ad(ad_run, template=cat.templates[0], prompt_index=2, status="approved")
    page = signed_in
    page.goto(f"/results/?run={ad_run.pk}")
    page.evaluate("window.__noReload = true")
    expect(card(page, approved).get_by_role("button", name="Override Approve")).to_have_count(0)  # changes nothing
    expect(page.get_by_test_id("stat-flagged")).to_have_text("1")
    expect(card(page, flagged).get_by_test_id("confirm-hint")).to_be_visible()
    card(page, flagged).get_by_role("button", name="Confirm").click()
    expect(card(page, flagged).get_by_test_id("status")).to_have_text("Approved")
    expect(page.get_by_test_id("stat-flagged")).to_have_text("0")
    expect(page.get_by_test_id("stat-approved")).to_have_text("2")
    expect(page.get_by_test_id("stat-override-rate")).to_have_text("100%")  # the AI flagged, a person approved
    expect(card(page, flagged).get_by_role("button", name="Confirm")).to_have_count(0)
    assert page.evaluate("window.__noReload") is True
    assert GeneratedAd.objects.get(pk=flagged.pk).status == "approved"


def test_a_bulk_action_on_more_than_three_ads_asks_for_confirmation(cat, signed_in):
    ad_run = make_run(cat)
    ads = [make_ad(ad_run, template=cat.templates[0], prompt_index=i, status="approved") for i in range(1, 6)]
    page = signed_in
    page.goto(f"/results/?run={ad_run.pk}")
    page.get_by_role("button", name="Reject all (5)").click()
    expect(page.get_by_test_id("bulk-confirm-count")).to_have_text("5")
    assert {GeneratedAd.objects.get(pk=a.pk).status for a in ads} == {"approved"}  # nothing changed yet
    page.get_by_test_id("bulk-confirm-cancel").click()
    expect(page.get_by_test_id("summary")).to_be_visible()
    page.get_by_role("button", name="Reject all (5)").click()
    page.get_by_role("button", name="Yes, reject 5 ads").click()
    expect(page.get_by_test_id("stat-rejected")).to_have_text("5")
    assert {GeneratedAd.objects.get(pk=a.pk).status for a in ads} == {"rejected"}


def test_edit_headline_and_regenerate_makes_a_job_whose_ad_shows_its_parent(cat, signed_in):
    ad_run = make_run(cat)
    parent = make_ad(ad_run, template=cat.templates[0], canvas_size="1080x1350", status="rejected")
    sibling = make_ad(ad_run, template=cat.templates[0], canvas_size="1080x1920", status="approved")
    page = signed_in
    page.goto(f"/results/?run={ad_run.pk}")
    expect(page.get_by_test_id("brief")).to_have_count(1)
    expect(page.get_by_test_id("brief").get_by_test_id("ad-card")).to_have_count(2)  # its sizes side by side
    card(page, parent).get_by_test_id("full-size").click()
    expect(page.get_by_test_id("full-image")).to_be_visible()
    expect(page.locator(f'[data-ad-id-link="{sibling.pk}"]')).to_be_visible()
    natural = page.get_by_test_id("full-image").evaluate("img => [img.naturalWidth, img.naturalHeight]")
    with Image.open(parent.image.path) as stored:
        assert tuple(natural) == stored.size  # the original's pixels
    expect(page.get_by_test_id("full-image")).to_have_attribute("src", f"/ads/{parent.pk}/original/")
    page.get_by_label("Edit the headline and regenerate this ad").fill("Calmer skin, every morning")
    page.get_by_test_id("regenerate").click()
    expect(page).to_have_url(re.compile(r"/jobs/\d+/"))
    evolution = Evolution.objects.get(parent_ad=parent)
    run = job_run_execute(run_id=evolution.job.runs.get().pk)
    child = GeneratedAd.objects.get(ad_run__job_run=run)
    page.goto(f"/results/?run={child.ad_run_id}")
    expect(card(page, child)).to_contain_text("Calmer skin, every morning")
    made_from = card(page, child).get_by_test_id("parent")
    expect(made_from).to_have_text(f"Made from ad #{parent.pk} (headline edited)")
    made_from.get_by_role("link").click()
    expect(page).to_have_url(re.compile(f"/ads/{parent.pk}/$"))


def test_the_approved_only_download_holds_only_approved_ads(cat, signed_in):
    ad_run = make_run(cat)
    approved = make_ad(ad_run, template=cat.templates[0], status="approved")
    make_ad(ad_run, template=cat.templates[0], prompt_index=2, status="rejected")
    make_ad(ad_run, template=cat.templates[0], prompt_index=3, status="flagged")
    page = signed_in
    page.goto(f"/results/?run={ad_run.pk}")
    with page.expect_download() as info:
        page.get_by_test_id("run-zip-approved").click()
    with open(info.value.path(), "rb") as handle:
        names = zipfile.ZipFile(io.BytesIO(handle.read())).namelist()
    assert names == [f"{approved.prompt_index:03d}-{approved.canvas_size}-{approved.color_mode}-approved.png"]
