"""A viewer sees the organization's work but cannot submit, override or retry — at every door."""

import pytest
from django.core.exceptions import PermissionDenied
from rest_framework.test import APIClient

from generation.models import AdRun, GeneratedAd
from generation.services import ad_creation_submit, ad_run_retry_rejected
from review.services import review_override_create
from tests.support.catalog import build_catalog


@pytest.fixture
def setup(org, make_member):
    cat = build_catalog(org, templates=1)
    viewer = make_member(org, "vera", role="viewer")
    editor = make_member(org, "eddie", role="editor")
    run = AdRun.objects.create(organization=org, brand=cat.brand, product=cat.product)
    ad = GeneratedAd.objects.create(ad_run=run, prompt_index=1, canvas_size="1080x1080", color_mode="brand",
                                    status="rejected", ai_status="rejected")
    params = {"brand_id": cat.brand.pk, "product_id": cat.product.pk,
              "template_selection": {"mode": "manual", "template_ids": [cat.templates[0].pk]},
              "sizes": ["1:1"], "color_modes": ["brand"]}
    return cat, viewer, editor, ad, params


@pytest.mark.django_db
def test_services_refuse_a_viewer_and_accept_an_editor(setup):
    cat, viewer, editor, ad, params = setup
    with pytest.raises(PermissionDenied):
        ad_creation_submit(organization=cat.org, user=viewer, parameters=params)
    with pytest.raises(PermissionDenied):
        review_override_create(ad=ad, user=viewer, action="override_approve")
    with pytest.raises(PermissionDenied):
        ad_run_retry_rejected(ad_run=ad.ad_run, user=viewer)
    assert ad_creation_submit(organization=cat.org, user=editor, parameters=params).jobs
    assert review_override_create(ad=ad, user=editor, action="override_approve").resulting_status == "approved"


@pytest.mark.django_db
def test_the_api_answers_403_to_a_viewer(setup):
    cat, viewer, _, ad, params = setup
    api = APIClient()
    api.force_authenticate(viewer)
    assert api.get("/api/v1/ads/").status_code == 200  # viewing is fine
    response = api.post("/api/v1/jobs/", params, format="json")
    assert response.status_code == 403 and response.json()["error"]["code"]
    assert api.post(f"/api/v1/ads/{ad.pk}/overrides/", {"action": "confirm"}, format="json").status_code == 403


@pytest.mark.django_db
def test_the_pages_answer_403_to_a_viewer(setup, client):
    _, viewer, _, ad, _ = setup
    client.force_login(viewer)
    assert client.get("/results/").status_code == 200
    from django.urls import reverse

    response = client.post(reverse("ad-override", args=[ad.pk]), {"action": "override_approve"})
    assert response.status_code == 403
    ad.refresh_from_db()
    assert ad.status == "rejected"
