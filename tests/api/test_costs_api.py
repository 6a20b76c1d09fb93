"""Money (issue 17 item 4): the ledger's real cost per job (beside its estimate), per approved
ad, per brand and month — in the API, tenant-scoped, local providers free, set-based queries."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from adcreator.calls.models import ProviderCall
from adcreator.calls.selectors import spend_by_brand_month, spend_by_job
from generation.models import GeneratedAd
from review.services import review_override_create
from rest_framework.test import APIClient

from tests.api.conftest import make_run_with_ads

pytestmark = pytest.mark.django_db


def record(run, *, provider="gemini", cost="0.039", purpose="image_generation", n=1, ad=None, when=None):
    rows = ProviderCall.objects.bulk_create([
        ProviderCall(organization_id=run.job.organization_id, brand_id=run.job.brand_id, job_run=run, ad=ad,
                     purpose=purpose, provider=provider, model="m", cost_usd=Decimal(cost), outcome="ok")
        for _ in range(n)])
    if when is not None:
        ProviderCall.objects.filter(pk__in=[r.pk for r in rows]).update(created_at=when)


def test_spend_per_job_and_per_approved_ad_follow_the_ledger_and_overrides(catalog, alice):
    job, run, ad_run = make_run_with_ads(catalog, ads=4)
    record(run, n=4)  # 4 × $0.039 billed
    record(run, provider="local", cost="0", purpose="defect_scan", n=4)
    spend = spend_by_job(job_ids=[job.pk], estimates={job.pk: Decimal("0.20")})[job.pk]
    assert spend.cost_usd == Decimal("0.156") and spend.calls == 8 and spend.billed_calls == 4
    assert not spend.local_only and spend.approved_ads == 4
    assert spend.cost_per_approved_ad_usd == Decimal("0.039") and spend.vs_estimate_usd == Decimal("-0.044")
    ad = GeneratedAd.objects.filter(ad_run=ad_run).first()
    review_override_create(ad=ad, user=None, action="override_reject", note="")
    assert spend_by_job(job_ids=[job.pk])[job.pk].cost_per_approved_ad_usd == Decimal("0.052")


def test_local_providers_are_free_and_say_so(api, catalog):
    job, run, _ = make_run_with_ads(catalog, ads=2)
    record(run, provider="local", cost="0", n=3)
    cost = api.get(f"/api/v1/jobs/{job.pk}/").json()["cost"]
    assert cost["local_providers_free"] is True and Decimal(cost["actual_usd"]) == 0
    assert cost["billed_calls"] == 0 and cost["calls"] == 3 and cost["approved_ads"] == 2
    # The estimate is labelled as one, at list prices, never presented as charged.
    assert Decimal(cost["estimate_usd"]) > 0 and "estimate" in cost["estimate_basis"]


def test_spend_queries_do_not_grow_with_jobs(catalog):
    def queries(n_jobs):
        jobs = []
        for _ in range(n_jobs):
            job, run, _ = make_run_with_ads(catalog, ads=2)
            record(run, n=2)
            jobs.append(job.pk)
        with CaptureQueriesContext(connection) as captured:
            spend_by_job(job_ids=jobs)
            spend_by_brand_month(organization_ids=[catalog.org.pk])
        return len(captured)

    assert queries(1) == queries(6) == 4


def test_costs_endpoint_per_brand_and_month(api, catalog):
    _, run, _ = make_run_with_ads(catalog, ads=2)
    record(run, n=2)
    last_month = timezone.now().replace(day=1) - timedelta(days=3)
    record(run, n=1, cost="0.5", when=last_month)
    body = api.get("/api/v1/costs/").json()
    months = body["months"]
    assert [m["month"] for m in months] == [timezone.now().strftime("%Y-%m"), last_month.strftime("%Y-%m")]
    this = months[0]
    assert this["brand_id"] == catalog.brand.pk and this["brand_name"] == catalog.brand.name
    assert Decimal(this["spend"]["actual_usd"]) == Decimal("0.078") and this["spend"]["approved_ads"] == 2
    assert Decimal(this["spend"]["cost_per_approved_ad_usd"]) == Decimal("0.039")
    only = api.get(f"/api/v1/costs/?brand={catalog.brand.pk}&month={last_month:%Y-%m}").json()["months"]
    assert len(only) == 1 and Decimal(only[0]["spend"]["actual_usd"]) == Decimal("0.5")


def test_costs_endpoint_is_tenant_scoped_and_refuses_bad_input(api, intruder, catalog, other_catalog):
    _, run, _ = make_run_with_ads(catalog, ads=1)
    record(run, n=1)
    assert intruder.get("/api/v1/costs/").json()["months"] == []
    other_brand = intruder.get(f"/api/v1/costs/?brand={catalog.brand.pk}")
    assert other_brand.status_code == 200 and other_brand.json()["months"] == []
    for bad in ("2026-13", "26-01", "december", "2026-1"):
        response = api.get(f"/api/v1/costs/?month={bad}")
        assert response.status_code == 400 and "YYYY-MM" in response.json()["error"]["fields"]["month"][0]
    assert api.get("/api/v1/costs/?brand=abc").json()["error"]["fields"].keys() == {"brand"}
    assert APIClient().get("/api/v1/costs/").status_code == 401


def test_costs_endpoint_queries_do_not_grow(api, catalog):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert api.get("/api/v1/costs/").status_code == 200
        return len(captured)

    _, run, _ = make_run_with_ads(catalog, ads=1)
    record(run, n=1)
    few = queries()
    for months_back in range(1, 6):
        _, run, _ = make_run_with_ads(catalog, ads=2)
        record(run, n=3, when=timezone.now() - timedelta(days=31 * months_back))
    assert queries() == few
