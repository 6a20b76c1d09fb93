"""Jobs: submit (with guardrails and splits), list, detail with runs, run now; the estimate."""

import pytest

from adcreator.jobs.models import Job, JobRun
from tests.api.conftest import make_run_with_ads, manual_job_parameters


@pytest.mark.django_db
def test_create_returns_the_job_estimate_and_selection(api, catalog):
    response = api.post("/api/v1/jobs/", {**manual_job_parameters(catalog), "name": "Spring"}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["was_split"] is False and body["parts"] == []
    [job] = body["jobs"]
    assert job["name"] == "Spring" and job["job_type"] == "ad_creation_v2"
    assert job["organization"] == catalog.org.pk and job["brand"] == catalog.brand.pk
    assert job["latest_run"]["status"] == "pending"  # queued on commit
    estimate = body["estimate"]
    assert estimate["attempts"] == 2 and estimate["tier"] == "small" and estimate["cap"] == 50
    assert {line["purpose"] for line in estimate["lines"]} >= {"image_generation", "defect_scan"}
    stored = Job.objects.get(pk=job["id"])
    assert stored.created_by.username == "alice"
    assert stored.parameters["template_selection"]["template_ids"] == [t.pk for t in catalog.templates[:2]]


@pytest.mark.django_db
def test_smart_select_submission_returns_the_drawn_templates_and_seed(api, catalog):
    body = manual_job_parameters(catalog, template_selection={"mode": "smart_select", "count": 2, "seed": 7})
    response = api.post("/api/v1/jobs/", body, format="json")
    assert response.status_code == 201, response.json()
    selection = response.json()["selection"]
    assert selection["seed"] == 7 and len(selection["template_ids"]) == 2
    assert all("composite" in scores for scores in selection["scores"])


@pytest.mark.django_db
def test_over_the_cap_is_split_and_the_parts_are_returned(api, catalog):
    catalog.org.attempt_cap = 4
    catalog.org.save()
    body = manual_job_parameters(catalog, sizes=["1:1", "4:5"], color_modes=["original", "brand"], confirmed=True,
                                 template_selection={"mode": "manual", "template_ids": [t.pk for t in catalog.templates]})
    response = api.post("/api/v1/jobs/", body, format="json")
    assert response.status_code == 201, response.json()
    result = response.json()
    assert result["was_split"] is True and result["estimate"]["tier"] == "over_cap"
    assert len(result["jobs"]) == len(result["parts"]) == 3
    assert [part["attempts"] for part in result["parts"]] == [4, 4, 4]
    assert [job["split_index"] for job in result["jobs"]] == [1, 2, 3]
    assert [job["latest_run"] is not None for job in result["jobs"]] == [True, False, False]


@pytest.mark.django_db
def test_shape_errors_are_field_errors(api, catalog):
    body = manual_job_parameters(catalog, sizes=["7:3"], variations=0)
    body["template_selection"] = {"mode": "lucky"}
    response = api.post("/api/v1/jobs/", body, format="json")
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert set(fields) == {"sizes.0", "variations", "template_selection.mode"}
    assert Job.objects.count() == 0


@pytest.mark.django_db
def test_rule_errors_from_the_service_are_field_errors(api, catalog):
    manual_without_ids = manual_job_parameters(catalog, template_selection={"mode": "manual"})
    response = api.post("/api/v1/jobs/", manual_without_ids, format="json")
    assert response.status_code == 400
    assert "template_selection" in response.json()["error"]["fields"]

    big = manual_job_parameters(catalog, sizes=["1:1", "4:5", "9:16", "16:9"],
                                color_modes=["original", "brand", "complementary"],
                                template_selection={"mode": "manual", "template_ids": [t.pk for t in catalog.templates]})
    unconfirmed = api.post("/api/v1/jobs/", big, format="json")  # 36 attempts need a confirmation
    assert unconfirmed.status_code == 400
    assert "confirmed" in unconfirmed.json()["error"]["fields"]

    unknown_hook = api.post("/api/v1/jobs/", manual_job_parameters(catalog, hook_ids=[999999]), format="json")
    assert unknown_hook.status_code == 400
    assert "hook_ids" in unknown_hook.json()["error"]["fields"]
    assert Job.objects.count() == 0


@pytest.mark.django_db
def test_another_organizations_brand_is_unknown(api, catalog, other_catalog):
    response = api.post("/api/v1/jobs/", manual_job_parameters(other_catalog), format="json")
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"brand_id": ["no such brand in your organization"]}
    estimate = api.post("/api/v1/estimate/", manual_job_parameters(other_catalog), format="json")
    assert estimate.status_code == 400 and "brand_id" in estimate.json()["error"]["fields"]
    assert Job.objects.count() == 0


@pytest.mark.django_db
def test_list_is_newest_first_and_filters_by_type(api, catalog):
    older, _, _ = make_run_with_ads(catalog, ads=1)
    newer, run, ad_run = make_run_with_ads(catalog, ads=1)
    body = api.get("/api/v1/jobs/").json()
    assert body["count"] == 2
    assert [row["id"] for row in body["results"]] == [newer.pk, older.pk]
    assert body["results"][0]["latest_run"]["ad_run_id"] == ad_run.pk
    assert api.get("/api/v1/jobs/?job_type=meta_sync").json()["count"] == 0
    assert api.get("/api/v1/jobs/?job_type=nonsense").status_code == 400


@pytest.mark.django_db
def test_detail_has_runs_progress_and_ad_run(api, catalog):
    job, run, ad_run = make_run_with_ads(catalog, ads=2)
    body = api.get(f"/api/v1/jobs/{job.pk}/").json()
    assert body["ad_run_id"] == ad_run.pk
    assert body["progress"] == {"ads_attempted": 2, "ads_approved": 2, "current_step": "done"}
    assert [r["id"] for r in body["runs"]] == [run.pk]
    assert body["runs"][0]["status"] == "completed" and body["runs"][0]["ad_run_id"] == ad_run.pk
    assert body["parameters"]["sizes"] == ["1:1"]


@pytest.mark.django_db
def test_run_now_queues_a_fresh_run(api, catalog):
    job, first_run, _ = make_run_with_ads(catalog, ads=1)
    response = api.post(f"/api/v1/jobs/{job.pk}/run-now/")
    assert response.status_code == 202
    run = response.json()
    assert run["status"] == "pending" and run["id"] != first_run.pk and run["ad_run_id"] is None
    assert JobRun.objects.filter(job=job).count() == 2
    detail = api.get(f"/api/v1/jobs/{job.pk}/").json()
    assert detail["latest_run"]["id"] == run["id"] and detail["progress"] == {}


@pytest.mark.django_db
def test_estimate_creates_nothing(api, catalog):
    body = manual_job_parameters(catalog, sizes=["1:1", "4:5", "9:16"], color_modes=["original", "brand"],
                                 template_selection={"mode": "manual", "template_ids": [t.pk for t in catalog.templates]})
    response = api.post("/api/v1/estimate/", body, format="json")
    assert response.status_code == 200, response.json()
    estimate = response.json()
    assert estimate["attempts"] == 18 and estimate["tier"] == "estimate"
    assert estimate["requires_confirmation"] is False and estimate["blocked"] is False
    # 18 × (0.039 + 0.002 + 0.005 + 0.3 × 0.005) + 3 hooks × 0.001 = 0.858 → 0.86
    assert estimate["total_usd"] == "0.86"
    assert Job.objects.count() == 0 and JobRun.objects.count() == 0
    invalid = api.post("/api/v1/estimate/", {**body, "variations": 11}, format="json")
    assert invalid.status_code == 400 and "variations" in invalid.json()["error"]["fields"]
