"""List endpoints run a fixed number of queries, whatever the number of rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from adcreator.jobs.models import JobRun
from generation.models import GeneratedAd
from review.services import review_override_create
from templates.models import ScrapedTemplate, TemplateEvaluation
from tests.api.conftest import make_run_with_ads

# Auth (token + user), memberships, count, page; a list may add one prefetch on top.
MAX_LIST_QUERIES = 6


def queries_for(client, url: str) -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.json()
    return len(captured), response.json()


@pytest.mark.django_db
def test_ads_list_queries_do_not_grow_with_ads(api, catalog):
    make_run_with_ads(catalog, ads=5)
    few, body = queries_for(api, "/api/v1/ads/?page_size=200")
    assert body["count"] == 5
    make_run_with_ads(catalog, ads=45)
    many, body = queries_for(api, "/api/v1/ads/?page_size=200")
    assert body["count"] == 50
    assert few == many <= MAX_LIST_QUERIES


@pytest.mark.django_db
def test_jobs_list_queries_do_not_grow_with_jobs_or_runs(api, catalog):
    for _ in range(5):
        make_run_with_ads(catalog, ads=1)
    few, body = queries_for(api, "/api/v1/jobs/")
    assert body["count"] == 5
    for _ in range(45):
        job, _, _ = make_run_with_ads(catalog, ads=1)
        JobRun.objects.create(job=job)  # a second run per job
    many, body = queries_for(api, "/api/v1/jobs/")
    assert body["count"] == 50 and all(row["latest_run"]["status"] == "pending" for row in body["results"][:45])
    assert few == many <= MAX_LIST_QUERIES


@pytest.mark.django_db
def test_templates_list_queries_do_not_grow_with_templates(api, catalog):
    few, body = queries_for(api, "/api/v1/templates/?page_size=200")
    assert body["count"] == 3
    template = catalog.templates[0]
    for index in range(47):
        template.pk = None
        template.name = f"copy {index}"
        template.save()
        if index % 2:
            TemplateEvaluation.objects.create(template=template, d1=1, d2=1, d3=1, d4=1, d5=1)
    many, body = queries_for(api, "/api/v1/templates/?page_size=200")
    assert body["count"] == 50 == ScrapedTemplate.objects.count()
    assert few == many <= MAX_LIST_QUERIES


@pytest.mark.django_db
def test_overrides_list_queries_do_not_grow_with_overrides(api, alice, catalog):
    _, _, ad_run = make_run_with_ads(catalog, ads=1, status="rejected", ai_status="rejected")
    ad = GeneratedAd.objects.get(ad_run=ad_run)
    url = f"/api/v1/ads/{ad.pk}/overrides/?page_size=200"
    for _ in range(5):
        review_override_create(ad=ad, user=alice, action="override_approve")
    few, body = queries_for(api, url)
    assert body["count"] == 5
    for _ in range(45):
        review_override_create(ad=ad, user=alice, action="confirm")
    many, body = queries_for(api, url)
    assert body["count"] == 50
    assert few == many <= MAX_LIST_QUERIES
