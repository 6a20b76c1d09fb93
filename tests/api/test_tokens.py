"""Issue 11: API tokens rotate on a password change, can be revoked, may expire; the token
endpoint takes JSON and form bodies."""

from datetime import timedelta

import pytest
from django.contrib.auth.forms import PasswordChangeForm
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.api.conftest import token_client


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def with_token(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("format", ["multipart", "json"])
def test_the_token_endpoint_accepts_json_and_form_bodies(alice, format):
    response = APIClient().post("/api/v1/auth/token/", {"username": "alice", "password": "pw-alice"}, format=format)
    assert response.status_code == 200, response.content
    assert response.json()["token"] == Token.objects.get(user=alice).key


@pytest.mark.django_db
def test_an_urlencoded_form_works_too(alice):
    response = APIClient().generic("POST", "/api/v1/auth/token/", "username=alice&password=pw-alice",
                                   content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200 and len(response.json()["token"]) == 40


@pytest.mark.django_db
def test_a_password_change_revokes_the_token(alice):
    old = Token.objects.create(user=alice).key
    form = PasswordChangeForm(alice, {"old_password": "pw-alice", "new_password1": "brand-new-Secret-9",
                                      "new_password2": "brand-new-Secret-9"})
    assert form.is_valid(), form.errors
    form.save()
    refused = with_token(old).get("/api/v1/jobs/")
    assert refused.status_code == 401 and refused.json()["error"]["code"] == "authentication_failed"
    fresh = APIClient().post("/api/v1/auth/token/", {"username": "alice", "password": "brand-new-Secret-9"},
                             format="json").json()["token"]
    assert fresh != old and with_token(fresh).get("/api/v1/jobs/").status_code == 200


@pytest.mark.django_db
def test_saving_the_user_without_a_new_password_keeps_the_token(alice, settings):
    key = Token.objects.create(user=alice).key
    alice.first_name = "Alice"
    alice.save()
    # A login that re-hashes the same password (new hasher settings) is no password change.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher",
                                 "django.contrib.auth.hashers.MD5PasswordHasher"]
    assert alice.check_password("pw-alice")  # upgrades the MD5 hash and saves it
    assert alice.password.startswith("pbkdf2_")
    assert Token.objects.filter(user=alice, key=key).exists()


@pytest.mark.django_db
def test_delete_revokes_the_callers_token_and_nobody_elses(alice, make_member, org):
    bob = make_member(org, "bob")
    client, bob_client = token_client(alice), token_client(bob)
    assert client.delete("/api/v1/auth/token/").status_code == 204
    assert client.get("/api/v1/jobs/").status_code == 401
    assert not Token.objects.filter(user=alice).exists()
    assert bob_client.get("/api/v1/jobs/").status_code == 200
    assert APIClient().delete("/api/v1/auth/token/").status_code == 401  # anonymous: nothing to revoke


@pytest.mark.django_db
def test_an_expired_token_is_refused_with_a_message_and_renewed_on_request(alice, settings):
    settings.ADCREATOR_API_TOKEN_TTL_HOURS = 24
    token = Token.objects.create(user=alice)
    assert with_token(token.key).get("/api/v1/jobs/").status_code == 200
    Token.objects.filter(pk=token.pk).update(created=timezone.now() - timedelta(hours=24, seconds=1))
    refused = with_token(token.key).get("/api/v1/jobs/")
    assert refused.status_code == 401
    assert refused.json()["error"]["code"] == "token_expired" and "expired" in refused.json()["error"]["message"]
    renewed = APIClient().post("/api/v1/auth/token/", {"username": "alice", "password": "pw-alice"},
                               format="json").json()["token"]
    assert renewed != token.key and with_token(renewed).get("/api/v1/jobs/").status_code == 200


@pytest.mark.django_db
def test_without_a_ttl_tokens_do_not_expire(alice, settings):
    settings.ADCREATOR_API_TOKEN_TTL_HOURS = 0
    token = Token.objects.create(user=alice)
    Token.objects.filter(pk=token.pk).update(created=timezone.now() - timedelta(days=3650))
    assert with_token(token.key).get("/api/v1/jobs/").status_code == 200


@pytest.mark.django_db
def test_the_schema_documents_revocation(api):
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    operation = schema["paths"]["/api/v1/auth/token/"]["delete"]
    assert operation["operationId"] == "auth_token_destroy" and "204" in operation["responses"]
    create = schema["paths"]["/api/v1/auth/token/"]["post"]
    assert {"application/json", "application/x-www-form-urlencoded"} <= set(create["requestBody"]["content"])
    assert {"413", "429"} <= set(create["responses"])
