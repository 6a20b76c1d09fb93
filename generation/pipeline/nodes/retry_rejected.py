"""RetryRejected: regenerate each rejected ad (up to its run's budget) and review it again.

The full prompt — asset context and congruence included — plus what review found goes to the
image model; the new image goes through the same three stages. While some ad is still
rejected within its budget the node ends with Outcome.AGAIN and the graph runs it once more.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from adcreator.prompts.models import GenerationRules
from adcreator.providers import factory
from adcreator.providers.base import ImageRequest
from adcreator.providers.calls import tracked_call
from generation.models import AdStatus, GeneratedAd
from generation.pipeline.nodes.base import Outcome
from generation.pipeline.review_common import ReviewJob, ReviewJobResult, ReviewSetup, count_review, review_job_for
from generation.pipeline.state import PipelineState
from generation.pipeline.tooling import run_concurrently
from review.staged import ReviewOutcome, review_staged

logger = logging.getLogger(__name__)


def retry_rule(review: dict) -> str:
    """The instruction that tells the image model what the rejected attempt got wrong."""
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


def retry_budget(state: PipelineState) -> int:
    # A "retry rejected" from the dashboard raises this run's budget by one.
    return int(state.run.generation_config.get("retry_rejected_max", settings.ADCREATOR_RETRY_REJECTED_MAX))


def _retryable(state: PipelineState, limit: int):
    return GeneratedAd.objects.filter(ad_run=state.run, ai_status=AdStatus.REJECTED, status=AdStatus.REJECTED,
                                      retry_count__lt=limit)


class RetryRejected:
    name = "retry_rejected"

    def run(self, state: PipelineState) -> Outcome:
        limit = retry_budget(state)
        rejected = list(_retryable(state, limit))
        if not rejected or limit <= 0:
            return Outcome.NEXT
        setup = ReviewSetup(state)
        model = factory.image_model()
        ads: dict[int, GeneratedAd] = {}
        jobs: list[ReviewJob] = []
        for ad in rejected:
            try:
                job = review_job_for(state, ad, with_image=False)
            except OSError as exc:  # a reference vanished from storage: this ad stays rejected
                GeneratedAd.objects.filter(pk=ad.pk).update(
                    retry_count=ad.retry_count + 1, review=dict(ad.review or {}, retry_error=f"reference unavailable: {exc}"))
                continue
            job.retry_of = ad.review or {}
            rules = list(job.prompt.rules.rules) + [retry_rule(job.retry_of)]
            job.prompt = job.prompt.model_copy(update={"rules": GenerationRules(rules=rules)})
            ads[job.ad_id] = ad
            jobs.append(job)
        state.report(ads_to_retry=len(jobs), ads_retried=0)

        def work(job: ReviewJob) -> ReviewJobResult:
            try:
                image, error, calls = tracked_call(
                    lambda: model.generate(ImageRequest(prompt=job.prompt, references=job.references)),
                    purpose="image_generation", provider=model.provider_name, model=model.model_name,
                    policy=setup.policy)
            except Exception as exc:
                image, error, calls = None, f"{type(exc).__name__}: {exc}", []
            if image is None:
                return ReviewJobResult(ReviewOutcome("rejected", 0, error=f"regeneration failed: {error}"), None, calls)
            try:
                outcome = review_staged(request=setup.request(job, image.png), config=setup.config,
                                        judge=setup.judge, second_judge=setup.second_judge, policy=setup.policy)
            except Exception as exc:  # fail closed, as in ReviewAds
                logger.exception("ad %s: review of the retry crashed", job.ad_id)
                outcome = ReviewOutcome("review_failed", 0, error=f"review crashed: {type(exc).__name__}: {exc}")
            return ReviewJobResult(outcome, image.png, calls + outcome.calls)

        def store(job: ReviewJob, result: ReviewJobResult) -> None:
            ad = ads[job.ad_id]
            history = list((job.retry_of or {}).get("previous_attempts", []))
            history.append({k: v for k, v in (job.retry_of or {}).items() if k != "previous_attempts"}
                           | {"image": ad.image.name})
            fields = {"retry_count": ad.retry_count + 1, "updated_at": timezone.now()}
            if result.new_image is not None:
                name = default_storage.save(f"ads/run-{state.run.pk}/{ad.prompt_index:03d}-{ad.canvas_size}-"
                                            f"{ad.color_mode}-retry{ad.retry_count + 1}.png", ContentFile(result.new_image))
                fields.update(setup.fields(result.outcome), image=name, prompt=job.prompt.model_dump(mode="json"),
                              review=dict(setup.review_json(result.outcome), previous_attempts=history))
                count_review(state, AdStatus.REJECTED, -1)
                count_review(state, result.outcome.status)
            else:
                fields["review"] = dict(job.retry_of or {}, previous_attempts=history, retry_error=result.outcome.error)
            with transaction.atomic():
                GeneratedAd.objects.filter(pk=ad.pk).update(**fields)
                if result.new_image is not None:
                    setup.record_reasons(ad.pk, result.outcome, replace=True)
                setup.ledger.write(result.calls, ad_id=ad.pk)
            state.report(ads_retried=state.progress.ads_retried + 1)

        run_concurrently(jobs, work, store, thread_name="adretry", state=state)
        # Another round while some ad is still rejected within its budget (the orchestrator's
        # step guard bounds this too).
        return Outcome.AGAIN if _retryable(state, limit).exists() else Outcome.NEXT
