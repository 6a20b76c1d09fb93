"""ReviewAds and RetryRejected inside the pipeline, and the review metrics."""

import pytest

from adcreator.jobs.models import JobRun, RunStatus
from adcreator.jobs.services import job_run_execute
from adcreator.providers import factory
from adcreator.providers.base import DEFECT_TYPES, RUBRIC_CHECKS, CheckScore, DefectFinding, DefectScanResult, RubricResult
from adcreator.providers.errors import RetryableProviderError
from adcreator.calls.models import ProviderCall
from generation.models import AdStatus, GeneratedAd
from generation.services import ResultsError, ad_run_retry_rejected
from generation.selectors import review_metrics
from generation.services import ad_creation_submit
from tests.support.catalog import build_catalog


class RuleAwareJudge:
    """Finds a defect in every first attempt; approves ads whose prompt carries the retry rule."""

    provider_name, model_name = "scripted", "rule-aware"

    def __init__(self, always_reject=False, fail=False):
        self.always_reject, self.fail = always_reject, fail

    def defect_scan(self, request):
        if self.fail:
            raise RetryableProviderError("judge down", provider="scripted", status_code=503)
        retried = any("previous attempt" in rule for rule in request.prompt.rules.rules)
        defect = self.always_reject or not retried
        return DefectScanResult(findings=[DefectFinding(defect=d, present=defect and d == "PRODUCT_DISTORTION")
                                          for d in DEFECT_TYPES], model="rule-aware")

    def rubric_review(self, request):
        return RubricResult(checks=[CheckScore(check=c, score=9.0) for c in RUBRIC_CHECKS], model="rule-aware")


@pytest.fixture
def cat(org):
    return build_catalog(org)


def run_with(cat, monkeypatch, judge, **over):
    monkeypatch.setattr(factory, "vision_judge", lambda name=None: judge)
    monkeypatch.setattr(factory, "second_opinion_judge", lambda: judge)
    params = {"brand_id": cat.brand.pk, "product_id": cat.product.pk,
              "template_selection": {"mode": "manual", "template_ids": [cat.templates[0].pk]},
              "sizes": ["1:1", "4:5"], "color_modes": ["brand"]} | over
    job = ad_creation_submit(organization=cat.org, user=None, parameters=params).jobs[0]
    return job_run_execute(run_id=job.runs.get().pk)


@pytest.mark.django_db
def test_rejected_ads_are_regenerated_with_context_and_reviewed_again(cat, monkeypatch):
    run = run_with(cat, monkeypatch, RuleAwareJudge())
    ads = list(GeneratedAd.objects.filter(ad_run__job_run=run))
    assert len(ads) == 2
    for ad in ads:
        assert ad.status == ad.ai_status == AdStatus.APPROVED and ad.retry_count == 1
        assert ad.review["previous_attempts"][0]["status"] == "rejected"
        assert ad.review["previous_attempts"][0]["defect_scan"]["defects"] == ["PRODUCT_DISTORTION"]
        rule = ad.prompt["rules"]["rules"][-1]
        assert "PRODUCT_DISTORTION" in rule and ad.prompt["asset_context"]  # full context kept
        assert "retry1" in ad.image.name
        calls = ProviderCall.objects.filter(ad=ad)
        assert calls.filter(purpose="image_generation").count() == 2
        assert calls.filter(purpose="defect_scan").count() == 2 and calls.filter(purpose="rubric_review").count() == 1
    assert run.metadata["ads_approved"] == 2 and run.metadata["ads_rejected"] == 0


@pytest.mark.django_db
def test_retries_are_bounded_and_the_dashboard_can_grant_one_more(cat, monkeypatch):
    judge = RuleAwareJudge(always_reject=True)
    run = run_with(cat, monkeypatch, judge)
    ads = GeneratedAd.objects.filter(ad_run__job_run=run)
    assert all(ad.status == AdStatus.REJECTED and ad.retry_count == 1 for ad in ads)
    image_calls = ProviderCall.objects.filter(job_run=run, purpose="image_generation").count()
    assert image_calls == 4
    ad_run = ads.first().ad_run
    rerun = ad_run_retry_rejected(ad_run=ad_run)
    assert rerun.pk == run.pk and rerun.status == RunStatus.PENDING
    job_run_execute(run_id=run.pk)
    assert all(ad.retry_count == 2 for ad in GeneratedAd.objects.filter(ad_run__job_run=run))
    assert ProviderCall.objects.filter(job_run=run, purpose="image_generation").count() == image_calls + 2
    JobRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING)
    with pytest.raises(ResultsError):
        ad_run_retry_rejected(ad_run=ad_run)


@pytest.mark.django_db
def test_a_judge_that_is_down_leaves_every_ad_review_failed(cat, monkeypatch, settings):
    settings.ADCREATOR_PROVIDER_MAX_ATTEMPTS = 2
    run = run_with(cat, monkeypatch, RuleAwareJudge(fail=True))
    ads = GeneratedAd.objects.filter(ad_run__job_run=run)
    assert {ad.status for ad in ads} == {AdStatus.REVIEW_FAILED}
    assert all("judge down" in ad.review["error"] for ad in ads)
    assert not ads.filter(status=AdStatus.APPROVED).exists()


@pytest.mark.django_db
def test_review_metrics(cat, monkeypatch, settings):
    settings.ADCREATOR_RETRY_REJECTED_MAX = 0
    run_with(cat, monkeypatch, RuleAwareJudge(always_reject=True))
    metrics = review_metrics(brand_id=cat.brand.pk)
    assert metrics["reviewed"] == 2 and metrics["rejected"] == 2 and metrics["rejected_at_stage_1"] == 2
    assert metrics["defect_catch_rate"] == 1.0
    assert metrics["review_cost_per_approved_ad"] is None  # no approvals: no division by zero
    assert metrics["override_rate"] is None
