"""Issue 11, the fuzz suite's API half: no input to any operation makes a 5xx.

schemathesis generates random valid and invalid requests for every operation of the served
schema (paths, query strings, bodies, NUL bytes included) against the in-process WSGI
application, signed in (and anonymously for the token endpoint, which needs no login); then
the issue's hostile bodies (2,000-deep JSON, a body over the limit, non-JSON) go to every
operation that reads a body. Only "no server error" is checked here. The schema's boundary
cases (schemathesis' coverage phase) and conformance checks run in tests/api/test_schema.py,
so this half runs the random phases only. Figures: `pytest -s`, and var/fuzz-figures.json.
"""

from __future__ import annotations

import json
import os
import random
import time

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from django.db import connection
from hypothesis import HealthCheck, settings

from tests.api.test_schema import (  # noqa: F401
    _api_schema,
    _fast_password_hashing,
    seeded,
    wsgi_in_test_transaction,
)
from tests.support.fuzz_figures import FuzzFigures

# Per operation; ~15 operations: about 500 requests in well under half a minute.
MAX_EXAMPLES = 30
FIGURES = FuzzFigures("api")
# The same inputs on every run (CI); ADCREATOR_FUZZ_RANDOM=1 explores new ones.
DERANDOMIZE = not os.environ.get("ADCREATOR_FUZZ_RANDOM")

schema = schemathesis.openapi.from_dict(_api_schema())
schema.app = get_wsgi_application()
# NUL bytes are generated too: a string with NUL must be a 400, never a database error.
schema.config.generation.update(allow_x00=True)
schema.config.phases.update(phases=["examples", "fuzzing"])


@pytest.fixture(scope="module", autouse=True)
def _report():
    yield
    FIGURES.report(connection.vendor)


def _send(case, headers: dict) -> int:
    started = time.perf_counter()
    response = case.call(headers=headers)
    FIGURES.seconds += time.perf_counter() - started
    line = f"{case.method.upper()} {case.formatted_path} query={case.query} body={str(case.body)[:200]!r}"
    FIGURES.record(line, response.status_code)
    return response.status_code


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, database=None, derandomize=DERANDOMIZE,
          suppress_health_check=list(HealthCheck))
def test_no_input_to_any_operation_makes_a_server_error(case, seeded, wsgi_in_test_transaction):  # noqa: F811
    # Half the requests point at rows that exist, so the deeper code paths run too.
    rng = random.Random(repr((case.path_parameters, case.query, case.body)))
    if case.path_parameters and "id" in case.path_parameters and rng.random() < 0.5:
        kind = case.operation.path.removeprefix("/api/v1/").split("/")[0]
        if kind in seeded["ids"]:
            case.path_parameters["id"] = rng.choice(seeded["ids"][kind])
    identities = [{"Authorization": f"Token {seeded['token']}"}]
    if case.operation.path == "/api/v1/auth/token/":
        identities.append({})  # the one operation open to anyone
    for headers in identities:
        status = _send(case, headers)
        assert status < 500, f"{case.method} {case.formatted_path} → {status}"


HOSTILE_BODIES = {
    "2000-deep JSON": b"[" * 2000 + b"]" * 2000,
    "body over the limit": json.dumps({"name": "x" * 2_000_000}).encode(),
    "not JSON": b"\x00\xff{{{",
}


@pytest.mark.django_db
def test_the_issues_hostile_bodies_make_no_server_error_on_any_operation(seeded, wsgi_in_test_transaction):  # noqa: F811
    from django.test import Client

    client = Client(raise_request_exception=False)
    operations = [result.ok() for result in schema.get_all_operations()]
    # DELETE reads no body (and would revoke the token the rest of the loop uses).
    with_body = [op for op in operations if op.method.upper() in ("POST", "PUT", "PATCH")]
    assert len(with_body) >= 5
    for operation in with_body:
        path = operation.path.replace("{id}", str(seeded["ids"]["ads"][0]))
        for label, body in HOSTILE_BODIES.items():
            for headers in ({"HTTP_AUTHORIZATION": f"Token {seeded['token']}"}, {}):
                started = time.perf_counter()
                response = client.generic(operation.method.upper(), path, body, content_type="application/json",
                                          **headers)
                FIGURES.seconds += time.perf_counter() - started
                FIGURES.record(f"{operation.method.upper()} {path} ({label})", response.status_code)
                # (Which 4xx each body gets is pinned in test_hostile_bodies; run-now reads no body.)
                assert response.status_code < 500, (operation.method, path, label, response.content[:300])
