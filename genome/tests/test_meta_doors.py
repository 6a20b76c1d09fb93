"""The doors of the Meta data: the API (connection, mappings, launches, performance), the pages,
tenancy, and the token's secrecy — it appears in no answer, page, log line or run metadata."""

from __future__ import annotations

import json
import logging
from datetime import date

import pytest
from django.urls import reverse

from adcreator.calls.models import ProviderCall
from adcreator.jobs.models import JobRun
from genome.models import AdAccount, AdMapping, AdPerformanceDay
from genome.services.mapping import short_ids_in
from tests.api.conftest import make_run_with_ads, token_client
from tests.fakes.meta_fixtures import ACCOUNT
from tests.fakes.meta_graph_server import META_TEST_TOKEN
from tests.support.catalog import build_catalog

SECRET = "EAAB-this-is-a-very-secret-token-0123456789abcdef"


@pytest.fixture
def cat(org):
    return build_catalog(org)


@pytest.fixture
def alice(org, make_member):
    return make_member(org, "alice")


@pytest.fixture
def api(alice):
    return token_client(alice)


def test_short_ids_never_take_a_date_for_an_id():
    assert short_ids_in("Spring 20261201 | 0badc0de") == ["0badc0de"]
    assert short_ids_in("Launch 20261201") == []  # 8 digits: a date, never an id
    assert short_ids_in("x 1a2b3c4d5 y") == []  # nine hex digits: not a short id
    assert short_ids_in("AB12CD34 winner") == ["ab12cd34"]


@pytest.mark.django_db
def test_every_public_short_id_has_a_letter(cat):
    _, _, ad_run = make_run_with_ads(cat, ads=30)
    assert all(any(ch in "abcdef" for ch in ad.short_id) for ad in ad_run.ads.all())


@pytest.mark.django_db
def test_connection_api_never_answers_the_token(api, cat, caplog):
    caplog.set_level(logging.DEBUG)
    url = f"/api/v1/brands/{cat.brand.pk}/meta-connection/"
    put = api.put(url, {"ad_account_id": "act_555", "access_token": SECRET}, format="json")
    assert put.status_code == 200, put.content
    body = put.json()
    assert body["ad_account_id"] == "act_555" and body["has_token"] is True and body["label"] == "Simulated"
    got = api.get(url)
    assert got.status_code == 200
    for response in (put, got):
        assert SECRET not in response.content.decode()
    stored = AdAccount.objects.get(brand=cat.brand)
    assert stored.access_token_encrypted and SECRET not in stored.access_token_encrypted  # encrypted at rest
    assert SECRET not in caplog.text


@pytest.mark.django_db
def test_connection_api_field_errors_and_tenancy(api, cat, make_org):
    url = f"/api/v1/brands/{cat.brand.pk}/meta-connection/"
    bad = api.put(url, {"ad_account_id": "1234", "access_token": "x y"}, format="json")
    assert bad.status_code == 400
    assert set(bad.json()["error"]["fields"]) == {"ad_account_id", "access_token"}
    other = build_catalog(make_org("globex"), slug="globex")
    assert api.put(f"/api/v1/brands/{other.brand.pk}/meta-connection/", {"ad_account_id": "act_1"},
                   format="json").status_code == 404
    assert api.get(f"/api/v1/brands/{other.brand.pk}/meta-connection/").status_code == 404
    assert api.delete(f"/api/v1/brands/{other.brand.pk}/meta-connection/").status_code == 404


@pytest.mark.django_db
def test_a_viewer_cannot_connect(cat, make_member):
    viewer = token_client(make_member(cat.org, "vera", role="viewer"))
    response = viewer.put(f"/api/v1/brands/{cat.brand.pk}/meta-connection/", {"ad_account_id": "act_1"}, format="json")
    assert response.status_code == 403 and not AdAccount.objects.exists()


@pytest.mark.django_db
def test_brands_and_products_are_listed_per_tenant(api, cat, make_org):
    other = build_catalog(make_org("globex"), slug="globex")
    brands = api.get("/api/v1/brands/").json()["results"]
    assert [b["id"] for b in brands] == [cat.brand.pk]
    products = api.get(f"/api/v1/products/?brand={cat.brand.pk}").json()["results"]
    assert {p["brand"] for p in products} == {cat.brand.pk}
    assert api.get(f"/api/v1/products/?brand={other.brand.pk}").json()["results"] == []
    assert api.get("/api/v1/products/?brand=abc").status_code == 400


@pytest.mark.django_db
def test_mappings_are_all_or_nothing_and_tenant_scoped(api, cat, alice, make_org):
    api.put(f"/api/v1/brands/{cat.brand.pk}/meta-connection/", {"ad_account_id": "act_555"}, format="json")
    _, _, ad_run = make_run_with_ads(cat, ads=2)
    ads = list(ad_run.ads.order_by("pk"))
    other = build_catalog(make_org("globex"), slug="globex")
    _, _, foreign_run = make_run_with_ads(other, ads=1)
    foreign = foreign_run.ads.get()
    refused = api.post("/api/v1/meta/ad-mappings/", [{"generated_ad": ads[0].pk, "meta_ad_id": "111"},
                                                     {"generated_ad": foreign.pk, "meta_ad_id": "222"}], format="json")
    assert refused.status_code == 400 and "1.generated_ad" in refused.json()["error"]["fields"]
    assert not AdMapping.objects.exists()  # nothing partial
    ok = api.post("/api/v1/meta/ad-mappings/", [{"generated_ad": ads[0].pk, "meta_ad_id": "111"},
                                                {"generated_ad": ads[0].pk, "meta_ad_id": "112"},
                                                {"generated_ad": ads[1].pk, "meta_ad_id": "113"}], format="json")
    assert ok.status_code == 201 and len(ok.json()) == 3
    taken = api.post("/api/v1/meta/ad-mappings/", [{"generated_ad": ads[1].pk, "meta_ad_id": "111"}], format="json")
    assert taken.status_code == 400 and "already mapped" in json.dumps(taken.json())
    assert api.get(f"/api/v1/ads/{foreign.pk}/performance/").status_code == 404


@pytest.mark.django_db
def test_simulated_market_end_to_end_through_the_sync_path(api, cat, alice, settings):
    """Connect to the simulated market, launch approved ads, let days pass, sync: the numbers reach
    the API only through meta_sync, labelled simulated."""
    from django.core.management import call_command

    from adcreator.jobs.services import job_create, job_run_execute

    api.put(f"/api/v1/brands/{cat.brand.pk}/meta-connection/", {"ad_account_id": "act_777"}, format="json")
    _, _, ad_run = make_run_with_ads(cat, ads=3)
    ads = list(ad_run.ads.order_by("pk"))
    launched = api.post("/api/v1/meta/launches/", {"ad_ids": [ads[0].pk, ads[1].pk]}, format="json")
    assert launched.status_code == 201, launched.content
    assert api.post("/api/v1/meta/launches/", {"ad_ids": [ads[0].pk]}, format="json").status_code == 201  # idempotent
    assert AdMapping.objects.filter(origin="launch").count() == 2
    call_command("simulate_market", "--brand", cat.brand.slug, "--days", "6")
    assert not AdPerformanceDay.objects.exists()  # nothing reaches us before a sync
    job = job_create(organization=cat.org, brand=cat.brand, job_type="meta_sync", parameters={"brand_id": cat.brand.pk},
                     enqueue=False)
    run = job_run_execute(run_id=JobRun.objects.create(job=job).pk)
    assert run.status == "completed", run.error
    assert run.metadata["source"] == "simulated" and run.metadata["rows_upserted"] == 2 * 6
    answer = api.get(f"/api/v1/ads/{ads[0].pk}/performance/").json()
    assert answer["source"] == "simulated" and len(answer["meta_ad_ids"]) == 1 and len(answer["days"]) == 6
    day = answer["days"][0]
    assert day["impressions"] > 0 and 0 < day["ctr"] < 0.1  # a ratio, not a percentage
    assert day["ctr"] == pytest.approx(day["clicks"] / day["impressions"])
    assert api.get(f"/api/v1/ads/{ads[2].pk}/performance/").json() == {"source": None, "meta_ad_ids": [], "days": [],
                                                                     "reward": None}
    assert ProviderCall.objects.filter(job_run=run, provider="meta_simulated").exists()
    not_approved = ads[2]
    not_approved.status = "rejected"
    not_approved.save()
    assert api.post("/api/v1/meta/launches/", {"ad_ids": [not_approved.pk]}, format="json").status_code == 400


@pytest.mark.django_db
def test_name_fallback_maps_by_short_id_and_never_overrides_a_mapping(graph_settings, cat):
    from genome.services.connection import meta_connection_set
    from genome.services.mapping import attribute_by_name

    connected = meta_connection_set(brand=cat.brand, ad_account_id=ACCOUNT, access_token=META_TEST_TOKEN, user=None)
    _, _, ad_run = make_run_with_ads(cat, ads=2)
    first, second = ad_run.ads.order_by("pk")
    AdMapping.objects.create(account=connected, generated_ad=second, meta_ad_id="900", origin="api")
    day = date(2026, 3, 1)
    for meta_ad_id, name in (("901", f"Spring | {first.short_id}"), ("900", f"Spring | {first.short_id}"),
                             ("902", "Spring 20260301")):
        AdPerformanceDay.objects.create(account=connected, meta_ad_id=meta_ad_id, date=day, source="graph",
                                        ad_name=name, synced_at=day.isoformat() + "T00:00Z")
    assert attribute_by_name(account=connected, since=day, until=day) == 1
    assert AdMapping.objects.get(meta_ad_id="901").generated_ad == first
    assert AdMapping.objects.get(meta_ad_id="900").generated_ad == second  # the explicit mapping stands
    assert not AdMapping.objects.filter(meta_ad_id="902").exists()


@pytest.mark.django_db
def test_the_token_is_in_no_page_log_metadata_or_ledger(client, cat, alice, graph_settings, graph_server, caplog):
    from adcreator.jobs.services import job_create, job_run_execute
    from tests.fakes import meta_faults

    caplog.set_level(logging.DEBUG)
    client.force_login(alice)
    page = client.post(reverse("brand-meta", args=[cat.brand.pk]),
                       {"ad_account_id": ACCOUNT, "access_token": META_TEST_TOKEN})
    assert page.status_code == 302
    html = client.get(reverse("brand-meta", args=[cat.brand.pk])).content.decode()
    assert "stored encrypted, never shown" in html
    graph_server.inject(meta_faults.graph_error(100, "Invalid parameter"), on="report_start")
    job = job_create(organization=cat.org, brand=cat.brand, job_type="meta_sync",
                     parameters={"brand_id": cat.brand.pk, "until": "2026-03-10", "lookback_days": 10}, enqueue=False)
    job_run_execute(run_id=JobRun.objects.create(job=job).pk)
    graph_server.inject(meta_faults.token_expired(), on="report_start")
    job_run_execute(run_id=JobRun.objects.create(job=job).pk)
    html += client.get(reverse("brand-meta", args=[cat.brand.pk])).content.decode()
    html += client.get(reverse("job-detail", args=[job.pk])).content.decode()
    metadata = json.dumps(list(JobRun.objects.values_list("metadata", "error")))
    ledger = json.dumps(list(ProviderCall.objects.values_list("error", flat=True)))
    admin_user = type(alice).objects.create_superuser("root", password="pw")
    client.force_login(admin_user)
    account = AdAccount.objects.get()
    html += client.get(reverse("admin:genome_adaccount_change", args=[account.pk])).content.decode()
    assert "broken" in html.lower()
    for where, text in (("pages", html), ("metadata", metadata), ("ledger", ledger), ("logs", caplog.text)):
        assert META_TEST_TOKEN not in text, f"the token leaked into the {where}"
