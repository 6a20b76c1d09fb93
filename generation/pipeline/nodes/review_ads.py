"""ReviewAds: the staged review (spec 6a) of every generated ad not reviewed yet.

As in GenerateAds, worker threads only call providers and this thread writes every row, so a
crash leaves unreviewed ads `generated` (with no `ai_status`) and a resumed run reviews exactly those.
"""

from __future__ import annotations

import logging

from django.db import transaction

from generation.models import AdStatus, GeneratedAd
from generation.pipeline.review_common import ReviewJob, ReviewJobResult, ReviewSetup, count_review, review_job_for
from generation.pipeline.state import PipelineState
from generation.pipeline.tooling import run_concurrently
from review.staged import ReviewOutcome, review_staged

logger = logging.getLogger(__name__)


class ReviewAds:
    name = "review_ads"

    def run(self, state: PipelineState) -> None:
        pending = list(GeneratedAd.objects.filter(ad_run=state.run, status=AdStatus.GENERATED, ai_status=""))
        if not pending:
            return
        setup = ReviewSetup(state)
        jobs, unreadable = [], []
        for ad in pending:
            try:
                jobs.append(review_job_for(state, ad, with_image=True))
            except OSError as exc:  # the ad or a reference vanished from storage: fail closed
                unreadable.append((ad.pk, exc))
        state.report(ads_to_review=len(pending))

        def work(job: ReviewJob) -> ReviewJobResult:
            try:
                outcome = review_staged(request=setup.request(job, job.image), config=setup.config,
                                        judge=setup.judge, second_judge=setup.second_judge, policy=setup.policy)
            except Exception as exc:  # fail closed: a judge that crashes never passes an ad
                logger.exception("ad %s: review crashed", job.ad_id)
                outcome = ReviewOutcome("review_failed", 0, error=f"review crashed: {type(exc).__name__}: {exc}")
            return ReviewJobResult(outcome, None, outcome.calls)

        def store(job: ReviewJob, result: ReviewJobResult) -> None:
            with transaction.atomic():  # the verdict and its ledger rows together
                GeneratedAd.objects.filter(pk=job.ad_id).update(review=setup.review_json(result.outcome),
                                                                **setup.fields(result.outcome))
                setup.record_reasons(job.ad_id, result.outcome, replace=False)
                setup.ledger.write(result.calls, ad_id=job.ad_id)
            count_review(state, result.outcome.status)

        for ad_id, exc in unreadable:
            outcome = ReviewOutcome("review_failed", 0, error=f"image unavailable for review: {exc}")
            with transaction.atomic():
                GeneratedAd.objects.filter(pk=ad_id).update(review=setup.review_json(outcome), **setup.fields(outcome))
                setup.record_reasons(ad_id, outcome, replace=False)
            count_review(state, outcome.status)
        run_concurrently(jobs, work, store, thread_name="adreview", state=state)
