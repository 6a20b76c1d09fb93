"""The catalog's API (issue 17 item 1): every kind tenant-scoped, role-checked, field errors, no N+1."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ImageFilter

from adcreator.catalog.models import Brand, Hook, Persona, Product, ProductImage
from tests.api.conftest import make_run_with_ads, token_client
from tests.support.catalog import bottle_photo, logo_image, png_bytes
from tests.support.images import bomb_png

pytestmark = pytest.mark.django_db

KINDS = ["brands", "products", "product-photos", "brand-assets", "personas", "offer-variants", "landing-pages",
         "belief-angles", "hooks"]


def payload(kind: str, cat) -> dict:
    """A valid create body for each kind (JSON, or multipart for the two uploads)."""
    return {
        "brands": {"name": "Second Brand", "colors": ["#112233"], "template_selection_tier": "growth"},
        "products": {"brand_id": cat.brand.pk, "name": "Day Cream", "industry": "beauty / skincare"},
        "product-photos": {"product_id": cat.product.pk, "asset_tags": ["product", "hand"],
                           "image": SimpleUploadedFile("p.png", png_bytes(bottle_photo(640)))},
        "brand-assets": {"brand_id": cat.brand.pk, "asset_type": "badge",
                         "image": SimpleUploadedFile("b.png", png_bytes(logo_image()))},
        "personas": {"brand_id": cat.brand.pk, "name": "Runner", "awareness_stage": 2, "target_sex": "male"},
        "offer-variants": {"product_id": cat.product.pk, "name": "Bundle", "core_message": "Two for one.",
                           "pain_points": ["dry skin"]},
        "landing-pages": {"brand_id": cat.brand.pk, "url": "https://example.test/cream", "hero_headline": "Cream"},
        "belief-angles": {"brand_id": cat.brand.pk, "name": "Science", "belief_statement": "Tested beats hyped."},
        "hooks": {"brand_id": cat.brand.pk, "product_id": cat.product.pk, "text": "Try it", "hook_type": "offer"},
    }[kind]


def post(client, kind: str, body: dict):
    upload = kind in ("product-photos", "brand-assets")
    return client.post(f"/api/v1/{kind}/", body, format="multipart" if upload else "json")


def first_id(client, kind: str) -> int:
    return client.get(f"/api/v1/{kind}/").json()["results"][0]["id"]


@pytest.mark.parametrize("kind", KINDS)
def test_an_editor_creates_reads_changes_and_deletes_each_kind(api, catalog, kind):
    created = post(api, kind, payload(kind, catalog))
    assert created.status_code == 201, created.content
    row_id = created.json()["id"]
    assert api.get(f"/api/v1/{kind}/{row_id}/").json()["id"] == row_id
    change = {"brands": {"voice": "Calm"}, "products": {"current_offer": "10% off"},
              "product-photos": {"asset_tags": ["texture"]}, "brand-assets": {"asset_type": "icon"},
              "personas": {"age_min": 20, "age_max": 30}, "offer-variants": {"name": "Trio"},
              "landing-pages": {"hero_subhead": "Soft"}, "belief-angles": {"name": "Evidence"},
              "hooks": {"is_active": False}}[kind]
    changed = api.patch(f"/api/v1/{kind}/{row_id}/", change, format="json")
    assert changed.status_code == 200, changed.content
    assert all(changed.json()[key] == value for key, value in change.items())
    assert api.delete(f"/api/v1/{kind}/{row_id}/").status_code == 204
    assert api.get(f"/api/v1/{kind}/{row_id}/").status_code == 404


@pytest.mark.parametrize("kind", KINDS)
def test_another_organizations_rows_are_invisible_and_untouchable(api, catalog, intruder, kind):
    foreign_id = first_id(intruder, kind)
    listed = {row["id"] for row in api.get(f"/api/v1/{kind}/").json()["results"]}
    assert foreign_id not in listed and listed
    for response in (api.get(f"/api/v1/{kind}/{foreign_id}/"),
                     api.patch(f"/api/v1/{kind}/{foreign_id}/", {}, format="json"),
                     api.delete(f"/api/v1/{kind}/{foreign_id}/")):
        assert response.status_code == 404


@pytest.mark.parametrize("kind", [k for k in KINDS if k != "brands"])
def test_a_parent_of_another_organization_is_a_field_error(catalog, other_catalog, intruder, kind):
    body = payload(kind, catalog)  # names acme's brand or product; the intruder is of globex
    response = post(intruder, kind, body)
    assert response.status_code == 400
    parent = "product_id" if "product_id" in body and kind != "hooks" else "brand_id"
    assert parent in response.json()["error"]["fields"]


@pytest.mark.parametrize("kind", KINDS)
def test_a_viewer_reads_but_cannot_change(catalog, make_member, kind):
    viewer = token_client(make_member(catalog.org, "vera", role="viewer"))
    row_id = first_id(viewer, kind)
    assert viewer.get(f"/api/v1/{kind}/{row_id}/").status_code == 200
    refused = [post(viewer, kind, payload(kind, catalog)),
               viewer.patch(f"/api/v1/{kind}/{row_id}/", {}, format="json"),
               viewer.delete(f"/api/v1/{kind}/{row_id}/")]
    assert [r.status_code for r in refused] == [403, 403, 403], [r.content for r in refused]
    assert "view the catalog but not change it" in refused[1].json()["error"]["message"]


@pytest.mark.parametrize("kind,body,field", [
    ("brands", {"name": "B", "colors": ["red"]}, "colors"),
    ("brands", {"name": "B", "template_selection_tier": "gold"}, "template_selection_tier"),
    ("brands", {"name": "Acme Again", "slug": "acme"}, "slug"),
    ("products", {"name": "Dup", "slug": "serum"}, "slug"),
    ("products", {"name": 5}, "name"),
    ("personas", {"name": "P", "awareness_stage": 0}, "awareness_stage"),
    ("personas", {"name": "P", "awareness_stage": 2, "age_min": 50, "age_max": 20}, "age_max"),
    ("personas", {"name": "P", "awareness_stage": "3"}, "awareness_stage"),
    ("offer-variants", {"name": "O", "core_message": "m", "landing_page_url": "not a url"}, "landing_page_url"),
    ("landing-pages", {"url": "https://example.test/serum", "hero_headline": "dup"}, "url"),
    ("belief-angles", {"name": "B"}, "belief_statement"),
    ("hooks", {"text": "T", "hook_type": "shouting"}, "hook_type"),
    ("hooks", {"text": "T\x00", "hook_type": "offer"}, "text"),
])
def test_bad_input_is_a_field_error_naming_the_field(api, catalog, kind, body, field):
    parent = {"products": "brand_id", "personas": "brand_id", "landing-pages": "brand_id", "belief-angles": "brand_id",
              "hooks": "brand_id", "offer-variants": "product_id"}.get(kind)
    if parent:
        body = {parent: catalog.brand.pk if parent == "brand_id" else catalog.product.pk, **body}
    response = post(api, kind, body)
    assert response.status_code == 400, response.content
    assert field in response.json()["error"]["fields"], response.json()


def test_a_hook_may_not_name_a_product_of_another_brand(api, catalog):
    other_brand = Brand.objects.create(organization=catalog.org, name="Other", slug="other")
    elsewhere = Product.objects.create(brand=other_brand, name="Else", slug="else")
    response = post(api, "hooks", {"brand_id": catalog.brand.pk, "product_id": elsewhere.pk, "text": "T",
                                   "hook_type": "offer"})
    assert response.status_code == 400 and "product_id" in response.json()["error"]["fields"]


@pytest.mark.parametrize("data,message", [
    (bomb_png(), "decompression bomb"),
    (png_bytes(bottle_photo(512))[:80], "not a readable image"),
    (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "not a readable image"),
    (png_bytes(bottle_photo(40)), "at least 64 pixels"),
])
def test_uploads_get_the_admins_content_checks(api, catalog, data, message):
    before = ProductImage.objects.count()
    response = post(api, "product-photos", {"product_id": catalog.product.pk, "image": SimpleUploadedFile("x.png", data)})
    assert response.status_code == 400
    assert message in " ".join(response.json()["error"]["fields"]["image"]).lower()
    assert ProductImage.objects.count() == before


def test_a_photos_quality_is_measured_sharp_above_blurred_and_small(api, catalog):
    def upload(image):
        body = {"product_id": catalog.product.pk, "image": SimpleUploadedFile("p.png", png_bytes(image))}
        return post(api, "product-photos", body).json()["quality"]

    sharp, blurred, small = (upload(bottle_photo(1024)), upload(bottle_photo(1024).filter(ImageFilter.GaussianBlur(4))),
                             upload(bottle_photo(256)))
    assert sharp > 0.9 and blurred < 0.3 and 0.3 < small < sharp
    assert ProductImage._meta.get_field("quality").has_default() is False


def test_deleting_what_ads_or_jobs_depend_on_is_refused_and_nothing_is_lost(api, catalog):
    from adcreator.jobs.services import job_create

    make_run_with_ads(catalog, ads=1)
    for kind, row_id in (("brands", catalog.brand.pk), ("products", catalog.product.pk)):
        response = api.delete(f"/api/v1/{kind}/{row_id}/")
        assert response.status_code == 409
        assert "ad run" in response.json()["error"]["message"]
    persona = Persona.objects.create(brand=catalog.brand, name="Named", awareness_stage=2)
    job_create(organization=catalog.org, brand=catalog.brand, job_type="ad_creation_v2", enqueue=False,
               parameters={**payload_job(catalog), "persona_id": persona.pk})
    assert api.delete(f"/api/v1/personas/{persona.pk}/").status_code == 409
    hook = Hook.objects.filter(brand=catalog.brand).first()
    ad = catalog.brand.ad_runs.first().ads.first()
    ad.hook = hook
    ad.save()
    refused = api.delete(f"/api/v1/hooks/{hook.pk}/")
    assert refused.status_code == 409 and "switch it off instead" in refused.json()["error"]["message"]
    assert Brand.objects.filter(pk=catalog.brand.pk).exists() and Persona.objects.filter(pk=persona.pk).exists()


def payload_job(catalog) -> dict:
    from tests.api.conftest import manual_job_parameters

    return manual_job_parameters(catalog)


@pytest.mark.parametrize("kind", KINDS)
def test_list_queries_do_not_grow_with_rows(api, catalog, kind, django_assert_max_num_queries):
    for index in range(3):  # three more of the kind, so a per-row query would show
        body = payload(kind, catalog)
        for key in ("name", "url", "text"):
            if key in body:
                body[key] = f"https://example.test/{index}" if key == "url" else f"{body[key]} {index}"
        assert post(api, kind, body).status_code == 201
    # token, memberships, count, page (the same for 1 or 50 rows)
    with django_assert_max_num_queries(4):
        response = api.get(f"/api/v1/{kind}/")
    assert response.json()["count"] >= 4


def test_filters_narrow_by_brand_and_product(api, catalog):
    other = post(api, "products", {"brand_id": catalog.brand.pk, "name": "Toner"}).json()
    post(api, "offer-variants", {"product_id": other["id"], "name": "X", "core_message": "m"})
    only = api.get(f"/api/v1/offer-variants/?product={other['id']}").json()["results"]
    assert [row["product"] for row in only] == [other["id"]]
    assert api.get("/api/v1/hooks/?brand=abc").status_code == 400
