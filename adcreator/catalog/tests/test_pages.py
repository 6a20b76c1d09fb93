"""The catalog pages (issue 17 item 1): editors change through the services, viewers read only,
bad input comes back on the field, a delete that would lose work is refused, no N+1."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import ImageFilter

from adcreator.catalog.models import Brand, Hook, Persona, Product, ProductImage
from tests.support.catalog import bottle_photo, build_catalog, logo_image, png_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def cat(org):
    return build_catalog(org, templates=1)


@pytest.fixture
def editor(client, cat, make_member):
    client.force_login(make_member(cat.org, "eddie", role="editor"))
    return client


@pytest.fixture
def viewer(client, cat, make_member):
    client.force_login(make_member(cat.org, "vera", role="viewer"))
    return client


def test_the_navigation_links_to_the_catalog(editor):
    page = editor.get(reverse("catalog")).content.decode()
    assert 'href="/catalog/" aria-current="page">Catalog</a>' in page


def test_an_editor_changes_the_brand_settings(editor, cat):
    url = reverse("catalog-brand", args=[cat.brand.pk])
    response = editor.post(url, {"name": "Acme Skin", "slug": "acme", "colors": "#112233, #445566",
                                 "voice": "Warm and plain", "prohibited_claims": "cures acne\novernight results",
                                 "required_disclaimers": "Results may vary.", "template_selection_tier": "premium"})
    assert response.status_code == 302
    brand = Brand.objects.get(pk=cat.brand.pk)
    assert brand.colors == ["#112233", "#445566"] and brand.prohibited_claims == ["cures acne", "overnight results"]
    assert brand.template_selection_config["min_asset_score"] == 0.8 and brand.voice == "Warm and plain"


def test_bad_input_comes_back_on_its_field_and_nothing_changes(editor, cat):
    url = reverse("catalog-brand", args=[cat.brand.pk])
    response = editor.post(url, {"name": "Acme Skin", "slug": "acme", "colors": "red",
                                 "template_selection_tier": "default"})
    assert response.status_code == 200
    assert 'data-testid="error-colors"' in response.content.decode()
    assert Brand.objects.get(pk=cat.brand.pk).colors == cat.brand.colors


def test_an_editor_uploads_a_photo_its_quality_measured_and_bad_files_refused(editor, cat):
    url = reverse("catalog-row-create", args=["product-photos", cat.product.pk])
    sharp = SimpleUploadedFile("sharp.png", png_bytes(bottle_photo(1024)))
    assert editor.post(url, {"asset_tags": ["person", "hand"], "image": sharp}).status_code == 302
    photo = ProductImage.objects.latest("id")
    assert photo.asset_tags == ["person", "hand"] and photo.quality == 1.0
    soft = SimpleUploadedFile("soft.png", png_bytes(bottle_photo(1024).filter(ImageFilter.GaussianBlur(4))))
    editor.post(url, {"image": soft})
    assert ProductImage.objects.latest("id").quality < 0.3
    refused = editor.post(url, {"image": SimpleUploadedFile("x.png", b"<svg/>")})
    assert refused.status_code == 400 and 'data-testid="error-image"' in refused.content.decode()
    page = editor.get(reverse("catalog-product", args=[cat.product.pk])).content.decode()
    assert "quality 1.00" in page
    assert editor.get(reverse("catalog-photo-image", args=[photo.pk])).status_code == 200


def test_an_editor_adds_edits_and_deletes_rows_of_every_kind(editor, cat):
    brand, product = cat.brand.pk, cat.product.pk
    adds = [("products", brand, {"name": "Toner", "industry": "beauty / skincare"}),
            ("brand-assets", brand, {"asset_type": "badge", "image": SimpleUploadedFile("b.png", png_bytes(logo_image()))}),
            ("personas", brand, {"name": "Runner", "awareness_stage": "2", "target_sex": "male"}),
            ("landing-pages", brand, {"url": "https://example.test/toner", "hero_headline": "Toner"}),
            ("belief-angles", brand, {"name": "Science", "belief_statement": "Tested beats hyped."}),
            ("hooks", brand, {"text": "Try it", "hook_type": "offer", "product_id": str(product), "is_active": "on"}),
            ("offer-variants", product, {"name": "Bundle", "core_message": "Two for one."})]
    for kind, parent, data in adds:
        response = editor.post(reverse("catalog-row-create", args=[kind, parent]), data)
        assert response.status_code == 302, (kind, response.content.decode()[:3000])
    hook = Hook.objects.get(text="Try it")
    assert hook.product_id == product
    edit = reverse("catalog-row-edit", args=["hooks", hook.pk])
    assert editor.get(edit).status_code == 200
    assert editor.post(edit, {"text": "Try it today", "hook_type": "offer", "product_id": ""}).status_code == 302
    hook.refresh_from_db()
    assert hook.text == "Try it today" and hook.product_id is None and hook.is_active is False
    persona = Persona.objects.get(name="Runner")
    assert editor.post(reverse("catalog-row-delete", args=["personas", persona.pk])).status_code == 302
    assert not Persona.objects.filter(pk=persona.pk).exists()


def test_a_delete_that_would_lose_ads_is_refused_with_the_reason(editor, cat):
    from generation.models import AdRun

    AdRun.objects.create(organization=cat.org, brand=cat.brand, product=cat.product)
    response = editor.post(reverse("catalog-row-delete", args=["products", cat.product.pk]), follow=True)
    assert "cannot be deleted: it has 1 ad run" in response.content.decode()
    assert Product.objects.filter(pk=cat.product.pk).exists()


def test_a_viewer_reads_every_page_but_gets_no_forms_and_cannot_post(viewer, cat):
    brand_page = viewer.get(reverse("catalog-brand", args=[cat.brand.pk])).content.decode()
    assert 'data-testid="read-only"' in brand_page and "Add persona" not in brand_page and "cures acne" in brand_page
    product_page = viewer.get(reverse("catalog-product", args=[cat.product.pk])).content.decode()
    assert "Add photo" not in product_page and "quality 0.70" in product_page
    assert viewer.post(reverse("catalog-brand", args=[cat.brand.pk]), {"name": "X"}).status_code == 403
    create = reverse("catalog-row-create", args=["personas", cat.brand.pk])
    assert viewer.post(create, {"name": "P", "awareness_stage": "2"}).status_code == 403
    assert viewer.post(reverse("catalog-row-delete", args=["personas", cat.persona.pk])).status_code == 403
    assert Persona.objects.filter(pk=cat.persona.pk).exists()


def test_another_organizations_catalog_is_a_404(editor, make_org):
    other = build_catalog(make_org("globex"), slug="globex", templates=1)
    for url in (reverse("catalog-brand", args=[other.brand.pk]), reverse("catalog-product", args=[other.product.pk]),
                reverse("catalog-row-edit", args=["personas", other.persona.pk]),
                reverse("catalog-photo-image", args=[other.product.images.first().pk])):
        assert editor.get(url).status_code == 404
    assert editor.post(reverse("catalog-row-delete", args=["personas", other.persona.pk])).status_code == 404
    assert "globex" not in editor.get(reverse("catalog")).content.decode().lower()


def test_catalog_pages_make_a_fixed_number_of_queries(editor, cat, django_assert_max_num_queries):
    from adcreator.catalog.models import BeliefAngle

    def page_queries(url):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert editor.get(url).status_code == 200
        return len(captured)

    urls = [reverse("catalog"), reverse("catalog-brand", args=[cat.brand.pk]),
            reverse("catalog-product", args=[cat.product.pk])]
    before = [page_queries(url) for url in urls]
    for index in range(5):
        Brand.objects.create(organization=cat.org, name=f"B{index}", slug=f"b{index}")
        Persona.objects.create(brand=cat.brand, name=f"P{index}", awareness_stage=2)
        BeliefAngle.objects.create(brand=cat.brand, name=f"A{index}", belief_statement="s")
        Hook.objects.create(brand=cat.brand, product=cat.product, text=f"H{index}", hook_type="offer")
        photo = ProductImage(product=cat.product, quality=0.5, width=64, height=64, asset_tags=["product"])
        photo.image.save("p.png", SimpleUploadedFile("p.png", png_bytes(bottle_photo(64))).file, save=True)
    assert [page_queries(url) for url in urls] == before
    with django_assert_max_num_queries(16):
        editor.get(urls[1])


def test_deleting_a_brand_or_product_asks_once_more_naming_what_goes_with_it(editor, cat):
    url = reverse("catalog-row-delete", args=["products", cat.product.pk])
    asked = editor.post(url)
    assert asked.status_code == 200 and "2 photos, 1 offer variant, 3 hooks" in asked.content.decode()
    assert Product.objects.filter(pk=cat.product.pk).exists()
    assert editor.post(url, {"confirm": "yes"}).status_code == 302
    assert not Product.objects.filter(pk=cat.product.pk).exists()
    brand_url = reverse("catalog-row-delete", args=["brands", cat.brand.pk])
    assert "1 logo or badge" in editor.post(brand_url).content.decode()
    assert editor.post(brand_url, {"confirm": "yes"}).url == reverse("catalog")
    assert not Brand.objects.filter(pk=cat.brand.pk).exists()
