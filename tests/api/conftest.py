"""API test fixtures: the settings lines the API needs, its URLs, users with tokens, a catalog.

`API_SETTINGS` and `SPECTACULAR_API_SETTINGS` are the lines the project settings must carry
(see the report of the API issue); the autouse fixture applies them only where missing, so the
tests pass both before and after they land in adcreator/settings.py.
"""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from drf_spectacular import plumbing
from drf_spectacular.settings import patched_settings, spectacular_settings

API_SETTINGS = {"EXCEPTION_HANDLER": "adcreator.api.errors.api_exception_handler"}
SPECTACULAR_API_SETTINGS = {
    "ENUM_NAME_OVERRIDES": {
        "AdStatusEnum": "generation.models.AdStatus",
        "RunStatusEnum": "adcreator.jobs.models.RunStatus",
        "AssetStrictnessEnum": "adcreator.catalog.tiers.TIER_NAMES",
        "TemplateSourceEnum": "templates.models.ScrapedTemplate.Source",
    },
}


@contextmanager
def spectacular_api_settings():
    patches = {key: value for key, value in SPECTACULAR_API_SETTINGS.items()
               if getattr(spectacular_settings, key) != value}
    # Enum names are cached per language; the cache must see the patched overrides.
    plumbing._load_enum_name_overrides.cache_clear()
    try:
        with patched_settings(patches):
            yield
    finally:
        plumbing._load_enum_name_overrides.cache_clear()


@pytest.fixture(autouse=True)
def api_settings(settings):
    missing = {key: value for key, value in API_SETTINGS.items() if key not in settings.REST_FRAMEWORK}
    if missing:
        settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, **missing}
    settings.ROOT_URLCONF = "tests.api.urls"
    with spectacular_api_settings():
        yield settings


@pytest.fixture(autouse=True)
def _fresh_throttle_counts(django_db_setup, django_db_blocker):
    # The token endpoint's throttle counts in the shared cache (a table of the test database
    # when no Redis is configured); each test starts with a clean slate.
    from django.core.cache import cache

    with django_db_blocker.unblock():
        cache.clear()


@pytest.fixture
def catalog(org):
    from tests.support.catalog import build_catalog

    return build_catalog(org)


@pytest.fixture
def other_catalog(make_org):
    from tests.support.catalog import build_catalog

    return build_catalog(make_org("globex"), slug="globex")


def token_client(user):
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def alice(org, make_member):
    return make_member(org, "alice")


@pytest.fixture
def api(alice):
    """A client authenticated with alice's token (member of org `acme`)."""
    return token_client(alice)


@pytest.fixture
def intruder(other_catalog, make_member):
    """A client of a member of another organization (`globex`), which has its own catalog."""
    return token_client(make_member(other_catalog.org, "mallory"))


def manual_job_parameters(catalog, **overrides) -> dict:
    """A valid ad_creation_v2 request for the catalog: two templates, one size, one colour."""
    body = {"brand_id": catalog.brand.pk, "product_id": catalog.product.pk,
            "template_selection": {"mode": "manual", "template_ids": [t.pk for t in catalog.templates[:2]]},
            "sizes": ["1:1"], "color_modes": ["original"]}
    body.update(overrides)
    return body


def make_run_with_ads(catalog, ads: int = 3, *, status: str = "approved", ai_status: str = "approved"):
    """A completed job with one run, its AdRun and `ads` reviewed ads (no image files)."""
    from adcreator.jobs.models import JobRun, RunStatus
    from adcreator.jobs.services import job_create
    from generation.models import AdRun, GeneratedAd

    job = job_create(organization=catalog.org, brand=catalog.brand, job_type="ad_creation_v2",
                     parameters=manual_job_parameters(catalog), enqueue=False, name="seeded")
    run = JobRun.objects.create(job=job, status=RunStatus.COMPLETED,
                                metadata={"ads_attempted": ads, "ads_approved": ads, "current_step": "done"})
    ad_run = AdRun.objects.create(organization=catalog.org, brand=catalog.brand, product=catalog.product, job_run=run)
    GeneratedAd.objects.bulk_create([
        GeneratedAd(ad_run=ad_run, prompt_index=index, canvas_size="1080x1080", color_mode="original",
                    template=catalog.templates[index % len(catalog.templates)], headline=f"Headline {index}",
                    original_headline=f"Original {index}", congruence_score=0.8, status=status, ai_status=ai_status,
                    defect_scan_result={"passed": True}, review_check_scores={"V1": 8.0, "V2": 7.5},
                    review_score=7.8, prompt={"task": {"canvas_size": "1080x1080"}})
        for index in range(1, ads + 1)
    ])
    return job, run, ad_run
