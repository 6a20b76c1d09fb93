"""Issue 11: every stored image is checked, named after its real format, and served by its bytes.

Findings: the generated ad's image field had no upload check (the admin took TIFF, GIF, a
10×10 image, 52 MB, later downloaded as .png); a template uploaded as `evil.pdf` holding a PNG
was served as `application/pdf` inline.
"""

from io import BytesIO

import numpy as np
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms import modelform_factory
from PIL import Image
from rest_framework.test import APIClient

from generation.models import AdRun, GeneratedAd
from templates.models import ScrapedTemplate
from tests.support.catalog import build_catalog


def encoded(fmt: str, size=(200, 200), noise=False) -> bytes:
    pixels = np.random.default_rng(3).integers(0, 256, (size[1], size[0], 3), dtype=np.uint8) if noise else None
    image = Image.fromarray(pixels) if noise else Image.new("RGB", size, (200, 120, 40))
    out = BytesIO()
    image.save(out, format=fmt)
    return out.getvalue()


@pytest.fixture
def cat(org):
    return build_catalog(org, templates=1)


@pytest.fixture
def ad(cat):
    run = AdRun.objects.create(organization=cat.org, brand=cat.brand, product=cat.product)
    return GeneratedAd.objects.create(ad_run=run, prompt_index=1, canvas_size="1080x1080", color_mode="original",
                                      status="approved", ai_status="approved")


@pytest.fixture
def member_client(client, cat, make_member):
    client.force_login(make_member(cat.org, "alice"))
    return client


def api_for(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


# The admin edits an ad through a ModelForm of the model: its field validators decide.
AdImageForm = modelform_factory(GeneratedAd, fields=["image"])


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "payload", "message"), [
    ("ad.tiff", encoded("TIFF"), "TIFF images are not accepted"),
    ("ad.gif", encoded("GIF"), "GIF images are not accepted"),
    ("ad.png", encoded("PNG", (10, 10)), "at least 64 pixels"),
    ("ad.png", encoded("PNG", (400, 400), noise=True), "the limit is 0.3 MB"),
])
def test_the_ads_image_field_refuses_what_no_other_image_field_accepts(ad, settings, name, payload, message):
    settings.ADCREATOR_MAX_UPLOAD_BYTES = 300_000  # the noise PNG is ~480 KB: "52 MB" in small
    form = AdImageForm(data={}, files={"image": SimpleUploadedFile(name, payload)}, instance=ad)
    assert not form.is_valid()
    assert message in " ".join(form.errors["image"])
    assert GeneratedAd.objects.get(pk=ad.pk).image.name == ""


@pytest.mark.django_db
def test_an_upload_is_stored_under_the_extension_of_its_real_format(ad, cat):
    form = AdImageForm(data={}, files={"image": SimpleUploadedFile("photo.png", encoded("JPEG"), "image/png")},
                       instance=ad)
    assert form.is_valid(), form.errors
    form.save()
    assert GeneratedAd.objects.get(pk=ad.pk).image.name.endswith(".jpg")
    template = ScrapedTemplate(name="Evil", category="offer")
    template.image = SimpleUploadedFile("evil.pdf", encoded("PNG"), "application/pdf")
    template.full_clean()
    template.save()
    assert template.image.name.startswith("templates/") and template.image.name.endswith("evil.png")


@pytest.mark.django_db
def test_a_png_stored_as_pdf_is_served_as_png_with_nosniff(cat, member_client, make_member):
    template = cat.templates[0]
    name = default_storage.save("templates/evil.pdf", ContentFile(encoded("PNG")))  # stored before the fix
    ScrapedTemplate.objects.filter(pk=template.pk).update(image=name)
    response = api_for(make_member(cat.org, "bob")).get(f"/api/v1/templates/{template.pk}/image/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png" and response["X-Content-Type-Options"] == "nosniff"
    assert 'filename="evil.png"' in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


@pytest.mark.django_db
def test_stored_bytes_that_are_no_allowed_image_are_never_served(cat, ad, member_client, make_member):
    api = api_for(make_member(cat.org, "bob"))
    template = cat.templates[0]
    html = default_storage.save("templates/t.png", ContentFile(b"<html><script>alert(1)</script></html>"))
    ScrapedTemplate.objects.filter(pk=template.pk).update(image=html)
    tiff = default_storage.save("ads/ad.png", ContentFile(encoded("TIFF")))  # an old admin upload
    GeneratedAd.objects.filter(pk=ad.pk).update(image=tiff)
    for url in (f"/api/v1/templates/{template.pk}/image/", f"/api/v1/ads/{ad.pk}/image/"):
        refused = api.get(url)
        assert refused.status_code == 404 and refused.json()["error"]["code"] == "not_found"
    for url in (f"/templates/{template.pk}/image/", f"/ads/{ad.pk}/image/", f"/ads/{ad.pk}/download/"):
        assert member_client.get(url).status_code == 404


@pytest.mark.django_db
def test_the_download_is_named_and_typed_after_what_is_stored(ad, member_client):
    stored = default_storage.save("ads/ad.png", ContentFile(encoded("JPEG")))
    GeneratedAd.objects.filter(pk=ad.pk).update(image=stored)
    response = member_client.get(f"/ads/{ad.pk}/download/")
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"].startswith("attachment") and '.jpg"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    thumbnail = member_client.get(f"/ads/{ad.pk}/image/")
    assert thumbnail.status_code == 200 and thumbnail["Content-Type"] == "image/jpeg"
