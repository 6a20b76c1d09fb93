"""Uploads through the admin forms are checked by content (issue 6/7)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from adcreator.catalog.models import ProductImage
from tests.support.images import bomb_png, png
from templates.models import ScrapedTemplate


@pytest.fixture
def staff_client(client, db):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.create_superuser("root", "r@example.com", "pw"))
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("payload,message", [
    (bomb_png(), "decompression bomb"),
    (png()[:50], "not a readable image"),
    (b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>", "not a readable image"),
])
def test_hostile_template_uploads_are_refused_with_a_clear_error(staff_client, payload, message):
    url = reverse("admin:templates_scrapedtemplate_add")
    response = staff_client.post(url, {
        "name": "Hostile", "source": "uploaded", "category": "offer", "times_used": 0, "is_active": "on",
        "template_elements": "{}", "width": 0, "height": 0, "image": SimpleUploadedFile("t.png", payload, "image/png"),
        "evaluation-TOTAL_FORMS": 0, "evaluation-INITIAL_FORMS": 0,
    })
    assert response.status_code == 200  # the form again, with the error
    assert message in response.content.decode().lower() or "upload a valid image" in response.content.decode().lower()
    assert not ScrapedTemplate.objects.exists()


@pytest.mark.django_db
def test_a_good_product_image_upload_is_stored(staff_client, product):
    url = reverse("admin:catalog_productimage_add")
    response = staff_client.post(url, {
        "product": product.pk, "asset_tags": '["packshot"]', "quality": 0.8, "width": 0, "height": 0,
        "image": SimpleUploadedFile("p.png", png(300, 300), "image/png"),
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    assert ProductImage.objects.count() == 1


@pytest.mark.django_db
def test_the_admin_measures_a_photos_quality_instead_of_taking_a_typed_one(staff_client, product):
    from PIL import ImageFilter

    from tests.support.catalog import bottle_photo, png_bytes

    url = reverse("admin:catalog_productimage_add")
    blurred = png_bytes(bottle_photo(1024).filter(ImageFilter.GaussianBlur(4)))
    response = staff_client.post(url, {"product": product.pk, "asset_tags": '["packshot"]', "quality": 1.0,
                                       "image": SimpleUploadedFile("p.png", blurred, "image/png")})
    assert response.status_code == 302, response.content.decode()[:2000]
    photo = ProductImage.objects.get()
    assert photo.quality < 0.3 and (photo.width, photo.height) == (1024, 1024)
