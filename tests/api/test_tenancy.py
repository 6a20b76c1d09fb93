"""A member of organization B enumerating organization A's objects finds nothing."""

import pytest
from django.core.files.base import ContentFile
from PIL import Image

from adcreator.jobs.models import JobRun
from generation.models import GeneratedAd
from review.models import AdReviewOverride
from review.services import review_override_create
from templates.models import ScrapedTemplate
from tests.api.conftest import make_run_with_ads, manual_job_parameters
from tests.support.catalog import png_bytes


@pytest.fixture
def acme_data(catalog, alice):
    job, run, ad_run = make_run_with_ads(catalog, ads=3)
    ad = GeneratedAd.objects.filter(ad_run=ad_run).first()
    override = review_override_create(ad=ad, user=alice, action="confirm")
    ad.image.save("ad.png", ContentFile(png_bytes(Image.new("RGB", (108, 108), "white"))), save=True)
    # acme's templates become acme's private uploads.
    ScrapedTemplate.objects.filter(pk__in=[t.pk for t in catalog.templates]).update(organization=catalog.org)
    return {"job": job, "run": run, "ad_run": ad_run, "ad": ad, "override": override,
            "template": catalog.templates[0]}


@pytest.mark.django_db
def test_lists_show_nothing_of_another_organization(intruder, acme_data, catalog, other_catalog):
    assert intruder.get("/api/v1/jobs/").json()["count"] == 0
    assert intruder.get("/api/v1/ads/").json()["count"] == 0
    assert intruder.get(f"/api/v1/ads/?ad_run={acme_data['ad_run'].pk}").json()["count"] == 0
    assert intruder.get(f"/api/v1/ads/?brand={catalog.brand.pk}").json()["count"] == 0
    templates = intruder.get("/api/v1/templates/?page_size=200").json()["results"]
    assert {row["id"] for row in templates} == {t.pk for t in other_catalog.templates}


@pytest.mark.django_db
def test_every_object_of_another_organization_is_404(intruder, acme_data):
    job, ad = acme_data["job"], acme_data["ad"]
    runs_before = JobRun.objects.filter(job=job).count()
    for method, url, body in [
        ("get", f"/api/v1/jobs/{job.pk}/", None),
        ("post", f"/api/v1/jobs/{job.pk}/run-now/", None),
        ("get", f"/api/v1/ads/{ad.pk}/", None),
        ("get", f"/api/v1/ads/{ad.pk}/image/", None),
        ("get", f"/api/v1/templates/{acme_data['template'].pk}/image/", None),
        ("get", f"/api/v1/ads/{ad.pk}/overrides/", None),
        ("post", f"/api/v1/ads/{ad.pk}/overrides/", {"action": "override_reject"}),
    ]:
        response = getattr(intruder, method)(url, body, format="json")
        assert response.status_code == 404, (method, url)
        assert response.json()["error"]["code"] == "not_found"
    assert JobRun.objects.filter(job=job).count() == runs_before
    assert AdReviewOverride.objects.filter(ad=ad).count() == 1
    assert GeneratedAd.objects.get(pk=ad.pk).status == "approved"


@pytest.mark.django_db
def test_another_organizations_ids_cannot_be_used_in_requests(intruder, acme_data, catalog, other_catalog):
    own_brand_foreign_templates = manual_job_parameters(
        other_catalog, template_selection={"mode": "manual", "template_ids": [t.pk for t in catalog.templates]})
    response = intruder.post("/api/v1/jobs/", own_brand_foreign_templates, format="json")
    assert response.status_code == 400
    assert "template_selection.template_ids" in response.json()["error"]["fields"]
    foreign_product = intruder.post("/api/v1/templates/selection-preview/",
                                    {"product_id": catalog.product.pk, "mode": "roll_the_dice"}, format="json")
    assert foreign_product.status_code == 400
    preview = intruder.post("/api/v1/templates/selection-preview/",
                            {"product_id": other_catalog.product.pk, "mode": "roll_the_dice", "count": 20,
                             "seed": 3}, format="json").json()
    # acme's private templates are never candidates for globex's product.
    assert set(preview["template_ids"]) == {t.pk for t in other_catalog.templates}


@pytest.mark.django_db
def test_a_member_of_both_organizations_sees_both(make_member, acme_data, catalog, other_catalog):
    from adcreator.catalog.models import Membership
    from tests.api.conftest import token_client

    both = make_member(catalog.org, "bob")
    Membership.objects.create(user=both, organization=other_catalog.org)
    make_run_with_ads(other_catalog, ads=2)
    client = token_client(both)
    assert client.get("/api/v1/jobs/").json()["count"] == 2
    assert client.get("/api/v1/ads/").json()["count"] == 5


@pytest.mark.django_db
def test_a_user_without_membership_sees_nothing(acme_data, django_user_model):
    from tests.api.conftest import token_client

    loner = token_client(django_user_model.objects.create_user(username="loner", password="pw-loner"))
    assert loner.get("/api/v1/jobs/").json()["count"] == 0
    assert loner.get("/api/v1/ads/").json()["count"] == 0
    assert loner.get("/api/v1/templates/").json()["count"] == 0  # acme's are private, no shared ones
    assert loner.get(f"/api/v1/ads/{acme_data['ad'].pk}/").status_code == 404
