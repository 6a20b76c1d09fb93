"""The experiments API: tenancy (another organization's objects are 404), roles (viewers look,
editors act), bad input as field errors, and the same services as the pages."""

from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from experiments.models import Experiment


def client_for(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


@pytest.fixture
def api(org, make_member):
    return client_for(make_member(org, "alice"))


@pytest.fixture
def viewer(org, make_member):
    return client_for(make_member(org, "vera", role="viewer"))


@pytest.fixture
def intruder(make_org, make_member):
    return client_for(make_member(make_org("globex"), "mallory"))


def fields_of(response) -> dict:
    assert response.status_code == 400, response.content
    body = response.json()["error"]
    assert body["code"] == "invalid"
    return body["fields"]


def create_body(ad, **overrides) -> dict:
    body = {"base_ad_id": ad.pk, "variable": "hook_type", "treatment_values": ["curiosity_gap"],
            "hypothesis": "Curiosity makes people click", "planned_days": 2}
    body.update(overrides)
    return body


def test_create_plan_confirm_generate_and_read_back(api, base_ad):
    created = api.post("/api/v1/experiments/", create_body(base_ad), format="json")
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["status"] == "draft" and data["planned_impressions_per_arm"] == 42_693
    assert data["baseline_source"] == "assumed" and [a["key"] for a in data["arms"]] == ["control", "t1"]
    pk = data["id"]
    replanned = api.post(f"/api/v1/experiments/{pk}/plan/", {"relative_mde": 0.3, "planned_days": 3}, format="json")
    assert replanned.status_code == 200 and replanned.json()["planned_impressions_per_arm"] < 42_693
    stale = api.post(f"/api/v1/experiments/{pk}/confirm-budget/", {"budget_estimate": "1.00"}, format="json")
    assert "budget_estimate" in fields_of(stale)
    confirmed = api.post(f"/api/v1/experiments/{pk}/confirm-budget/",
                         {"budget_estimate": replanned.json()["budget_estimate"]}, format="json")
    assert confirmed.status_code == 200 and confirmed.json()["budget_confirmed"]
    generated = api.post(f"/api/v1/experiments/{pk}/generate-arms/", format="json")
    assert generated.status_code == 200 and all(arm["job"] for arm in generated.json()["arms"])
    deploy = api.post(f"/api/v1/experiments/{pk}/deploy/", {}, format="json")
    assert fields_of(deploy)["non_field_errors"][0].startswith("Requires Meta connection")
    assert api.get(f"/api/v1/experiments/{pk}/arms/").json()[0]["value"] == "benefit_led"
    assert api.get(f"/api/v1/experiments/{pk}/analysis/").json()["count"] == 0
    listed = api.get("/api/v1/experiments/?status=draft").json()
    assert [row["id"] for row in listed["results"]] == [pk]


def test_the_calculator_stores_nothing(api, cat):
    answer = api.post("/api/v1/experiments/plan/", {"brand_id": cat.brand.pk, "baseline_ctr": 0.008,
                                                    "relative_mde": 0.2, "treatments": 2}, format="json")
    assert answer.status_code == 200
    plan = answer.json()
    assert plan["arms"] == 3 and plan["baseline_source"] == "entered" and plan["impressions_per_arm"] > 40_000
    assert plan["alpha_per_comparison"] == pytest.approx(0.025) and not Experiment.objects.exists()


@pytest.mark.parametrize("overrides, field", [
    ({"variable": "nonsense"}, "variable"),
    ({"treatment_values": []}, "treatment_values"),
    ({"treatment_values": ["benefit_led"]}, "treatment_values"),
    ({"planned_days": "7"}, "planned_days"),          # strict JSON types
    ({"relative_mde": True}, "relative_mde"),
    ({"base_ad_id": 2**63}, "base_ad_id"),
    ({"hypothesis": ""}, "hypothesis"),
])
def test_bad_input_is_a_field_error(api, base_ad, overrides, field):
    assert field in fields_of(api.post("/api/v1/experiments/", create_body(base_ad, **overrides), format="json"))


def test_bad_calculator_input(api, cat, make_org):
    assert "brand_id" in fields_of(api.post("/api/v1/experiments/plan/", {"brand_id": 99999}, format="json"))
    assert "baseline_ctr" in fields_of(api.post("/api/v1/experiments/plan/",
                                                {"brand_id": cat.brand.pk, "baseline_ctr": 1.5}, format="json"))


def test_another_organization_sees_nothing(api, intruder, base_ad):
    pk = api.post("/api/v1/experiments/", create_body(base_ad), format="json").json()["id"]
    assert intruder.get("/api/v1/experiments/").json()["count"] == 0
    for method, url in [("get", f"/api/v1/experiments/{pk}/"), ("get", f"/api/v1/experiments/{pk}/arms/"),
                        ("get", f"/api/v1/experiments/{pk}/analysis/"), ("post", f"/api/v1/experiments/{pk}/stop/"),
                        ("post", f"/api/v1/experiments/{pk}/deploy/"), ("post", f"/api/v1/experiments/{pk}/analyse/"),
                        ("get", f"/api/v1/ads/{base_ad.pk}/evolve/"), ("post", f"/api/v1/ads/{base_ad.pk}/evolve/")]:
        response = getattr(intruder, method)(url, {"mode": "cross_size"} if "evolve" in url else {}, format="json")
        assert response.status_code == 404, url
    created = intruder.post("/api/v1/experiments/", create_body(base_ad), format="json")
    assert fields_of(created) == {"base_ad_id": ["No such ad in your organizations."]}
    assert intruder.get("/api/v1/causal-effects/").json()["count"] == 0
    assert intruder.get("/api/v1/lineage/").json()["count"] == 0


def test_viewers_read_but_do_not_act(api, viewer, base_ad):
    pk = api.post("/api/v1/experiments/", create_body(base_ad), format="json").json()["id"]
    assert viewer.get(f"/api/v1/experiments/{pk}/").status_code == 200
    assert viewer.post("/api/v1/experiments/", create_body(base_ad), format="json").status_code == 403
    for action in ("confirm-budget", "generate-arms", "check-arms", "stop", "analyse", "plan"):
        assert viewer.post(f"/api/v1/experiments/{pk}/{action}/", {}, format="json").status_code == 403, action
    assert viewer.post(f"/api/v1/ads/{base_ad.pk}/evolve/", {"mode": "cross_size"}, format="json").status_code == 403


def test_evolve_through_the_api(api, base_ad, cat):
    options = api.get(f"/api/v1/ads/{base_ad.pk}/evolve/").json()
    assert options["winner"]["qualifies"] and options["winner"]["basis"] == "approval"  # no Meta connection
    modes = {m["mode"]: m for m in options["modes"]}
    assert modes["cross_size"]["ads"] == 3 and modes["cross_size"]["available"]
    assert "mode" in fields_of(api.post(f"/api/v1/ads/{base_ad.pk}/evolve/", {"mode": "teleport"}, format="json"))
    refused = api.post(f"/api/v1/ads/{base_ad.pk}/evolve/", {"mode": "competitive"}, format="json")
    assert "does not apply" in fields_of(refused)["non_field_errors"][0]
    made = api.post(f"/api/v1/ads/{base_ad.pk}/evolve/", {"mode": "cross_size"}, format="json")
    assert made.status_code == 201 and made.json()[0]["round"] == 1 and made.json()[0]["job"]
    assert api.get(f"/api/v1/lineage/?ad={base_ad.pk}").json()["count"] == 0  # its ads are not made yet
    success = api.get("/api/v1/evolution/success/").json()
    assert success["compared"] == 0 and success["rate"] is None
