"""Ads: filtered, ordered, paginated list; detail with review data; human overrides."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from generation.models import GeneratedAd
from review.models import AdReviewOverride
from tests.api.conftest import make_run_with_ads
from tests.support.catalog import png_bytes


@pytest.mark.django_db
def test_list_filters_by_status_run_template_brand_and_date(api, catalog):
    _, _, first_run = make_run_with_ads(catalog, ads=3, status="approved")
    _, _, second_run = make_run_with_ads(catalog, ads=2, status="rejected", ai_status="rejected")
    GeneratedAd.objects.filter(ad_run=second_run, prompt_index=1).update(status="flagged", ai_status="flagged")
    week_ago = timezone.now() - timedelta(days=7)
    GeneratedAd.objects.filter(ad_run=first_run).update(created_at=week_ago)

    def ids(query: str) -> set[int]:
        response = api.get(f"/api/v1/ads/{query}")
        assert response.status_code == 200, response.json()
        return {row["id"] for row in response.json()["results"]}

    first = set(GeneratedAd.objects.filter(ad_run=first_run).values_list("pk", flat=True))
    second = set(GeneratedAd.objects.filter(ad_run=second_run).values_list("pk", flat=True))
    assert ids("") == first | second
    assert ids("?status=approved") == first
    assert ids("?status=rejected&status=flagged") == second
    assert ids(f"?ad_run={second_run.pk}") == second
    template = catalog.templates[1]
    assert ids(f"?template={template.pk}") == set(
        GeneratedAd.objects.filter(template=template).values_list("pk", flat=True))
    assert ids(f"?brand={catalog.brand.pk}") == first | second
    today = timezone.now().date()
    assert ids(f"?date_from={today.isoformat()}") == second
    assert ids(f"?date_to={(today - timedelta(days=1)).isoformat()}") == first


@pytest.mark.django_db
def test_list_ordering_and_pagination(api, catalog):
    _, _, ad_run = make_run_with_ads(catalog, ads=5)
    for offset, ad in enumerate(GeneratedAd.objects.filter(ad_run=ad_run).order_by("prompt_index")):
        GeneratedAd.objects.filter(pk=ad.pk).update(created_at=timezone.now() - timedelta(minutes=10 - offset))
    newest = api.get("/api/v1/ads/?page_size=2").json()
    assert newest["count"] == 5 and newest["next"] and len(newest["results"]) == 2
    assert [row["prompt_index"] for row in newest["results"]] == [5, 4]
    oldest = api.get("/api/v1/ads/?ordering=oldest&page_size=2&page=3").json()
    assert [row["prompt_index"] for row in oldest["results"]] == [5] and oldest["next"] is None


@pytest.mark.django_db
def test_invalid_filters_are_field_errors(api, catalog):
    response = api.get("/api/v1/ads/?status=shiny&date_from=yesterday&ordering=random&ad_run=0")
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"status.0", "date_from", "ordering", "ad_run"}
    backwards = api.get("/api/v1/ads/?date_from=2025-02-02&date_to=2025-01-01")
    assert backwards.status_code == 200 and backwards.json()["count"] == 0
    blank = api.get("/api/v1/ads/?status=&brand=1.0")
    assert blank.json()["error"]["fields"] == {
        "status": ["May not be blank; leave the parameter out instead."], "brand": ["A valid integer is required."]}


@pytest.mark.django_db
def test_detail_has_image_url_and_review_data(api, catalog):
    _, run, ad_run = make_run_with_ads(catalog, ads=1)
    ad = GeneratedAd.objects.get(ad_run=ad_run)
    ad.image.save("ad.png", ContentFile(png_bytes(Image.new("RGB", (108, 108), "white"))), save=True)
    body = api.get(f"/api/v1/ads/{ad.pk}/").json()
    assert body["image_url"] == f"http://testserver/api/v1/ads/{ad.pk}/image/"
    image = api.get(body["image_url"])
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    assert b"".join(image.streaming_content) == ad.image.open("rb").read()
    assert body["job_run"] == run.pk and body["ad_run"] == ad_run.pk and body["brand"] == catalog.brand.pk
    assert body["template_name"] == ad.template.name
    assert {key: body[key] for key in ("ai_status", "status", "review_score", "congruence_score", "headline",
                                       "original_headline")} == {
        "ai_status": "approved", "status": "approved", "review_score": 7.8, "congruence_score": 0.8,
        "headline": "Headline 1", "original_headline": "Original 1"}
    assert body["defect_scan_result"] == {"passed": True}
    assert body["review_check_scores"] == {"V1": 8.0, "V2": 7.5}
    assert body["prompt"] == {"task": {"canvas_size": "1080x1080"}}
    listed = api.get("/api/v1/ads/").json()["results"][0]
    assert listed["image_url"] == body["image_url"] and "prompt" not in listed


@pytest.mark.django_db
def test_override_changes_status_and_keeps_history(api, catalog):
    _, _, ad_run = make_run_with_ads(catalog, ads=1, status="rejected", ai_status="rejected")
    ad = GeneratedAd.objects.get(ad_run=ad_run)
    url = f"/api/v1/ads/{ad.pk}/overrides/"
    approve = api.post(url, {"action": "override_approve", "note": "label is fine",
                             "check_corrections": {"V9": 8}}, format="json")
    assert approve.status_code == 201, approve.json()
    first = approve.json()
    assert first["resulting_status"] == "approved" and first["ai_status"] == "rejected"
    assert first["disagrees"] is True and first["username"] == "alice" and first["check_corrections"] == {"V9": 8.0}
    confirm = api.post(url, {"action": "confirm"}, format="json")
    assert confirm.status_code == 201 and confirm.json()["resulting_status"] == "rejected"
    history = api.get(url).json()
    assert [row["action"] for row in history["results"]] == ["confirm", "override_approve"]
    assert history["results"][1]["superseded_by"] == confirm.json()["id"]
    assert api.get(f"/api/v1/ads/{ad.pk}/").json()["status"] == "rejected"


@pytest.mark.django_db
def test_override_validation(api, catalog):
    _, _, ad_run = make_run_with_ads(catalog, ads=2, status="generated", ai_status="")
    ad = GeneratedAd.objects.filter(ad_run=ad_run).first()
    url = f"/api/v1/ads/{ad.pk}/overrides/"
    bad = api.post(url, {"action": "shrug", "check_corrections": {"V99": 3, "V1": 11}}, format="json")
    assert bad.status_code == 400
    assert set(bad.json()["error"]["fields"]) == {"action", "check_corrections.V1"}
    unknown_check = api.post(url, {"action": "confirm", "check_corrections": {"V99": 3}}, format="json")
    assert unknown_check.json()["error"]["fields"] == {"check_corrections": ["unknown checks: V99"]}
    not_reviewed = api.post(url, {"action": "override_approve"}, format="json")
    assert not_reviewed.status_code == 400
    assert "not been reviewed" in not_reviewed.json()["error"]["fields"]["non_field_errors"][0]
    assert AdReviewOverride.objects.count() == 0
    assert api.get("/api/v1/ads/999999/overrides/").status_code == 404
    no_image = api.get(f"/api/v1/ads/{ad.pk}/image/", HTTP_ACCEPT="image/png")
    assert no_image.status_code == 404 and no_image.json()["error"]["code"] == "not_found"
