"""Issue 11, the fuzz suite's page half: no form field or query parameter of any page makes a 5xx.

Hypothesis draws values for every input of every page — ids (real, random, 30-digit, unicode
digits, junk), dates (real, 9999-12-31, impossible), free text (NUL and any unicode), choices
(valid and not) — and sends them as the signed-in editor. Every answer under 500 passes.

A 5xx that matches one of the issue's page findings (the lead's renovation fixes them, see
tests/reliability/test_page_inputs.py), or one of the three this fuzz found besides (see
open_finding), is counted apart while PAGE_FINDINGS_OPEN is True and turns the test into an
xfail; any other 5xx fails it at once. When the renovation lands, set PAGE_FINDINGS_OPEN =
False: from then on every 5xx fails. Figures: `pytest -s` and var/fuzz-figures.json.
"""

from __future__ import annotations

import os
import time
from datetime import date

import pytest
from django.db import connection
from django.test import Client
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from tests.support.catalog import build_catalog
from tests.support.fuzz_figures import FuzzFigures
from tests.web import make_ad, make_run

PAGE_FINDINGS_OPEN = False
# The same inputs on every run (CI); ADCREATOR_FUZZ_RANDOM=1 explores new ones.
DERANDOMIZE = not os.environ.get("ADCREATOR_FUZZ_RANDOM")
FIGURES = FuzzFigures("pages")
MAX_ID = 2**63 - 1

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module", autouse=True)
def _report():
    yield
    FIGURES.report(connection.vendor)


# --- the open page findings, as predicates on a request ------------------------------


def _as_int(value: str) -> int | None:
    try:
        return int(value)
    except ValueError:
        return None


def _last(params: dict[str, list[str]], name: str) -> str:
    values = params.get(name) or [""]
    return values[-1]


def open_finding(path: str, params: dict[str, list[str]]) -> str | None:
    """The open finding this request hits, if any (matched on the input, not on the answer).

    The issue's page findings, and three more this fuzz found (reported to the lead with it):
    a `next` that is no URL, an unknown strictness, integers beyond the database's range in
    more inputs than the issue named.
    """
    if not PAGE_FINDINGS_OPEN:
        return None
    values = [v for vs in params.values() for v in vs]
    if any(v.isdigit() and not v.isascii() for v in values):
        return "a unicode digit in a number ('²'.isdigit() is true, int('²') fails)"
    if any("\x00" in v for v in values) and connection.vendor == "postgresql":
        return "a NUL byte in a text input on PostgreSQL"
    if any(v.strip() == "9999-12-31" for name in ("date_from", "date_to") for v in params.get(name, [])):
        return "date 9999-12-31 (+1 day overflows)"
    if any(abs(_as_int(v) or 0) > MAX_ID for v in values):
        return "an integer beyond the database's range (offset, ids, awareness)"
    if params.get("drawn_ids") and any((_as_int(v) or 0) < 0 for v in params.get("drawn_seed", [])):
        return "a negative drawn_seed"
    # Found by this fuzz:
    following = _last(params, "next")
    if following and "/" not in following and "." not in following:
        return "a `next` that is no URL is taken for a view name by redirect() (NoReverseMatch)"
    if (_last(params, "mode") == "smart_select"
            and _last(params, "strictness") not in ("", "default", "growth", "premium")):
        return "an unknown strictness reaches the selection service (ValueError)"
    return None


# --- value strategies ---------------------------------------------------------------------------

TEXT = st.text(max_size=24)
ODD_NUMBERS = st.sampled_from(["²", "١٢", "1e3", "0x1f", " 7", "7 ", "-0", "+3", "3.5", "", "NaN", "∞", "0"])
HUGE = st.sampled_from(["9" * 30, str(2**63), str(MAX_ID), str(-(2**63) - 1), "-1"])
DATES = st.one_of(st.dates(min_value=date(1900, 1, 1)).map(str), TEXT,
                  st.sampled_from(["9999-12-31", "0001-01-01", "2026-02-30", "2026-13-01", "31/12/2026"]))


def ids(real: list[int]):
    return st.one_of(st.sampled_from(real).map(str), st.integers(-10, 10**7).map(str), HUGE, ODD_NUMBERS, TEXT)


def choice(*values: str):
    return st.one_of(st.sampled_from(values), TEXT)


def form(**fields) -> st.SearchStrategy[dict[str, list[str]]]:
    """Any subset of the fields, each repeated 0–3 times (as browsers send multi-valued inputs)."""
    return st.fixed_dictionaries({}, optional={name: st.lists(value, min_size=1, max_size=3)
                                              for name, value in fields.items()})


@pytest.fixture
def site(org, make_member):
    cat = build_catalog(org, templates=3)
    ad_run = make_run(cat)
    ads = [make_ad(ad_run, template=cat.templates[i % 3], prompt_index=i + 1, status=s, image=i == 0)
           for i, s in enumerate(["rejected", "approved", "flagged"])]
    client = Client(raise_request_exception=False)  # a crash is a 500 answer, as in production
    client.force_login(make_member(org, "alice"))
    return {"cat": cat, "client": client, "ad_ids": [a.pk for a in ads], "run_ids": [ad_run.pk],
            "job_ids": [ad_run.job_run.job_id], "template_ids": [t.pk for t in cat.templates],
            "brand_ids": [cat.brand.pk], "product_ids": [cat.product.pk], "persona_ids": [cat.persona.pk]}


def endpoints(site) -> dict[str, tuple[str, str | st.SearchStrategy, st.SearchStrategy, int]]:
    """name → (method, path or a strategy of paths, parameters, examples)."""
    s = site
    create_fields = dict(
        brand_id=ids(s["brand_ids"]), product_id=ids(s["product_ids"]),
        mode=choice("manual", "roll_the_dice", "smart_select"), template_ids=ids(s["template_ids"]),
        count=ids([1, 3, 20]), category=choice("", "offer", "testimonial"),
        strictness=choice("default", "growth", "premium"), drawn_ids=ids(s["template_ids"]),
        drawn_seed=st.one_of(st.integers(-5, 2**64).map(str), TEXT), drawn_for=TEXT,
        sizes=choice("1:1", "4:5", "9:16", "16:9"), color_modes=choice("original", "complementary", "brand"),
        content_source=choice("hooks", "belief_first", "offer_variant"), persona_id=ids(s["persona_ids"]),
        offer_variant_id=ids([s["cat"].offer.pk]), belief_angle_id=ids([s["cat"].belief.pk]),
        variations=ids([1, 2, 10]), confirmed=choice("on", "true", ""), split=choice("on", ""),
    )
    path_ids = lambda real: st.one_of(st.sampled_from(real), st.integers(0, 10**9), st.just(10**29))  # noqa: E731
    entity_paths = st.one_of(
        path_ids(s["job_ids"]).map(lambda i: f"/jobs/{i}/"), path_ids(s["job_ids"]).map(lambda i: f"/jobs/{i}/progress/"),
        path_ids(s["ad_ids"]).map(lambda i: f"/ads/{i}/image/"), path_ids(s["ad_ids"]).map(lambda i: f"/ads/{i}/download/"),
        path_ids(s["run_ids"]).map(lambda i: f"/runs/{i}/download/"),
        path_ids(s["template_ids"]).map(lambda i: f"/templates/{i}/image/"),
        path_ids(s["brand_ids"]).map(lambda i: f"/brands/{i}/meta/"),
        path_ids(s["brand_ids"]).map(lambda i: f"/brands/{i}/insights/"),
        path_ids(s["ad_ids"]).map(lambda i: f"/ads/{i}/"), path_ids(s["ad_ids"]).map(lambda i: f"/ads/{i}/original/"),
        path_ids(s["brand_ids"]).map(lambda i: f"/catalog/brands/{i}/"),
        path_ids(s["product_ids"]).map(lambda i: f"/catalog/products/{i}/"),
        st.sampled_from(["/meta/", "/monitoring/", "/jobs/", "/results/", "/catalog/", "/templates/own/"]),
    )
    kinds = choice("products", "product-photos", "brand-assets", "personas", "offer-variants", "landing-pages",
                   "belief-angles", "hooks", "no-such-kind")
    catalog_paths = st.one_of(
        st.tuples(kinds, path_ids(s["brand_ids"] + s["product_ids"])).map(lambda t: f"/catalog/{t[0]}/new/{t[1]}/"),
        st.tuples(kinds, path_ids(s["persona_ids"] + s["product_ids"])).map(lambda t: f"/catalog/{t[0]}/{t[1]}/edit/"),
        st.tuples(kinds, path_ids(s["persona_ids"])).map(lambda t: f"/catalog/{t[0]}/{t[1]}/delete/"),
    )
    brand_post_paths = st.one_of(*(path_ids(s["brand_ids"]).map(lambda i, tail=tail: f"/brands/{i}/meta/{tail}")
                                   for tail in ("", "sync/", "disconnect/", "mappings/")))
    return {
        "results": ("GET", "/results/", form(
            status=choice("approved", "rejected", "flagged", "review_failed", "generated", "pending"),
            date_from=DATES, date_to=DATES, run=ids(s["run_ids"]), brand=ids(s["brand_ids"]),
            sort=choice("newest", "oldest"), page=ids([1, 2])), 40),
        "bulk": ("POST", "/results/bulk/", form(
            action=choice("override_approve", "override_reject", "confirm"), ad_ids=ids(s["ad_ids"]), next=TEXT), 30),
        "override": ("POST", path_ids(s["ad_ids"]).map(lambda i: f"/ads/{i}/override/"), form(
            action=choice("override_approve", "override_reject", "confirm"), note=TEXT, next=TEXT), 30),
        "retry": ("POST", path_ids(s["run_ids"]).map(lambda i: f"/runs/{i}/retry-rejected/"), form(next=TEXT), 10),
        "create-page": ("GET", "/create/", form(brand_id=ids(s["brand_ids"]), product_id=ids(s["product_ids"])), 15),
        "create-submit": ("POST", "/create/", form(**create_fields), 25),
        "estimate": ("POST", "/create/estimate/", form(**create_fields), 30),
        "template-grid": ("GET", "/create/templates/", form(
            offset=st.one_of(ids([0, 12, 24]), HUGE), brand_id=ids(s["brand_ids"]),
            filter_category=choice("offer", "testimonial"), filter_awareness=ids([1, 5]), filter_industry=TEXT,
            filter_audience=choice("female", "male", "unisex"), template_ids=ids(s["template_ids"])), 30),
        "draw": ("POST", "/create/draw/", form(**{k: create_fields[k] for k in (
            "brand_id", "product_id", "mode", "count", "category", "strictness", "persona_id")}), 25),
        "entity-pages": ("GET", entity_paths, form(), 30),
        "login": ("POST", "/accounts/login/", form(username=TEXT, password=TEXT, next=TEXT), 15),
        "meta": ("POST", brand_post_paths, form(ad_account_id=choice("act_1234567", "act_", "1234567"),
                                                access_token=TEXT, csv_file=TEXT), 30),
        "launch": ("POST", path_ids(s["ad_ids"]).map(lambda i: f"/ads/{i}/launch/"), form(next=TEXT), 15),
        "jobs-list": ("GET", "/jobs/", form(status=choice("pending", "running", "completed", "failed", "cancelled"),
                                           job_type=TEXT, brand=ids(s["brand_ids"]), date_from=DATES, date_to=DATES), 25),
        "job-cancel": ("POST", path_ids(s["job_ids"]).map(lambda i: f"/jobs/{i}/cancel/"), form(next=TEXT), 10),
        "edit-headline": ("POST", path_ids(s["ad_ids"]).map(lambda i: f"/ads/{i}/edit-headline/"),
                          form(headline=TEXT, next=TEXT), 15),
        "approved-download": ("GET", path_ids(s["run_ids"]).map(lambda i: f"/runs/{i}/download/"),
                              form(approved=choice("1", "0", "yes")), 10),
        "catalog-forms": ("POST", catalog_paths, form(
            name=TEXT, slug=TEXT, industry=TEXT, description=TEXT, current_offer=TEXT, text=TEXT,
            hook_type=choice("benefit_led", "urgency", "nonsense"), age_min=TEXT, age_max=TEXT, url=TEXT,
            awareness_stage=ids([1, 5]), belief_statement=TEXT, core_message=TEXT, asset_tags=TEXT, confirm=choice("1", "")), 40),
        "catalog-brand-settings": ("POST", path_ids(s["brand_ids"]).map(lambda i: f"/catalog/brands/{i}/"), form(
            name=TEXT, voice=TEXT, colors=TEXT, prohibited_claims=TEXT, required_disclaimers=TEXT,
            template_selection_tier=choice("default", "growth", "premium", "gold")), 20),
        "own-template-upload": ("POST", "/templates/own/", form(name=TEXT, category=TEXT, image=TEXT), 15),
    }


@pytest.mark.parametrize("name", ["results", "bulk", "override", "retry", "create-page", "create-submit", "estimate",
                                  "template-grid", "draw", "entity-pages", "login", "meta", "launch", "jobs-list",
                                  "job-cancel", "edit-headline", "approved-download", "catalog-forms",
                                  "catalog-brand-settings", "own-template-upload"])
def test_no_input_of_any_page_makes_a_server_error(site, name):
    method, path_strategy, parameters, examples = endpoints(site)[name]
    paths = path_strategy if isinstance(path_strategy, st.SearchStrategy) else st.just(path_strategy)
    client: Client = site["client"]
    unknown, known = [], []

    @hsettings(max_examples=examples, deadline=None, database=None, derandomize=DERANDOMIZE,
               suppress_health_check=list(HealthCheck))
    @given(path=paths, params=parameters, htmx=st.booleans())
    def send(path, params, htmx):
        headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
        started = time.perf_counter()
        if method == "GET":
            response = client.get(path, params, **headers)
        else:
            response = client.post(path, params, **headers)
        FIGURES.seconds += time.perf_counter() - started
        finding = open_finding(path, params)
        line = f"{method} {path} {params!r}"
        FIGURES.record(line, response.status_code, known=finding is not None)
        if response.status_code >= 500:
            (known if finding else unknown).append(f"{line} → {response.status_code}" + (f" ({finding})" if finding else ""))

    send()
    assert unknown == [], "\n".join(unknown[:10])
    if known:
        pytest.xfail(f"{len(known)} 5xx of the issue's open page findings, e.g. {known[0]}")
