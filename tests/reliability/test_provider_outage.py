"""Issue 7: the Gemini stand-in failing about a third of calls, then fully down."""

import pytest

from adcreator.calls.models import ProviderCall
from adcreator.jobs.models import RunStatus
from adcreator.jobs.services import job_run_execute
from adcreator.providers import factory
from generation.models import AdStatus, GeneratedAd
from generation.services import ad_creation_submit
from tests.fakes import scenarios
from tests.fakes.fixtures import gemini_server, gemini_server_for_module  # noqa: F401
from tests.fakes.gemini_server import GEMINI_TEST_KEY
from tests.support.catalog import build_catalog


@pytest.fixture
def gemini(settings, gemini_server):
    settings.ADCREATOR_IMAGE_PROVIDER = "gemini"
    settings.GEMINI_API_KEY = GEMINI_TEST_KEY
    settings.GEMINI_BASE_URL = gemini_server.base_url
    settings.ADCREATOR_PROVIDER_TIMEOUT_SECONDS = 1
    settings.ADCREATOR_PROVIDER_MAX_ATTEMPTS = 4
    settings.ADCREATOR_MAX_CONCURRENCY = 4
    settings.ADCREATOR_RETRY_REJECTED_MAX = 0
    factory._remote.cache_clear()
    yield gemini_server
    factory._remote.cache_clear()


def submit(org):
    cat = build_catalog(org, templates=2)
    job = ad_creation_submit(organization=org, user=None, parameters={
        "brand_id": cat.brand.pk, "product_id": cat.product.pk,
        "template_selection": {"mode": "manual", "template_ids": [t.pk for t in cat.templates]},
        "sizes": ["1:1", "4:5", "9:16"], "color_modes": ["original", "brand"],
    }).jobs[0]
    return job.runs.get()


@pytest.mark.django_db
def test_a_third_of_calls_failing_still_completes_the_job(org, gemini):
    # Every third request fails, cycling through 429 (with retry-after), 503 and a timeout.
    failures = [scenarios.rate_limited(retry_after=0), scenarios.server_error(503), scenarios.slow(1.5)]
    pattern = []
    for i in range(60):
        pattern += [scenarios.image(), scenarios.image(), failures[i % 3]]
    gemini.queue(*pattern)
    run = job_run_execute(run_id=submit(org).pk)
    assert run.status == RunStatus.COMPLETED, run.error
    ads = GeneratedAd.objects.filter(ad_run__job_run=run)
    assert ads.count() == 12
    for ad in ads:
        assert ad.status != AdStatus.PENDING
        if ad.status == AdStatus.GENERATION_FAILED:
            assert ad.error
    calls = ProviderCall.objects.filter(job_run=run, purpose="image_generation")
    failed = calls.exclude(outcome="ok").count()
    assert failed >= 3 and calls.filter(outcome="ok").count() == ads.exclude(status=AdStatus.GENERATION_FAILED).count()
    print(f"\nFIGURES outage: {calls.count()} image calls for 12 ads, {failed} failed and retried")


@pytest.mark.django_db
def test_provider_fully_down_fails_the_job_with_a_clear_error_and_approves_nothing(org, gemini):
    gemini.default = scenarios.server_error(503)
    run = job_run_execute(run_id=submit(org).pk)
    assert run.status == RunStatus.FAILED
    assert "all 12 ads failed to generate" in run.error and "503" in run.error
    assert ProviderCall.objects.filter(job_run=run, purpose="image_generation").count() == 12 * 4  # bounded
    assert not GeneratedAd.objects.filter(ad_run__job_run=run, status=AdStatus.APPROVED).exists()
