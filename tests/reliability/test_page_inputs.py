"""Issue 11, the page and CLI findings: small hostile inputs that made a 500 (or a traceback).

Every one is a regression test of "a clear error, never a crash", on both databases: some
failed on one only (a NUL in a filter on PostgreSQL, which refuses NUL in text; a 30-digit id in
the bulk form on SQLite, an `IN` list its driver cannot bind). Ids are bounded where they are
parsed (adcreator.web.fields), text refuses NUL (adcreator.inputs), and forms clean before a
service sees anything.
"""

import re

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from adcreator.jobs.models import JobRun
from review.models import AdReviewOverride
from tests.support.catalog import build_catalog
from tests.web import make_ad, make_run

HUGE = "9" * 30  # far beyond a 64-bit primary key

pytestmark = pytest.mark.django_db


@pytest.fixture
def cat(org):
    return build_catalog(org, templates=2)


@pytest.fixture
def signed_in(cat, make_member):
    client = Client(raise_request_exception=False)  # a crash is a 500 answer here, as in production
    client.force_login(make_member(cat.org, "alice"))
    return client


@pytest.fixture
def ad(cat):
    return make_ad(make_run(cat), template=cat.templates[0], status="rejected")


def assert_no_server_error(response):
    assert response.status_code < 500, (response.status_code, response.content[:300])


@pytest.mark.parametrize("query", ["run=%C2%B2", "date_from=9999-12-31&date_to=9999-12-31"])
def test_results_filters(signed_in, ad, query):
    assert_no_server_error(signed_in.get(f"/results/?{query}"))


def test_a_thirty_digit_run_filter(signed_in, ad):
    assert_no_server_error(signed_in.get(f"/results/?run={HUGE}"))


def bulk(client, ad_id: str):
    return client.post("/results/bulk/", f"action=override_approve&ad_ids={ad_id}",
                       content_type="application/x-www-form-urlencoded")


def test_a_superscript_digit_in_the_bulk_ids(signed_in, ad):
    assert_no_server_error(bulk(signed_in, "%C2%B2"))


def test_a_thirty_digit_id_in_the_bulk_ids(signed_in, ad):
    assert_no_server_error(bulk(signed_in, HUGE))


@pytest.mark.parametrize("path", [f"/ads/{HUGE}/override/", f"/ads/{HUGE}/image/", f"/ads/{HUGE}/download/",
                                  f"/templates/{HUGE}/image/", f"/jobs/{HUGE}/", f"/runs/{HUGE}/download/"])
def test_thirty_digit_ids_in_paths(signed_in, path):
    response = signed_in.post(path, {"action": "confirm"}) if path.endswith("override/") else signed_in.get(path)
    assert response.status_code == 404, (response.status_code, response.content[:300])


def test_thirty_digit_template_ids_on_the_create_page(signed_in, cat):
    response = signed_in.post("/create/estimate/", {"brand_id": cat.brand.pk, "product_id": cat.product.pk,
                                                   "mode": "manual", "template_ids": HUGE, "sizes": "1:1",
                                                   "color_modes": "original"})
    assert_no_server_error(response)


def test_a_thirty_digit_grid_offset(signed_in, cat):
    assert_no_server_error(signed_in.get(f"/create/templates/?brand_id={cat.brand.pk}&offset={HUGE}"))


def test_a_negative_drawn_seed(signed_in, cat):
    response = signed_in.post("/create/", {"brand_id": cat.brand.pk, "product_id": cat.product.pk,
                                          "mode": "roll_the_dice", "count": 1, "drawn_ids": cat.templates[0].pk,
                                          "drawn_seed": -1, "sizes": "1:1", "color_modes": "original",
                                          "content_source": "hooks", "variations": 1})
    assert_no_server_error(response)


def test_a_nul_byte_in_an_override_note_is_refused_not_stored(signed_in, ad):
    response = signed_in.post(f"/ads/{ad.pk}/override/", {"action": "override_approve", "note": "ok\x00then"})
    assert_no_server_error(response)
    assert response.status_code == 400
    assert not AdReviewOverride.objects.filter(ad=ad).exists()  # refused whole, nothing stored


@pytest.mark.parametrize("name", ["filter_category", "filter_industry", "filter_audience"])
def test_a_nul_byte_in_a_grid_filter(signed_in, cat, name):
    assert_no_server_error(signed_in.get(f"/create/templates/?brand_id={cat.brand.pk}&{name}=a%00b"))


def test_create_ads_with_a_thirty_digit_template_id_is_a_one_line_error(cat):
    with pytest.raises(CommandError) as refused:
        call_command("create_ads", "--brand", cat.brand.slug, "--product", cat.product.slug, "--template-ids", HUGE)
    assert "\n" not in str(refused.value).strip() and re.search(r"template", str(refused.value), re.I)
    assert not JobRun.objects.exists()
