"""Own templates through the API (issue 17 item 2): POST /api/v1/templates/ stores a private
template, queues its element detection at once, and only its organization ever sees it."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from adcreator.jobs.models import Job
from adcreator.jobs.services import job_run_execute
from tests.api.conftest import token_client
from tests.support.catalog import png_bytes, template_image
from templates.models import ScrapedTemplate

pytestmark = pytest.mark.django_db


def upload(client, **overrides):
    body = {"name": "Our split layout", "category": "Offer", "industry": "beauty / skincare", "awareness_level": 3,
            "image": SimpleUploadedFile("t.png", png_bytes(template_image(540, 675)))}
    body.update(overrides)
    return client.post("/api/v1/templates/", body, format="multipart")


def test_an_upload_is_private_analysed_by_a_queued_job_and_listed(api, catalog, intruder):
    response = upload(api)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["is_private"] is True and body["has_detection"] is False and body["source"] == "uploaded"
    assert (body["width"], body["height"], body["category"]) == (540, 675, "offer")
    job = Job.objects.get(pk=body["detection_job_id"])
    assert job.job_type == "template_element_detection" and job.parameters["template_ids"] == [body["id"]]
    assert job.organization_id == catalog.org.pk and job.runs.get().status == "pending"
    # The worker's run of that job analyses it.
    job_run_execute(run_id=job.runs.get().pk)
    template = ScrapedTemplate.objects.get(pk=body["id"])
    assert template.has_detection and template.template_elements
    ids = {row["id"] for row in api.get("/api/v1/templates/?page_size=200").json()["results"]}
    assert body["id"] in ids
    assert body["id"] not in {row["id"] for row in intruder.get("/api/v1/templates/?page_size=200").json()["results"]}
    assert intruder.get(f"/api/v1/templates/{body['id']}/image/").status_code == 404
    assert api.get(f"/api/v1/templates/{body['id']}/image/").status_code == 200


def test_smart_select_draws_an_own_template_for_its_organization_only(api, catalog, intruder, other_catalog):
    own = upload(api).json()["id"]
    preview = {"mode": "roll_the_dice", "count": 10, "seed": 1}
    drawn = api.post("/api/v1/templates/selection-preview/", {**preview, "product_id": catalog.product.pk},
                     format="json").json()["template_ids"]
    assert own in drawn
    theirs = intruder.post("/api/v1/templates/selection-preview/", {**preview, "product_id": other_catalog.product.pk},
                           format="json").json()["template_ids"]
    assert own not in theirs and theirs


def test_a_viewer_cannot_upload(catalog, make_member):
    viewer = token_client(make_member(catalog.org, "vera", role="viewer"))
    response = upload(viewer)
    assert response.status_code == 403
    assert "not upload them" in response.json()["error"]["message"]
    assert not ScrapedTemplate.objects.filter(source="uploaded").exists()


@pytest.mark.parametrize("overrides,field", [
    ({"image": SimpleUploadedFile("t.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>")}, "image"),
    ({"image": SimpleUploadedFile("t.png", png_bytes(template_image(40, 40)))}, "image"),
    ({"name": ""}, "name"),
    ({"category": "x" * 61}, "category"),
    ({"awareness_level": 7}, "awareness_level"),
    ({"target_sex": "robot"}, "target_sex"),
    ({"organization_id": 999999}, "organization_id"),
])
def test_bad_input_is_a_field_error_and_nothing_is_stored(api, catalog, overrides, field):
    response = upload(api, **overrides)
    assert response.status_code == 400, response.content
    assert field in response.json()["error"]["fields"]
    assert not ScrapedTemplate.objects.filter(source="uploaded").exists() and not Job.objects.exists()


def test_an_organization_of_someone_else_is_refused(api, catalog, other_catalog):
    response = upload(api, organization_id=other_catalog.org.pk)
    assert response.status_code == 400 and "organization_id" in response.json()["error"]["fields"]
