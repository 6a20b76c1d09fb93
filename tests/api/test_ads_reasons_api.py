"""The ads API says why each ad was decided (issue 16 item 4) and refuses unknown filters (issue 17)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from generation.models import GeneratedAd
from tests.api.conftest import make_run_with_ads
from tests.support.reviews import ChosenJudge, review_with

FLOORED = ChosenJudge(checks={"V1": (1.5, "the product is not where the layout puts it", (0.2, 0.3, 0.6, 0.8))})


@pytest.mark.django_db
def test_detail_and_list_carry_the_decisive_reason_failed_checks_and_regions(api, catalog):
    _, _, ad_run = make_run_with_ads(catalog, ads=2)
    rejected, approved = GeneratedAd.objects.filter(ad_run=ad_run).order_by("prompt_index")
    review_with(rejected, FLOORED)
    review_with(approved, ChosenJudge())

    detail = api.get(f"/api/v1/ads/{rejected.pk}/").json()
    assert detail["status"] == "rejected"
    assert detail["decision"]["rule"] == "floor" and detail["decision"]["code"] == "V1"
    assert detail["decision"]["score"] == 1.5 and detail["decision"]["limit"] == 3.0
    assert "the product is not where the layout puts it" in detail["decision"]["reason"]
    assert detail["decision"]["region"] == [0.2, 0.3, 0.6, 0.8]
    assert len(detail["findings"]) == 20
    v1 = next(f for f in detail["findings"] if f["code"] == "V1")
    assert v1 == {"stage": 2, "code": "V1", "score": 1.5, "confidence": None, "failed": True, "decisive": True,
                  "reason": "the product is not where the layout puts it", "region": [0.2, 0.3, 0.6, 0.8],
                  "provider": "chosen"}
    assert [f["code"] for f in detail["failed_findings"]] == ["V1"]

    rows = {row["id"]: row for row in api.get(f"/api/v1/ads/?ad_run={ad_run.pk}").json()["results"]}
    assert rows[rejected.pk]["decision"]["code"] == "V1"
    assert rows[rejected.pk]["failed_findings"][0]["region"] == [0.2, 0.3, 0.6, 0.8]
    assert rows[approved.pk]["decision"]["rule"] == "pass_threshold" and rows[approved.pk]["failed_findings"] == []
    assert "findings" not in rows[approved.pk]  # the full list is the detail's


@pytest.mark.django_db
def test_an_ad_reviewed_before_reasons_were_stored_says_null_not_a_made_up_reason(api, catalog):
    _, _, ad_run = make_run_with_ads(catalog, ads=1)
    body = api.get(f"/api/v1/ads/{ad_run.ads.get().pk}/").json()
    assert body["decision"] is None and body["findings"] == [] and body["failed_findings"] == []


@pytest.mark.django_db
@pytest.mark.parametrize("query,unknown", [("?job_run=5", "job_run"), ("?status=approved&run=3", "run"),
                                           ("?Status=approved", "Status")])
def test_an_unknown_filter_is_a_400_naming_it(api, catalog, query, unknown):
    make_run_with_ads(catalog, ads=2)
    response = api.get(f"/api/v1/ads/{query}")
    assert response.status_code == 400
    body = response.json()
    assert unknown in str(body) and "ad_run" in str(body)  # names the parameter and what to use


@pytest.mark.django_db
def test_known_filters_and_pagination_still_answer(api, catalog):
    _, _, ad_run = make_run_with_ads(catalog, ads=3)
    response = api.get(f"/api/v1/ads/?ad_run={ad_run.pk}&page=1&page_size=2&ordering=oldest")
    assert response.status_code == 200 and response.json()["count"] == 3


@pytest.mark.django_db
def test_the_reasons_cost_one_query_for_the_whole_list(api, catalog):
    _, _, ad_run = make_run_with_ads(catalog, ads=3)
    for ad in ad_run.ads.all():
        review_with(ad, FLOORED)
    with CaptureQueriesContext(connection) as few:
        assert api.get("/api/v1/ads/?page_size=200").status_code == 200
    _, _, more = make_run_with_ads(catalog, ads=12)
    for ad in more.ads.all():
        review_with(ad, FLOORED)
    with CaptureQueriesContext(connection) as many:
        assert len(api.get("/api/v1/ads/?page_size=200").json()["results"]) == 15
    assert len(few) == len(many)


@pytest.mark.django_db
def test_edit_headline_through_the_api_submits_a_job_with_lineage(api, catalog, intruder):
    from experiments.models_evolution import Evolution

    _, _, ad_run = make_run_with_ads(catalog, ads=1)
    ad = ad_run.ads.get()
    response = api.post(f"/api/v1/ads/{ad.pk}/edit-headline/", {"headline": "Calm skin by sunrise"}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["parent_ad"], body["mode"], body["variable"], body["to_value"]) == (ad.pk, "edit", "headline",
                                                                                   "Calm skin by sunrise")
    assert Evolution.objects.get(pk=body["id"]).job.parameters["headline"] == "Calm skin by sunrise"
    same = api.post(f"/api/v1/ads/{ad.pk}/edit-headline/", {"headline": ad.headline}, format="json")
    assert same.status_code == 400 and "already" in same.json()["error"]["fields"]["headline"][0]
    assert api.post(f"/api/v1/ads/{ad.pk}/edit-headline/", {"headline": 5}, format="json").status_code == 400
    assert intruder.post(f"/api/v1/ads/{ad.pk}/edit-headline/", {"headline": "Mine now"}, format="json").status_code == 404
