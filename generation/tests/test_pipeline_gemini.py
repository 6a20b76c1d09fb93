"""The whole pipeline on the real google-genai and anthropic SDKs, against local stand-ins."""

import pytest

from adcreator.jobs.services import job_run_execute
from adcreator.providers import factory
from adcreator.calls.models import ProviderCall
from generation.models import AdStatus, GeneratedAd
from generation.services import ad_creation_submit
from tests.fakes import scenarios
from tests.fakes.fixtures import anthropic_server, anthropic_server_for_module, gemini_server, gemini_server_for_module  # noqa: F401
from tests.fakes.gemini_server import GEMINI_TEST_KEY
from tests.support.catalog import build_catalog


@pytest.fixture
def remote(settings, gemini_server, anthropic_server):
    from tests.fakes.anthropic_server import ANTHROPIC_TEST_KEY

    settings.ADCREATOR_IMAGE_PROVIDER = "gemini"
    settings.ADCREATOR_TEXT_PROVIDER = "claude"
    settings.GEMINI_API_KEY = GEMINI_TEST_KEY
    settings.GEMINI_BASE_URL = gemini_server.base_url
    settings.ANTHROPIC_API_KEY = ANTHROPIC_TEST_KEY
    settings.ANTHROPIC_BASE_URL = anthropic_server.base_url
    settings.ADCREATOR_PROVIDER_TIMEOUT_SECONDS = 5
    settings.ADCREATOR_MAX_CONCURRENCY = 2
    settings.ADCREATOR_RETRY_REJECTED_MAX = 0  # counted calls below are generation only
    factory._remote.cache_clear()
    yield gemini_server, anthropic_server
    factory._remote.cache_clear()


@pytest.mark.django_db
def test_pipeline_with_gemini_images_and_claude_text(org, remote):
    gemini, claude = remote
    cat = build_catalog(org)
    # One 429 (retried by our loop), one safety block (recorded, not retried), the rest images.
    gemini.queue(scenarios.rate_limited(retry_after=0), scenarios.image_safety())
    sub = ad_creation_submit(organization=org, user=None, parameters={
        "brand_id": cat.brand.pk, "product_id": cat.product.pk,
        "template_selection": {"mode": "manual", "template_ids": [cat.templates[0].pk]},
        "sizes": ["1:1", "4:5", "9:16"], "color_modes": ["original"], "offer_variant_id": cat.offer.pk,
    })
    run = job_run_execute(run_id=sub.jobs[0].runs.get().pk)
    ads = GeneratedAd.objects.filter(ad_run__job_run=run)
    assert ads.count() == 3
    assert ads.exclude(status=AdStatus.GENERATION_FAILED).count() == 2
    assert all(ad.ai_status in {"approved", "rejected", "flagged", "review_failed"} for ad in ads.exclude(ai_status=""))
    blocked = ads.get(status=AdStatus.GENERATION_FAILED)
    assert "blocked" in blocked.error
    calls = ProviderCall.objects.filter(job_run=run)
    assert calls.filter(purpose="image_generation", provider="gemini").count() == 4  # 429 + block + 2 ok
    assert calls.filter(purpose="image_generation", outcome="retryable_error").count() == 1
    assert calls.filter(purpose="image_generation", outcome="blocked").count() == 1
    assert calls.filter(purpose="congruence", provider="claude", outcome="ok").exists()
    ok = calls.filter(purpose="image_generation", outcome="ok").first()
    assert ok.input_tokens > 0 and ok.cost_usd > 0
    # The SDK sent the canvas ratio and the reference images (template + products + logo).
    image_requests = [r for r in gemini.requests if "generateContent" in r.path]
    ratios = {gemini.aspect_ratio(r) for r in image_requests}
    assert ratios == {"1:1", "4:5", "9:16"}
    assert all(len(gemini.inline_images(r)) >= 3 for r in image_requests)
