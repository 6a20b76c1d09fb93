"""Builders shared by the page tests (tests/web) and the browser tests (tests/browser): runs and
ads written straight to the database, with real small PNGs in storage, so a results page can
be shown with chosen statuses and scores without running the pipeline."""

from __future__ import annotations

from datetime import datetime
from io import BytesIO

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image

from adcreator.jobs.models import Job, JobRun, RunStatus
from generation.models import AdRun, GeneratedAd
from review.decision import CHECKS

SIZE_PIXELS = {"1080x1080": (108, 108), "1080x1350": (108, 135), "1080x1920": (108, 192), "1920x1080": (192, 108)}


def small_png(canvas_size: str = "1080x1080", color=(200, 120, 60)) -> bytes:
    out = BytesIO()
    Image.new("RGB", SIZE_PIXELS[canvas_size], color).save(out, format="PNG")
    return out.getvalue()


def make_run(cat, *, status: str = RunStatus.COMPLETED, user=None, metadata: dict | None = None) -> AdRun:
    """A finished ad_creation_v2 job with its run and AdRun (no worker involved)."""
    job = Job.objects.create(organization=cat.org, brand=cat.brand, job_type="ad_creation_v2", name="Test job",
                             created_by=user, parameters={
                                 "brand_id": cat.brand.pk, "product_id": cat.product.pk,
                                 "template_selection": {"mode": "manual", "template_ids": [t.pk for t in cat.templates]},
                                 "sizes": ["1:1"], "color_modes": ["original"], "content_source": "hooks", "variations": 1})
    run = JobRun.objects.create(job=job, status=status, metadata=metadata or {"stage": "done"})
    return AdRun.objects.create(organization=cat.org, brand=cat.brand, product=cat.product, job_run=run,
                                generation_config={"retry_rejected_max": 0})


def scores(value: float | None = 8.0, **overrides) -> dict:
    result = {check: value for check in CHECKS}
    result.update(overrides)
    return result


def make_ad(ad_run: AdRun, *, template=None, prompt_index: int = 1, canvas_size: str = "1080x1080",
            color_mode: str = "original", status: str = "approved", ai_status: str | None = None,
            check_scores: dict | None = None, defect_passed: bool | None = True, congruence: float | None = 0.8,
            review_score: float | None = 8.0, created_at: datetime | None = None, headline: str = "Smoother skin by morning",
            image: bool = True) -> GeneratedAd:
    ai = status if ai_status is None else ai_status
    defect = {} if defect_passed is None else {"passed": defect_passed, "defects": [] if defect_passed else ["text_garbled"]}
    ad = GeneratedAd.objects.create(
        ad_run=ad_run, prompt_index=prompt_index, canvas_size=canvas_size, color_mode=color_mode, template=template,
        headline=headline, original_headline=headline, congruence_score=congruence, status=status, ai_status=ai,
        defect_scan_result=defect, review_check_scores=scores() if check_scores is None else check_scores,
        review_score=review_score, prompt={"task": {"canvas_size": canvas_size}, "content": {"headline": headline}},
    )
    if image:
        name = default_storage.save(f"ads/test/{ad_run.pk}-{prompt_index}-{canvas_size}.png", ContentFile(small_png(canvas_size)))
        GeneratedAd.objects.filter(pk=ad.pk).update(image=name)
        ad.image.name = name
    if created_at is not None:
        GeneratedAd.objects.filter(pk=ad.pk).update(created_at=created_at)
        ad.created_at = created_at
    return ad
