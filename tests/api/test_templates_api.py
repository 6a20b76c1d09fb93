"""Templates: the visible library with filters, and the selection preview with scores."""

import pytest

from templates.models import ScrapedTemplate


@pytest.mark.django_db
def test_list_filters(api, catalog):
    def names(query: str) -> list[str]:
        response = api.get(f"/api/v1/templates/{query}")
        assert response.status_code == 200, response.json()
        return [row["name"] for row in response.json()["results"]]

    assert names("") == ["acme template 1", "acme template 2", "acme template 3"]
    assert names("?category=testimonial") == ["acme template 2"]
    assert names("?awareness_level=3") == ["acme template 3"]
    assert names("?target_sex=male") == ["acme template 2"]
    ScrapedTemplate.objects.filter(pk=catalog.templates[0].pk).update(industry="skincare")
    assert names("?industry=skincare&category=offer") == ["acme template 1"]
    assert api.get("/api/v1/templates/?awareness_level=9").status_code == 400


@pytest.mark.django_db
def test_list_rows_carry_evaluation_detection_and_image(api, catalog):
    ScrapedTemplate.objects.filter(pk=catalog.templates[2].pk).update(is_active=False)
    rows = api.get("/api/v1/templates/").json()["results"]
    assert [row["id"] for row in rows] == [t.pk for t in catalog.templates[:2]]
    first, second = rows
    assert first["evaluation"] == {"d1": 2, "d2": 3, "d3": 2, "d4": 1, "d5": 2, "d6": True}
    assert second["evaluation"] is None
    assert first["has_detection"] is True and first["is_private"] is False
    assert first["image_url"] == f"http://testserver/api/v1/templates/{first['id']}/image/"
    image = api.get(first["image_url"])
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    assert b"".join(image.streaming_content).startswith(b"\x89PNG")


@pytest.mark.django_db
def test_selection_preview_returns_scores_and_reproduces_with_the_seed(api, catalog):
    request = {"product_id": catalog.product.pk, "mode": "smart_select", "count": 2, "seed": 1234}
    response = api.post("/api/v1/templates/selection-preview/", request, format="json")
    assert response.status_code == 200, response.json()
    result = response.json()
    assert result["seed"] == 1234 and result["empty"] is False and result["reason"] is None
    assert len(result["template_ids"]) == 2 == len(result["scores"]) == len(result["templates"])
    assert [t["id"] for t in result["templates"]] == result["template_ids"]
    scorer_names = {"asset_match", "belief_clarity", "awareness_align", "audience_match", "unused_bonus",
                    "category_match", "composite"}
    for row in result["templates"]:
        assert set(row["scores"]) == scorer_names
        assert all(0.0 <= value <= 1.0 for value in row["scores"].values())
    assert result["weights"]["asset_match"] == 1.0
    assert result["steps"][0]["candidates_before_gate"] == 3
    again = api.post("/api/v1/templates/selection-preview/", request, format="json").json()
    assert again["template_ids"] == result["template_ids"]
    unseeded = api.post("/api/v1/templates/selection-preview/", {**request, "seed": None}, format="json").json()
    assert isinstance(unseeded["seed"], int)


@pytest.mark.django_db
def test_selection_preview_with_category_and_fallback(api, catalog):
    request = {"product_id": catalog.product.pk, "mode": "roll_the_dice", "count": 1, "category": "testimonial",
               "seed": 5}
    result = api.post("/api/v1/templates/selection-preview/", request, format="json").json()
    assert result["template_ids"] == [catalog.templates[1].pk] and result["category"] == "testimonial"
    everything = api.post("/api/v1/templates/selection-preview/", {**request, "category": "All", "count": 3},
                          format="json").json()
    assert sorted(everything["template_ids"]) == [t.pk for t in catalog.templates]
    assert everything["category"] is None


@pytest.mark.django_db
def test_selection_preview_validation(api, catalog, other_catalog):
    bad = api.post("/api/v1/templates/selection-preview/", {"mode": "manual", "count": 0}, format="json")
    assert bad.status_code == 400
    assert set(bad.json()["error"]["fields"]) == {"product_id", "mode", "count"}
    foreign = api.post("/api/v1/templates/selection-preview/",
                       {"product_id": other_catalog.product.pk, "mode": "smart_select"}, format="json")
    assert foreign.json()["error"]["fields"] == {"product_id": ["no such product in your organization"]}
    foreign_persona = api.post("/api/v1/templates/selection-preview/",
                               {"product_id": catalog.product.pk, "mode": "smart_select",
                                "persona_id": other_catalog.persona.pk}, format="json")
    assert "persona_id" in foreign_persona.json()["error"]["fields"]
