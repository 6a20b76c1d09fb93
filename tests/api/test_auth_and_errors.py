"""Token auth, 401 for anonymous callers, and the one error shape."""

import pytest
from rest_framework.test import APIClient

from adcreator.api.errors import flatten_field_errors

PROTECTED = [
    ("get", "/api/v1/jobs/"), ("post", "/api/v1/jobs/"), ("get", "/api/v1/jobs/1/"),
    ("post", "/api/v1/jobs/1/run-now/"), ("post", "/api/v1/estimate/"), ("get", "/api/v1/ads/"),
    ("get", "/api/v1/ads/1/"), ("get", "/api/v1/ads/1/image/"), ("get", "/api/v1/templates/1/image/"),
    ("get", "/api/v1/ads/1/overrides/"), ("post", "/api/v1/ads/1/overrides/"),
    ("get", "/api/v1/templates/"), ("post", "/api/v1/templates/selection-preview/"),
]


def test_nested_serializer_errors_flatten_to_dotted_paths():
    detail = {"template_selection": {"mode": ["not a choice"]}, "sizes": {0: ["bad size"]},
              "non_field_errors": ["whole request"], "__all__": ["also whole"],
              "items": [{}, {"name": ["required"]}]}
    assert flatten_field_errors(detail) == {
        "template_selection.mode": ["not a choice"], "sizes.0": ["bad size"],
        "non_field_errors": ["whole request", "also whole"], "items.1.name": ["required"],
    }
    assert flatten_field_errors(["just a message"]) == {"non_field_errors": ["just a message"]}


@pytest.mark.django_db
def test_token_for_username_and_password(alice):
    client = APIClient()
    response = client.post("/api/v1/auth/token/", {"username": "alice", "password": "pw-alice"}, format="json")
    assert response.status_code == 200
    token = response.json()["token"]
    assert len(token) == 40
    again = client.post("/api/v1/auth/token/", {"username": "alice", "password": "pw-alice"}, format="json")
    assert again.json()["token"] == token  # one token per user, not one per login
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/v1/jobs/").status_code == 200


@pytest.mark.django_db
def test_wrong_password_is_a_field_error_in_the_error_shape(alice):
    response = APIClient().post("/api/v1/auth/token/", {"username": "alice", "password": "nope"}, format="json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert "non_field_errors" in error["fields"]
    missing = APIClient().post("/api/v1/auth/token/", {}, format="json").json()["error"]
    assert set(missing["fields"]) == {"username", "password"}


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "url"), PROTECTED)
def test_anonymous_callers_get_401_with_a_challenge(method, url):
    response = getattr(APIClient(), method)(url, {}, format="json")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Token'
    assert response.json() == {"error": {"code": "not_authenticated", "message": response.json()["error"]["message"],
                                         "fields": {}}}
    assert response.json()["error"]["message"]


@pytest.mark.django_db
def test_a_bad_token_is_401(alice):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
    response = client.get("/api/v1/jobs/")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "authentication_failed"


@pytest.mark.django_db
def test_unknown_object_and_page_are_404_in_the_error_shape(api):
    missing = api.get("/api/v1/jobs/999999/")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"
    past_the_end = api.get("/api/v1/ads/?page=9")
    assert past_the_end.status_code == 404
    assert past_the_end.json()["error"]["fields"] == {}


@pytest.mark.django_db
def test_method_not_allowed_keeps_the_shape(api):
    response = api.delete("/api/v1/jobs/")
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"


@pytest.mark.django_db
def test_token_endpoint_throttles_password_guessing(alice, settings):
    client = APIClient()
    responses = [client.post("/api/v1/auth/token/", {"username": "alice", "password": f"guess{i}"}, format="json")
                 for i in range(settings.ADCREATOR_LOGIN_FAILURES_PER_ACCOUNT + 1)]
    assert [r.status_code for r in responses[:-1]] == [400] * settings.ADCREATOR_LOGIN_FAILURES_PER_ACCOUNT
    assert responses[-1].status_code == 429 and int(responses[-1]["Retry-After"]) > 0


@pytest.mark.django_db
def test_schema_and_docs_are_served(api):
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    assert "/api/v1/jobs/" in schema.json()["paths"]
    assert api.get("/api/docs/").status_code == 200
