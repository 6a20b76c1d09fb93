"""The ad_creation_v2 pipeline run in-process (the worker path is tested in tests/)."""

import time
from io import BytesIO

import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from adcreator.jobs.models import JobRun, RunStatus
from adcreator.jobs.services import job_run_execute
from adcreator.providers import factory
from adcreator.providers.errors import ContentBlockedError, RetryableProviderError
from adcreator.providers.local.image_model import LocalImageModel
from adcreator.calls.models import ProviderCall
from generation.models import AdStatus, GeneratedAd
from generation.services import ad_creation_submit
from templates.models import ProductTemplateUsage
from tests.support.catalog import build_catalog

SIZES = {"1:1": (1080, 1080), "4:5": (1080, 1350), "9:16": (1080, 1920)}
REVIEWED = {AdStatus.APPROVED, AdStatus.REJECTED, AdStatus.FLAGGED, AdStatus.REVIEW_FAILED}


@pytest.fixture
def cat(org):
    return build_catalog(org)


def submit(cat, **over):
    parameters = {"brand_id": cat.brand.pk, "product_id": cat.product.pk,
                  "template_selection": {"mode": "manual", "template_ids": [t.pk for t in cat.templates[:2]]},
                  "sizes": list(SIZES), "color_modes": ["original", "brand"], "persona_id": cat.persona.pk,
                  "offer_variant_id": cat.offer.pk}
    parameters.update(over)
    return ad_creation_submit(organization=cat.org, user=None, parameters=parameters).jobs[0]


def run_job(job):
    run = job.runs.order_by("-id").first()
    return job_run_execute(run_id=run.pk)


@pytest.mark.django_db
def test_two_templates_three_sizes_two_colours_make_twelve_real_ads(cat):
    job = submit(cat)
    run = run_job(job)
    assert run.status == RunStatus.COMPLETED, run.error
    ads = list(GeneratedAd.objects.filter(ad_run__job_run=run))
    assert len(ads) == 12
    combos = {(ad.canvas_size, ad.color_mode) for ad in ads}
    assert combos == {(f"{w}x{h}", c) for (w, h) in SIZES.values() for c in ("original", "brand")}
    assert sorted({ad.prompt_index for ad in ads}) == [1, 2, 3, 4]  # template × colour briefs
    for ad in ads:
        assert ad.status in REVIEWED and ad.ai_status == ad.status
        assert set(ad.review_check_scores) == {"V1", "V2", "V3", "V4", "V5", "V6", "V7", "V8", "V9",
                                               "C1", "C2", "C3", "C4", "G1", "G2"}
        assert ad.defect_scan_result["provider"] == "local" and ad.review["config_version"] == 1
        with default_storage.open(ad.image.name, "rb") as fh:
            img = Image.open(BytesIO(fh.read()))
        assert f"{img.width}x{img.height}" == ad.canvas_size
        assert ad.prompt["task"]["canvas_size"] == ad.canvas_size
        assert ad.prompt["task"]["color_mode"] == ad.color_mode == ad.element_tags["color_mode"]
        assert ad.prompt_version and ad.prompt["prompt_version"] == ad.prompt_version
        assert ad.element_tags["template_id"] == ad.template_id
        assert ad.element_tags["canvas_size"] == ad.canvas_size
        assert ad.element_tags["persona_id"] == cat.persona.pk
        assert ad.element_tags["offer_variant_id"] == cat.offer.pk
        assert ad.headline and ad.congruence_score is not None
    calls = ProviderCall.objects.filter(job_run=run)
    assert calls.filter(purpose="image_generation", outcome="ok").count() == 12
    assert calls.filter(purpose="congruence").exists()
    assert set(calls.filter(purpose="image_generation").values_list("ad_id", flat=True)) == {ad.pk for ad in ads}
    # Usage is recorded by template id, once per run.
    assert set(ProductTemplateUsage.objects.values_list("template_id", flat=True)) == {t.pk for t in cat.templates[:2]}
    assert run.metadata["ads_total"] == 12 and run.metadata["ads_generated"] == 12
    assert calls.filter(purpose="defect_scan").count() >= 12
    assert sum(run.metadata[k] for k in ("ads_approved", "ads_rejected", "ads_flagged", "ads_review_failed")) == 12
    # Brand mode uses the brand's palette; original the template's.
    brand_ad = next(ad for ad in ads if ad.color_mode == "brand")
    assert brand_ad.prompt["style"]["palette"][0] in {c.lower() for c in cat.brand.colors}


@pytest.mark.django_db
def test_running_the_same_run_again_leaves_the_same_rows_and_calls_nothing(cat):
    job = submit(cat)
    run = run_job(job)
    calls_before = ProviderCall.objects.filter(purpose="image_generation").count()
    # As if the worker died mid-run and the task was delivered again.
    JobRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING, heartbeat_at=None)
    again = job_run_execute(run_id=run.pk)
    assert again.status == RunStatus.COMPLETED
    assert GeneratedAd.objects.filter(ad_run__job_run=run).count() == 12
    assert ProviderCall.objects.filter(purpose="image_generation").count() == calls_before
    assert ProductTemplateUsage.objects.count() == 2  # usage is not recorded twice


@pytest.mark.django_db
def test_a_resumed_run_generates_only_what_is_missing(cat):
    job = submit(cat)
    run = run_job(job)
    missing = list(GeneratedAd.objects.filter(ad_run__job_run=run).order_by("id")[:5].values_list("pk", flat=True))
    GeneratedAd.objects.filter(pk__in=missing).update(status=AdStatus.PENDING, ai_status="", image="", retry_count=0)
    JobRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING, heartbeat_at=None)
    before = ProviderCall.objects.filter(purpose="image_generation").count()
    job_run_execute(run_id=run.pk)
    assert ProviderCall.objects.filter(purpose="image_generation").count() - before == 5
    assert set(ProviderCall.objects.filter(purpose="image_generation").order_by("-id")[:5].values_list("ad_id", flat=True)) == set(missing)
    assert GeneratedAd.objects.filter(ad_run__job_run=run, status__in=REVIEWED).count() == 12


class FlakyModel(LocalImageModel):
    """Blocks every ad of the brand colour mode at 9:16; everything else renders."""

    def generate(self, request):
        if request.prompt.task.canvas_size == "1080x1920" and request.prompt.task.color_mode == "brand":
            raise ContentBlockedError("IMAGE_SAFETY", provider="local")
        return super().generate(request)


@pytest.mark.django_db
def test_one_failed_ad_never_aborts_the_batch(cat, monkeypatch):
    monkeypatch.setattr(factory, "image_model", lambda name=None: FlakyModel())
    run = run_job(submit(cat))
    assert run.status == RunStatus.COMPLETED
    ads = GeneratedAd.objects.filter(ad_run__job_run=run)
    failed = ads.filter(status=AdStatus.GENERATION_FAILED)
    assert failed.count() == 2 and all("IMAGE_SAFETY" in ad.error for ad in failed)
    assert ads.filter(status__in=REVIEWED).count() == 10
    assert run.metadata["ads_failed"] == 2
    assert ProviderCall.objects.filter(outcome="blocked").count() == 2  # blocked is not retried


class DownModel(LocalImageModel):
    def generate(self, request):
        raise RetryableProviderError("503 Service Unavailable", provider="local", status_code=503)


@pytest.mark.django_db
def test_provider_fully_down_fails_the_run_after_bounded_retries(cat, monkeypatch, settings):
    settings.ADCREATOR_PROVIDER_MAX_ATTEMPTS = 3
    monkeypatch.setattr(factory, "image_model", lambda name=None: DownModel())
    run = run_job(submit(cat, sizes=["1:1"], color_modes=["original"]))
    assert run.status == RunStatus.FAILED
    assert "all 2 ads failed" in run.error and "503" in run.error
    assert ProviderCall.objects.filter(purpose="image_generation").count() == 2 * 3
    assert not GeneratedAd.objects.exclude(status=AdStatus.GENERATION_FAILED).exists()


@pytest.mark.django_db
def test_transient_failures_are_retried_and_recorded(cat, monkeypatch):
    model = LocalImageModel(fail_every=3)
    monkeypatch.setattr(factory, "image_model", lambda name=None: model)
    run = run_job(submit(cat))
    assert GeneratedAd.objects.filter(ad_run__job_run=run, status__in=REVIEWED).count() == 12
    retried = ProviderCall.objects.filter(purpose="image_generation", outcome="retryable_error")
    assert retried.count() == model.calls - 12 > 0


@pytest.mark.django_db
def test_a_headline_that_contradicts_the_offer_is_adapted(cat):
    from adcreator.catalog.models import Hook

    cat.offer.core_message = "Free shipping on every order"
    cat.offer.pain_points = []
    cat.offer.save()
    hook = Hook.objects.create(brand=cat.brand, product=cat.product, text="Shipping fees apply", hook_type="offer")
    run = run_job(submit(cat, hook_ids=[hook.pk], persona_id=None, sizes=["1:1"], color_modes=["original"],
                         template_selection={"mode": "manual", "template_ids": [cat.templates[0].pk]}))
    ad = GeneratedAd.objects.get(ad_run__job_run=run)
    assert ad.original_headline == "Shipping fees apply"
    assert ad.headline != ad.original_headline
    assert ad.congruence["score_before_adaptation"] < 0.4
    assert ad.congruence_score > ad.congruence["score_before_adaptation"]


TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE", "ROLLBACK")
PIPELINE_NODES = 10


def _is_progress_write(sql: str) -> bool:
    # JobRunProgress: at most two a second plus one per stage change, so their number follows
    # the run's wall time (and the machine's load), not the number of ads.
    return sql.lstrip().startswith('UPDATE "jobs_jobrun" SET "metadata"')


def _queries_for(job):
    run = job.runs.get()
    started = time.monotonic()
    with CaptureQueriesContext(connection) as ctx:
        job_run_execute(run_id=run.pk)
    elapsed = time.monotonic() - started
    statements = [q["sql"] for q in ctx.captured_queries]
    progress = sum(map(_is_progress_write, statements))
    statements = [sql for sql in statements if not _is_progress_write(sql)]
    data = [sql for sql in statements if not sql.lstrip().upper().startswith(TRANSACTION_CONTROL)]
    # Ten nodes, so ten stage changes, plus the job's own start and end writes.
    assert progress <= 2 * elapsed + PIPELINE_NODES + 2, (progress, elapsed)
    return len(data), len(statements), GeneratedAd.objects.filter(ad_run__job_run=run).count()


@pytest.mark.django_db
def test_queries_grow_by_at_most_four_per_ad(cat, settings):
    settings.ADCREATOR_RETRY_REJECTED_MAX = 0  # retries add their own (bounded) writes
    one_template = {"mode": "manual", "template_ids": [cat.templates[0].pk]}
    small, small_all, small_ads = _queries_for(submit(cat, template_selection=one_template, sizes=["1:1"],
                                                      color_modes=["brand"]))
    big, big_all, big_ads = _queries_for(submit(cat))
    assert (small_ads, big_ads) == (1, 12)
    # Per ad, twice (generation, then review): its UPDATE and its ledger INSERT, in one
    # transaction; the review's transaction also writes the reasons (its findings and its
    # decision, one upsert each). Everything else is per run or per template; progress writes,
    # which follow the clock, are bounded apart (in _queries_for).
    per_template = 6
    assert big - small <= 6 * (big_ads - small_ads) + per_template, (small, big)
    # With the transaction's own two statements per write: at most the 10 per ad.
    assert big_all - small_all <= 10 * (big_ads - small_ads) + per_template, (small_all, big_all)
