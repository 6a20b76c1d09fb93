"""Rough edges of issue 17 item 7 in the API: field errors on the field, the token from a form,
the documented shape of POST /jobs/."""

import pytest
from rest_framework.test import APIClient

from tests.api.conftest import manual_job_parameters

pytestmark = pytest.mark.django_db


def test_belief_first_without_an_angle_is_an_error_on_belief_angle_id(api, catalog):
    response = api.post("/api/v1/jobs/", manual_job_parameters(catalog, content_source="belief_first"), format="json")
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert set(fields) == {"belief_angle_id"}
    assert not fields["belief_angle_id"][0].startswith("Value error")
    assert "belief angle" in fields["belief_angle_id"][0]


def test_too_many_briefs_names_the_fields_and_the_fix_without_pydantic_words(api, catalog):
    body = manual_job_parameters(catalog, variations=10,
                                 template_selection={"mode": "roll_the_dice", "count": 15})
    response = api.post("/api/v1/estimate/", body, format="json")
    assert response.status_code == 400
    [(field, [message])] = response.json()["error"]["fields"].items()
    assert field == "non_field_errors"  # a rule across fields: the message names them
    assert "Value error" not in message and "root" not in message
    assert "templates × variations × colour modes" in message and "Choose fewer" in message


@pytest.mark.parametrize("encoding", ["form", "multipart", "json"])
def test_the_token_endpoint_accepts_form_and_json(alice, encoding):
    client = APIClient()
    credentials = {"username": "alice", "password": "pw-alice"}
    if encoding == "json":
        response = client.post("/api/v1/auth/token/", credentials, format="json")
    elif encoding == "form":
        response = client.post("/api/v1/auth/token/", "username=alice&password=pw-alice",
                               content_type="application/x-www-form-urlencoded")
    else:
        response = client.post("/api/v1/auth/token/", credentials, format="multipart")
    assert response.status_code == 200, response.content
    assert response.json()["token"]


def test_post_jobs_documents_why_it_answers_a_list(api):
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/json")
    if schema.status_code != 200:
        schema = api.get("/api/schema/?format=json")
    operation = schema.json()["paths"]["/api/v1/jobs/"]["post"]
    text = operation.get("description", "") + operation.get("summary", "")
    assert "one job" in text and "parts" in text and '"jobs"' in text
