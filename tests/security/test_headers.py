"""Issue 11: security headers on every answer, templates that need no inline code, and a page
POST over the size limit that is a real 400 page, not a 500."""

import re
from pathlib import Path

import pytest
from django.test import Client

from adcreator.web.csp import SITE_POLICY

TEMPLATE_DIRS = [Path(__file__).resolve().parents[2] / "adcreator" / "web" / "templates"]
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=|\shx-on[:-]|\son[a-z]+=", re.IGNORECASE)


def test_no_template_carries_inline_script_style_or_handlers():
    offenders = []
    for directory in TEMPLATE_DIRS:
        for path in directory.rglob("*.html"):
            text = path.read_text()
            for pattern in (INLINE_SCRIPT, INLINE_STYLE):
                offenders += [f"{path.relative_to(directory)}: {m.group(0).strip()}" for m in pattern.finditer(text)]
    assert offenders == []


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/accounts/login/", "/api/docs/", "/api/v1/jobs/", "/no-such-page/"])
def test_every_answer_carries_the_policy_and_the_other_headers(path, client, make_member, org):
    client.force_login(make_member(org, "alice"))
    response = client.get(path)
    assert response["Content-Security-Policy"] == SITE_POLICY
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert len(response["X-Request-ID"]) == 32


def test_the_policy_allows_only_this_site():
    directives = dict(part.split(" ", 1) for part in SITE_POLICY.split("; "))
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'none'"
    assert "unsafe" not in SITE_POLICY


@pytest.mark.django_db
def test_a_page_post_over_the_size_limit_is_a_400_page(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    body = b"username=alice&password=" + b"x" * 4096
    response = Client().generic("POST", "/accounts/login/", body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert b"Bad Request" in response.content


@pytest.mark.django_db
@pytest.mark.urls("tests.security.crash_urls")
def test_a_crashing_page_is_a_500_that_names_its_request_id(client, caplog):
    client.raise_request_exception = False
    response = client.get("/crash/", HTTP_X_REQUEST_ID="page-crash-1")
    assert response.status_code == 500 and response["X-Request-ID"] == "page-crash-1"
    assert b"page-crash-1" in response.content and b"a bug" not in response.content
    assert response["Content-Security-Policy"] == SITE_POLICY
    assert any(getattr(r, "request_id", None) == "page-crash-1" and r.exc_info for r in caplog.records)
