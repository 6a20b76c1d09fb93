"""The OpenAPI schema is valid and the API keeps its promises: a bounded schemathesis run.

schemathesis calls the real Django WSGI application in-process, authenticated with a token,
on a seeded catalog: every operation, positive and negative inputs, every built-in check
(no 5xx, documented status codes, responses matching their schemas, auth enforced).
"""

from __future__ import annotations

import json
import random
from collections import Counter

import pytest
import schemathesis
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from PIL import Image
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.api.conftest import make_run_with_ads, spectacular_api_settings
from tests.support.catalog import png_bytes

# Small enough for CI (the whole run stays well under a minute), large enough that every
# operation sees valid, invalid and edge-case inputs.
MAX_EXAMPLES = 10

# Whether these requests are acceptable depends on stored rows (ids of the user's brands,
# products, templates; an ad not reviewed yet) or on rules across fields (attempt cap,
# confirmation), which a schema cannot express: a well-formed request may get a 400 field error.
DEPENDS_ON_STORED_ROWS = {
    ("POST", "/api/v1/jobs/"), ("POST", "/api/v1/estimate/"), ("POST", "/api/v1/templates/selection-preview/"),
    ("POST", "/api/v1/ads/{id}/overrides/"), ("POST", "/api/v1/auth/token/"),
    # The brand must be one of yours; mappings and launches name ads and Meta ads that must exist.
    ("GET", "/api/v1/genome/element-scores/"), ("POST", "/api/v1/meta/ad-mappings/"), ("POST", "/api/v1/meta/launches/"),
    # Experiments: a base ad of the user's, a brand's values of the variable, the experiment's
    # status (a draft's budget, a deployed one), an ad that meets the winner criteria.
    ("POST", "/api/v1/experiments/"), ("POST", "/api/v1/experiments/plan/"), ("POST", "/api/v1/ads/{id}/evolve/"),
    *{("POST", f"/api/v1/experiments/{{id}}/{action}/") for action in (
        "plan", "confirm-budget", "generate-arms", "check-arms", "deploy", "stop", "analyse")},
}


def test_schema_generation_is_clean_with_fail_on_warn(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--urlconf", "tests.api.urls",
                 "--custom-settings", "tests.api.conftest.SPECTACULAR_API_SETTINGS",
                 "--file", str(tmp_path / "schema.yaml"))
    text = (tmp_path / "schema.yaml").read_text()
    for operation_id in ("auth_token_create", "jobs_list", "jobs_create", "jobs_retrieve", "jobs_run_now",
                         "estimate_create", "ads_list", "ads_retrieve", "ads_overrides_list", "ads_overrides_create",
                         "templates_list", "templates_selection_preview", "ads_image", "templates_image"):
        assert f"operationId: {operation_id}\n" in text
    assert "AdStatusEnum" in text and "RunStatusEnum" in text


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The token endpoint hashes the password on every call; PBKDF2's deliberate slowness
    # would make it the slowest operation of the run for nothing a test needs.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def seeded(db, catalog, alice):
    from rest_framework.authtoken.models import Token

    job, run, ad_run = make_run_with_ads(catalog, ads=4, status="rejected", ai_status="rejected")
    first_ad = ad_run.ads.order_by("pk").first()
    first_ad.image.save("ad.png", ContentFile(png_bytes(Image.new("RGB", (108, 108), "white"))), save=True)
    return {
        "token": Token.objects.create(user=alice).key,
        "catalog": catalog,
        "ids": {"jobs": [job.pk], "ads": list(ad_run.ads.values_list("pk", flat=True)),
                "templates": [t.pk for t in catalog.templates], "brands": [catalog.brand.pk],
                "products": [catalog.product.pk]},
    }


@pytest.fixture
def wsgi_in_test_transaction():
    """Django's WSGI handler closes "old" connections around each request; inside a test's
    transaction that would break it, so requests run without those two receivers."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _api_schema() -> dict:
    """The schema the API serves, generated with the API's URLs and settings."""
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiJsonRenderer

    with spectacular_api_settings():
        document = SchemaGenerator(urlconf="tests.api.urls").get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(document))


# Loaded once at import (schemathesis' lazy fixture loader does not run on pytest 9); the
# requests go to Django's WSGI application, which resolves URLs with the test's ROOT_URLCONF.
schema = schemathesis.openapi.from_dict(_api_schema())
schema.app = get_wsgi_application()
# PostgreSQL refuses NUL in text, and DRF's CharField refuses it on every database (a 400).
schema.config.generation.update(allow_x00=False)


# Figures of the run (printed with `-s`): requests sent and the statuses they got.
STATUS_COUNTS: Counter = Counter()


@pytest.fixture(scope="module", autouse=True)
def _print_run_figures():
    yield
    if STATUS_COUNTS:
        summary = ", ".join(f"{status}: {n}" for status, n in sorted(STATUS_COUNTS.items()))
        print(f"\nschemathesis: {sum(STATUS_COUNTS.values())} requests ({summary})")


def _use_real_ids(case, seeded: dict, rng: random.Random) -> None:
    """Point half the generated requests at rows that exist, so the success paths and their
    response schemas are exercised too, not only 404s and field errors."""
    catalog = seeded["catalog"]
    path = case.operation.path
    if case.path_parameters and "id" in case.path_parameters and rng.random() < 0.5:
        kind = path.removeprefix("/api/v1/").split("/")[0]
        if kind in seeded["ids"]:
            case.path_parameters["id"] = rng.choice(seeded["ids"][kind])
    if isinstance(case.body, dict) and rng.random() < 0.5:
        if "brand_id" in case.body:
            case.body["brand_id"] = catalog.brand.pk
        if "product_id" in case.body:
            case.body["product_id"] = catalog.product.pk
        selection = case.body.get("template_selection")
        if isinstance(selection, dict) and isinstance(selection.get("template_ids"), list):
            selection["template_ids"] = [t.pk for t in catalog.templates[: rng.randint(1, 3)]]


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, database=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_api_keeps_its_schema(case, seeded, wsgi_in_test_transaction):
    if case.meta is not None and case.meta.generation.mode.is_positive:
        _use_real_ids(case, seeded, random.Random(repr((case.path_parameters, case.query, case.body))))
    excluded = [positive_data_acceptance] if (case.method.upper(), case.operation.path) in DEPENDS_ON_STORED_ROWS else []
    response = case.call_and_validate(headers={"Authorization": f"Token {seeded['token']}"},
                                      excluded_checks=excluded)
    STATUS_COUNTS[response.status_code] += 1
