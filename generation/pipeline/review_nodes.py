"""ReviewAds and RetryRejected: the staged review of every generated ad, and bounded retries.

As in GenerateAds, worker threads only call providers; this thread writes every row, so a
crash leaves unreviewed ads `generated` (with no `ai_status`) and a resumed run reviews
exactly those.
"""

from __future__ import annotations

import logging
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import Callable

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from adcreator.prompts.models import AdGenerationPrompt, GenerationRules
from adcreator.providers import factory
from adcreator.providers.base import ImageRequest, ReferenceImage, ReviewRequest
from adcreator.providers.calls import PendingCall, tracked_call
from generation.models import AdStatus, GeneratedAd
from generation.pipeline.context_nodes import ledger_for, read_file, retry_policy
from generation.pipeline.state import PipelineState
from review import services as review_services
from review.staged import ReviewOutcome, review_staged

logger = logging.getLogger(__name__)

REVIEW_COUNT_FIELDS = {"approved": "ads_approved", "rejected": "ads_rejected", "flagged": "ads_flagged",
                       "review_failed": "ads_review_failed"}


@dataclass
class ReviewJob:
    ad_id: int
    prompt: AdGenerationPrompt
    references: list[ReferenceImage]
    image: bytes | None  # None: RetryRejected regenerates it first
    retry_of: dict | None = None


@dataclass
class ReviewJobResult:
    job: ReviewJob
    outcome: ReviewOutcome
    new_image: bytes | None
    calls: list[PendingCall]


def _run_concurrently(items: list, work: Callable, store: Callable) -> None:
    """Run `work` on items in threads (bounded by ADCREATOR_MAX_CONCURRENCY), `store` each result here."""
    concurrency = max(1, settings.ADCREATOR_MAX_CONCURRENCY)
    queue = list(items)
    in_flight = set()
    with ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="adreview") as pool:
        while queue or in_flight:
            while queue and len(in_flight) < concurrency:
                in_flight.add(pool.submit(work, queue.pop(0)))
            done, in_flight = wait(in_flight, return_when=FIRST_COMPLETED)
            for future in done:
                store(future.result())


class _ReviewBase:
    def _setup(self, state: PipelineState) -> None:
        config = review_services.quality_config_active(brand_id=state.brand.pk)
        self.config_row = config
        self.config = review_services.scoring_config(config)
        self.judge = factory.vision_judge()
        self.second_judge = factory.second_opinion_judge()
        self.policy = retry_policy()
        self.ledger = ledger_for(state)
        # Counters start from what the database holds, so a resumed run reports true totals.
        by_status = dict(GeneratedAd.objects.filter(ad_run=state.ad_run).exclude(ai_status="").order_by()
                         .values_list("ai_status").annotate(n=Count("id")))
        for status, key in REVIEW_COUNT_FIELDS.items():
            state.metadata[key] = by_status.get(status, 0)

    def _review_request(self, state: PipelineState, job: ReviewJob, image: bytes) -> ReviewRequest:
        template = next((r.data for r in job.references if r.role == "template"), None)
        products = [r.data for r in job.references if r.role == "product"]
        return ReviewRequest(image=image, prompt=job.prompt, template_image=template, product_images=products,
                             rubric_version=self.config_row.rubric_version)

    def _job_for(self, state: PipelineState, ad: GeneratedAd, *, with_image: bool) -> ReviewJob:
        prompt = AdGenerationPrompt.model_validate(ad.prompt)
        references = [ReferenceImage(role=spec.role, data=read_file(state, spec.ref), asset_tags=spec.asset_tags)
                      for spec in prompt.images.references]
        image = read_file(state, ad.image.name) if with_image else None
        return ReviewJob(ad_id=ad.pk, prompt=prompt, references=references, image=image)

    def _fields(self, outcome: ReviewOutcome) -> dict:
        return {
            "status": outcome.status, "ai_status": outcome.status,
            "defect_scan_result": outcome.defect_scan or {}, "review_check_scores": outcome.check_scores or {},
            "review_score": outcome.weighted_score, "reviewed_at": timezone.now(), "updated_at": timezone.now(),
        }

    def _review_json(self, outcome: ReviewOutcome) -> dict:
        return dict(outcome.as_json(), config_id=self.config_row.pk, config_version=self.config_row.version,
                    rubric_version=self.config_row.rubric_version)

    def _count(self, state: PipelineState, status: str, delta: int = 1) -> None:
        key = REVIEW_COUNT_FIELDS[status]
        state.metadata[key] = state.metadata.get(key, 0) + delta


class ReviewAds(_ReviewBase):
    name = "review_ads"

    def run(self, state: PipelineState):
        pending = list(GeneratedAd.objects.filter(ad_run=state.ad_run, status=AdStatus.GENERATED, ai_status=""))
        if not pending:
            return RetryRejected
        self._setup(state)
        jobs, unreadable = [], []
        for ad in pending:
            try:
                jobs.append(self._job_for(state, ad, with_image=True))
            except OSError as exc:  # the ad or a reference vanished from storage: fail closed
                unreadable.append((ad.pk, exc))
        state.progress.update(stage=self.name, ads_to_review=len(pending))

        def work(job: ReviewJob) -> ReviewJobResult:
            try:
                outcome = review_staged(request=self._review_request(state, job, job.image), config=self.config,
                                        judge=self.judge, second_judge=self.second_judge, policy=self.policy)
            except Exception as exc:  # fail closed: a judge that crashes never passes an ad
                logger.exception("ad %s: review crashed", job.ad_id)
                outcome = ReviewOutcome("review_failed", 0, error=f"review crashed: {type(exc).__name__}: {exc}")
            return ReviewJobResult(job, outcome, None, outcome.calls)

        def store(result: ReviewJobResult) -> None:
            outcome = result.outcome
            with transaction.atomic():  # the verdict and its ledger rows together
                GeneratedAd.objects.filter(pk=result.job.ad_id).update(review=self._review_json(outcome),
                                                                       **self._fields(outcome))
                self.ledger.write(result.calls, ad_id=result.job.ad_id)
            self._count(state, outcome.status)
            state.progress.update(**{k: state.metadata.get(k, 0) for k in REVIEW_COUNT_FIELDS.values()})

        for ad_id, exc in unreadable:
            outcome = ReviewOutcome("review_failed", 0, error=f"image unavailable for review: {exc}")
            GeneratedAd.objects.filter(pk=ad_id).update(review=self._review_json(outcome), **self._fields(outcome))
            self._count(state, outcome.status)
        _run_concurrently(jobs, work, store)
        return RetryRejected


def _retry_rule(review: dict) -> str:
    defects = (review.get("defect_scan") or {}).get("defects") or []
    scores = review.get("check_scores") or {}
    weak = sorted((c for c, s in scores.items() if s is not None and s < 5.0), key=lambda c: scores[c])
    reasons = []
    if defects:
        reasons.append("defects found: " + ", ".join(defects))
    if weak:
        reasons.append("weak checks: " + ", ".join(f"{c} {scores[c]:.1f}/10" for c in weak))
    return ("A previous attempt at this ad was rejected by review (" + ("; ".join(reasons) or "below the pass threshold")
            + "). Fix exactly these problems while keeping every other instruction.")


class RetryRejected(_ReviewBase):
    """Regenerate each rejected ad (up to ADCREATOR_RETRY_REJECTED_MAX times) with its full
    prompt — asset context and congruence included — plus what review found, then review it
    through the same three stages."""

    name = "retry_rejected"

    def run(self, state: PipelineState):
        from generation.pipeline.finish import CompileResults

        # A "retry rejected" from the dashboard raises this run's budget by one.
        limit = int(state.ad_run.generation_config.get("retry_rejected_max", settings.ADCREATOR_RETRY_REJECTED_MAX))
        rejected = list(GeneratedAd.objects.filter(ad_run=state.ad_run, ai_status=AdStatus.REJECTED,
                                                   status=AdStatus.REJECTED,
                                                   retry_count__lt=limit))
        if not rejected or limit <= 0:
            return CompileResults
        self._setup(state)
        model = factory.image_model()
        jobs = []
        for ad in rejected:
            try:
                job = self._job_for(state, ad, with_image=False)
            except OSError as exc:  # a reference vanished from storage: this ad stays rejected
                GeneratedAd.objects.filter(pk=ad.pk).update(
                    retry_count=ad.retry_count + 1, review=dict(ad.review or {}, retry_error=f"reference unavailable: {exc}"))
                continue
            job.retry_of = ad.review or {}
            rules = list(job.prompt.rules.rules) + [_retry_rule(job.retry_of)]
            job.prompt = job.prompt.model_copy(update={"rules": GenerationRules(rules=rules)})
            jobs.append((job, ad))
        state.progress.update(stage=self.name, ads_to_retry=len(jobs))

        def work(item) -> ReviewJobResult:
            job, _ = item
            try:
                image, error, calls = tracked_call(
                    lambda: model.generate(ImageRequest(prompt=job.prompt, references=job.references)),
                    purpose="image_generation", provider=model.provider_name, model=model.model_name, policy=self.policy)
            except Exception as exc:
                image, error, calls = None, f"{type(exc).__name__}: {exc}", []
            if image is None:
                outcome = ReviewOutcome("rejected", 0, error=f"regeneration failed: {error}")
                return ReviewJobResult(job, outcome, None, calls)
            try:
                outcome = review_staged(request=self._review_request(state, job, image.png), config=self.config,
                                        judge=self.judge, second_judge=self.second_judge, policy=self.policy)
            except Exception as exc:  # fail closed, as in ReviewAds
                logger.exception("ad %s: review of the retry crashed", job.ad_id)
                outcome = ReviewOutcome("review_failed", 0, error=f"review crashed: {type(exc).__name__}: {exc}")
            return ReviewJobResult(job, outcome, image.png, calls + outcome.calls)

        def store(result: ReviewJobResult) -> None:
            job = result.job
            ad = next(a for j, a in jobs if j is job)
            history = list((job.retry_of or {}).get("previous_attempts", []))
            history.append({k: v for k, v in (job.retry_of or {}).items() if k != "previous_attempts"} | {"image": ad.image.name})
            fields = {"retry_count": ad.retry_count + 1, "updated_at": timezone.now()}
            if result.new_image is not None:
                name = default_storage.save(f"ads/run-{state.ad_run.pk}/{ad.prompt_index:03d}-{ad.canvas_size}-"
                                            f"{ad.color_mode}-retry{ad.retry_count + 1}.png", ContentFile(result.new_image))
                fields.update(self._fields(result.outcome), image=name, prompt=job.prompt.model_dump(mode="json"),
                              review=dict(self._review_json(result.outcome), previous_attempts=history))
                self._count(state, AdStatus.REJECTED, -1)
                self._count(state, result.outcome.status)
            else:
                fields["review"] = dict(job.retry_of or {}, previous_attempts=history, retry_error=result.outcome.error)
            with transaction.atomic():
                GeneratedAd.objects.filter(pk=ad.pk).update(**fields)
                self.ledger.write(result.calls, ad_id=ad.pk)
            state.progress.update(**{k: state.metadata.get(k, 0) for k in REVIEW_COUNT_FIELDS.values()})

        _run_concurrently(jobs, work, store)
        # Another round while some ad is still rejected within its budget (the graph's step
        # guard bounds this too).
        if GeneratedAd.objects.filter(ad_run=state.ad_run, ai_status=AdStatus.REJECTED, status=AdStatus.REJECTED,
                                      retry_count__lt=limit).exists():
            return RetryRejected
        return CompileResults
