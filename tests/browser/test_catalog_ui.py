"""Issue 17 items 1-2 in a real browser: the self-service catalog and own templates.

The jobs submitted here are run in the test process (`job_run_execute`, the worker's own entry
point) instead of by a qcluster, so each test stays a few seconds long.
"""

from __future__ import annotations

import re

import pytest
from PIL import ImageFilter
from playwright.sync_api import expect

from adcreator.catalog.models import Brand, Persona, ProductImage
from adcreator.jobs.models import JobRun, RunStatus
from adcreator.jobs.services import job_run_execute
from generation.models import GeneratedAd
from tests.support.catalog import bottle_photo, build_catalog, png_bytes, template_image
from templates.models import ScrapedTemplate

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _generate_and_run(page) -> JobRun:
    """Submit /create/ as it stands, then run the job's run as a worker would."""
    page.locator("#estimate").get_by_role("button", name=re.compile("Generate")).click()
    expect(page).to_have_url(re.compile(r"/jobs/\d+/$"))
    job_id = int(re.search(r"/jobs/(\d+)/", page.url).group(1))
    run = JobRun.objects.get(job_id=job_id)
    job_run_execute(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == RunStatus.COMPLETED, run.error
    return run


def test_an_uploaded_product_photo_is_measured_listed_and_used_by_the_next_job(org, make_member, login, tmp_path):
    cat = build_catalog(org, templates=1)
    page = login(make_member(org, "alice"))
    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Catalog").click()
    page.get_by_role("link", name=cat.brand.name).click()
    page.get_by_role("link", name=cat.product.name).click()
    photo_file = tmp_path / "sharp-packshot.png"
    photo_file.write_bytes(png_bytes(bottle_photo(1024)))
    page.locator("summary", has_text="Add photo").click()
    page.get_by_label("Photo", exact=True).set_input_files(str(photo_file))
    page.get_by_role("checkbox", name="Product", exact=True).check()
    page.get_by_label("Packshot").check()
    page.get_by_role("button", name="Add photo").click()
    expect(page.get_by_role("status")).to_have_text("Photo added.")
    photo = ProductImage.objects.latest("id")
    card = page.locator(f'[data-photo-id="{photo.pk}"]')
    expect(card.get_by_test_id("photo-quality")).to_have_text("quality 1.00")
    expect(card.get_by_test_id("photo-tags")).to_have_text("Product, Packshot")
    assert card.locator("img").evaluate("img => img.naturalWidth") > 0

    page.goto("/create/")
    page.locator(".tpl-card", has_text=cat.templates[0].name).click()
    run = _generate_and_run(page)
    ad = GeneratedAd.objects.get(ad_run__job_run=run)
    product_refs = [r["ref"] for r in ad.prompt["images"]["references"] if r["role"] == "product"]
    assert product_refs[0] == photo.image.name  # the sharpest photo with the wanted tag leads


def test_an_uploaded_template_is_usable_in_a_job_at_once_and_analysed(org, make_member, login, tmp_path):
    cat = build_catalog(org, templates=2)
    page = login(make_member(org, "alice"))
    page.goto("/catalog/")
    page.get_by_role("link", name="your templates").click()
    layout = tmp_path / "layout.png"
    layout.write_bytes(png_bytes(template_image(540, 675, bg=(230, 240, 250))))
    page.get_by_label("Template image").set_input_files(str(layout))
    page.get_by_label("Name").fill("Our split layout")
    page.get_by_label("Category").fill("offer")
    page.get_by_label("Industry / niche").fill("beauty / skincare")
    page.get_by_role("button", name="Upload template").click()
    expect(page.get_by_role("status")).to_contain_text("its analysis is queued")
    template = ScrapedTemplate.objects.get(name="Our split layout")
    expect(page.locator(f'[data-template-id="{template.pk}"]').get_by_test_id("detection")).to_have_text(
        "Analysis queued")
    assert template.organization_id == org.pk and not template.has_detection

    page.goto("/create/")
    first_card = page.locator("#template-grid .tpl-card").first
    expect(first_card).to_contain_text("Our split layout")  # own templates lead the grid
    first_card.click()
    run = _generate_and_run(page)  # before the detection job ran: the job analyses it itself
    ad = GeneratedAd.objects.get(ad_run__job_run=run)
    assert ad.template_id == template.pk and ad.image
    template.refresh_from_db()
    assert template.has_detection
    page.goto("/templates/own/")
    expect(page.locator(f'[data-template-id="{template.pk}"]').get_by_test_id("detection")).to_have_text("Analysed")
    assert not ScrapedTemplate.objects.filter(organization__isnull=False).exclude(organization=org).exists()
    assert cat.templates[0].organization_id is None


def test_brand_settings_and_messaging_are_edited_with_errors_on_their_fields(org, make_member, login):
    cat = build_catalog(org, templates=1)
    page = login(make_member(org, "alice"))
    page.goto(f"/catalog/brands/{cat.brand.pk}/")
    settings = page.get_by_test_id("brand-settings")
    settings.get_by_label("Colours").fill("#112233, teal")
    settings.get_by_role("button", name="Save settings").click()
    expect(page.get_by_test_id("error-colors")).to_contain_text("#rrggbb")
    settings = page.get_by_test_id("brand-settings")
    settings.get_by_label("Colours").fill("#112233, #00807f")
    settings.get_by_label("Template-selection tier").select_option("growth")
    settings.get_by_label("Prohibited claims").fill("cures acne\nworks overnight")
    settings.get_by_role("button", name="Save settings").click()
    expect(page.get_by_role("status")).to_have_text("Brand settings saved.")
    brand = Brand.objects.get(pk=cat.brand.pk)
    assert brand.colors == ["#112233", "#00807f"] and brand.template_selection_config["min_asset_score"] == 0.3
    assert brand.prohibited_claims == ["cures acne", "works overnight"]

    page.locator("summary", has_text="Add persona").click()
    form = page.get_by_test_id("add-personas")
    form.get_by_label("Name").fill("Marathon runner")
    form.get_by_label("Youngest age").fill("50")
    form.get_by_label("Oldest age").fill("30")
    form.get_by_role("button", name="Add persona").click()
    expect(page.get_by_test_id("error-age_max")).to_contain_text("youngest age")
    page.get_by_label("Oldest age").fill("60")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("persona-list")).to_contain_text("Marathon runner")
    persona = Persona.objects.get(name="Marathon runner")
    assert (persona.age_min, persona.age_max) == (50, 60)

    hook_row = page.get_by_test_id("hook-list").locator("li", has_text="Smoother skin by morning")
    hook_row.get_by_role("link", name="Edit").click()
    page.get_by_label("Active (drawn into new jobs)").uncheck()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("hook-list").locator("li.inactive")).to_contain_text("Smoother skin by morning")


def test_a_delete_that_would_lose_ads_is_refused_with_the_reason(org, make_member, login):
    from generation.models import AdRun

    cat = build_catalog(org, templates=1)
    AdRun.objects.create(organization=org, brand=cat.brand, product=cat.product)
    page = login(make_member(org, "alice"))
    page.goto(f"/catalog/products/{cat.product.pk}/")
    page.get_by_role("button", name="Delete this product").click()
    expect(page.locator(".flash.error")).to_contain_text("cannot be deleted: it has 1 ad run")
    expect(page.get_by_role("heading", name=cat.product.name, level=1)).to_be_visible()


def test_a_viewer_reads_the_catalog_and_gets_no_forms(org, make_member, login):
    cat = build_catalog(org, templates=1)
    page = login(make_member(org, "vera", role="viewer"))
    page.goto(f"/catalog/brands/{cat.brand.pk}/")
    expect(page.get_by_test_id("read-only")).to_be_visible()
    expect(page.get_by_test_id("brand-settings")).to_have_count(0)
    expect(page.get_by_text("Add persona")).to_have_count(0)
    expect(page.get_by_test_id("tier")).to_have_text("Default")
    expect(page.get_by_test_id("persona-list")).to_contain_text(cat.persona.name)
    page.goto(f"/catalog/products/{cat.product.pk}/")
    expect(page.get_by_test_id("photo-list").locator("li")).to_have_count(2)
    expect(page.get_by_text("Add photo")).to_have_count(0)
    page.goto("/templates/own/")
    expect(page.get_by_test_id("upload-template")).to_have_count(0)


def test_a_blurred_photo_is_measured_below_a_sharp_one(org, make_member, login, tmp_path):
    cat = build_catalog(org, templates=1)
    page = login(make_member(org, "alice"))
    page.goto(f"/catalog/products/{cat.product.pk}/")
    blurred = tmp_path / "soft.png"
    blurred.write_bytes(png_bytes(bottle_photo(1024).filter(ImageFilter.GaussianBlur(4))))
    page.locator("summary", has_text="Add photo").click()
    page.get_by_label("Photo", exact=True).set_input_files(str(blurred))
    page.get_by_role("button", name="Add photo").click()
    photo = ProductImage.objects.latest("id")
    quality = page.locator(f'[data-photo-id="{photo.pk}"]').get_by_test_id("photo-quality").inner_text()
    assert float(quality.split()[-1]) < 0.3 and photo.quality < 0.3


def test_deleting_a_product_asks_once_more_then_deletes_it(org, make_member, login):
    cat = build_catalog(org, templates=1)
    page = login(make_member(org, "alice"))
    page.goto(f"/catalog/products/{cat.product.pk}/")
    page.get_by_role("button", name="Delete this product").click()
    expect(page.get_by_test_id("confirm-delete")).to_contain_text("2 photos, 1 offer variant, 3 hooks")
    page.get_by_role("button", name=f"Delete “{cat.product.name}”").click()
    expect(page.get_by_role("status")).to_contain_text("deleted")
    expect(page.get_by_test_id("product-list")).to_contain_text("No products yet.")
