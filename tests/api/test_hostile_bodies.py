"""Issue 11: a 2 KB anonymous request must not make a 500. Too-deep JSON is a 400 and an
oversize body a 413, in the API's error shape, on every endpoint that reads a body; a real
bug is still a 500, and then it names the request id its log line carries."""

import json
import logging

import pytest
from rest_framework.test import APIClient

from tests.api.conftest import make_run_with_ads

DEEP = ("[" * 2000 + "]" * 2000).encode()  # ~4 KB; Python's json recurses once per "["


@pytest.fixture
def endpoints(catalog):
    _, _, ad_run = make_run_with_ads(catalog, ads=1)
    ad = ad_run.ads.get()
    return ["/api/v1/auth/token/", "/api/v1/jobs/", "/api/v1/estimate/", f"/api/v1/ads/{ad.pk}/overrides/",
            "/api/v1/templates/selection-preview/"]


def post_raw(client, url, body: bytes, content_type="application/json"):
    return client.generic("POST", url, body, content_type=content_type)


def assert_error_shape(response, status: int, code: str):
    assert response.status_code == status, response.content[:300]
    body = response.json()
    assert set(body) == {"error"} and body["error"]["code"] == code
    assert body["error"]["message"] and body["error"]["fields"] == {}


@pytest.mark.django_db
def test_deep_json_is_a_400_on_every_endpoint_signed_in_or_not(api, endpoints):
    for client in (api, APIClient()):
        for url in endpoints:
            response = post_raw(client, url, DEEP)
            if client is not api and url != "/api/v1/auth/token/":
                assert response.status_code == 401  # no body is read before authentication
                continue
            assert_error_shape(response, 400, "parse_error")
            assert "nested deeper than 64 levels" in response.json()["error"]["message"]


@pytest.mark.django_db
def test_json_at_the_depth_limit_is_parsed_and_one_more_level_is_refused(api, settings):
    settings.ADCREATOR_API_MAX_JSON_DEPTH = 5
    at_limit = {"mode": [[[["x"]]]]}  # object + 4 arrays = 5 levels
    response = api.post("/api/v1/estimate/", at_limit, format="json")
    assert response.status_code == 400 and response.json()["error"]["code"] == "invalid"  # parsed, then validated
    response = api.post("/api/v1/estimate/", {"mode": [[[[["x"]]]]]}, format="json")
    assert_error_shape(response, 400, "parse_error")


@pytest.mark.django_db
def test_a_body_over_the_api_limit_is_a_413_before_it_is_read(api, endpoints, settings):
    settings.ADCREATOR_API_MAX_BODY_BYTES = 2048
    big = json.dumps({"name": "x" * 4096}).encode()
    for url in endpoints:
        assert_error_shape(post_raw(api, url, big), 413, "too_large")
    # The anonymous token endpoint, as JSON and as a form.
    assert_error_shape(post_raw(APIClient(), "/api/v1/auth/token/", big), 413, "too_large")
    form = b"username=alice&password=" + b"x" * 4096
    assert_error_shape(post_raw(APIClient(), "/api/v1/auth/token/", form, "application/x-www-form-urlencoded"),
                       413, "too_large")


@pytest.mark.django_db
def test_a_body_over_djangos_own_upload_limit_is_a_413_not_a_500(settings):
    # Django refuses it itself (RequestDataTooBig) while DRF reads a form: the handler maps it.
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    form = b"username=alice&password=" + b"x" * 4096
    response = post_raw(APIClient(), "/api/v1/auth/token/", form, "application/x-www-form-urlencoded")
    assert_error_shape(response, 413, "too_large")


@pytest.mark.django_db
def test_nan_and_broken_json_are_parse_errors(api):
    for body in (b'{"brand_id": NaN}', b'{"brand_id": 1', b"\xff\xfe{}", b'{"a": "\xed\xa0\x80"}'):
        assert_error_shape(post_raw(api, "/api/v1/estimate/", body), 400, "parse_error")


@pytest.mark.django_db
def test_a_real_bug_is_a_500_naming_the_request_id_that_its_log_line_carries(api, monkeypatch, caplog):
    from templates import api as templates_api

    def broken(self, request):
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(templates_api.TemplateListView, "get", broken)
    with caplog.at_level(logging.ERROR, logger="adcreator.api.errors"):
        response = api.get("/api/v1/templates/", HTTP_X_REQUEST_ID="trace-4711")
    assert response.status_code == 500 and response["X-Request-ID"] == "trace-4711"
    error = response.json()["error"]
    assert error["code"] == "server_error" and error["request_id"] == "trace-4711"
    assert "trace-4711" in error["message"] and "a bug" not in json.dumps(error)  # no internals leak
    [record] = [r for r in caplog.records if r.name == "adcreator.api.errors"]
    assert record.request_id == "trace-4711" and record.exc_info[0] is ZeroDivisionError


@pytest.mark.django_db
def test_every_response_has_a_request_id_and_a_hostile_one_is_replaced(api):
    mine = api.get("/api/v1/jobs/", HTTP_X_REQUEST_ID="abc-123.def:9")
    assert mine["X-Request-ID"] == "abc-123.def:9"
    for hostile in ("has space", "x" * 200, "new\nline", ""):
        made = api.get("/api/v1/jobs/", HTTP_X_REQUEST_ID=hostile)["X-Request-ID"]
        assert made != hostile and len(made) == 32 and int(made, 16) >= 0  # a fresh uuid4 hex
