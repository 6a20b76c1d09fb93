"""What ReviewAds and RetryRejected share: the judges, the config, the request and the stored verdict."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count
from django.utils import timezone

from adcreator.calls.ledger import retry_policy
from adcreator.prompts.models import AdGenerationPrompt
from adcreator.providers import factory
from adcreator.providers.base import ReferenceImage, ReviewRequest
from adcreator.providers.calls import PendingCall
from generation.models import GeneratedAd
from generation.pipeline.state import PipelineState
from generation.pipeline.tooling import ledger_for, read_file
from generation.progress import REVIEW_COUNTERS
from review import services as review_services
from review.staged import ReviewOutcome


@dataclass
class ReviewJob:
    ad_id: int
    prompt: AdGenerationPrompt
    references: list[ReferenceImage]
    image: bytes | None  # None: RetryRejected regenerates it first
    retry_of: dict | None = None


@dataclass
class ReviewJobResult:
    outcome: ReviewOutcome
    new_image: bytes | None
    calls: list[PendingCall]


class ReviewSetup:
    """The judges and the active quality config of one review pass, and how its verdicts are stored."""

    def __init__(self, state: PipelineState):
        self.config_row = review_services.quality_config_ensure_active(brand_id=state.cat.brand.pk)
        self.config = review_services.scoring_config(self.config_row)
        self.judge = factory.vision_judge()
        self.second_judge = factory.second_opinion_judge()
        self.policy = retry_policy()
        self.ledger = ledger_for(state)
        # Counters start from what the database holds, so a resumed run reports true totals.
        by_status = dict(GeneratedAd.objects.filter(ad_run=state.run).exclude(ai_status="").order_by()
                         .values_list("ai_status").annotate(n=Count("id")))
        state.report(**{counter: by_status.get(status, 0) for status, counter in REVIEW_COUNTERS.items()})

    def request(self, job: ReviewJob, image: bytes) -> ReviewRequest:
        template = next((r.data for r in job.references if r.role == "template"), None)
        products = [r.data for r in job.references if r.role == "product"]
        return ReviewRequest(image=image, prompt=job.prompt, template_image=template, product_images=products,
                             rubric_version=self.config_row.rubric_version)

    def fields(self, outcome: ReviewOutcome) -> dict:
        now = timezone.now()
        return {"status": outcome.status, "ai_status": outcome.status,
                "defect_scan_result": outcome.defect_scan or {}, "review_check_scores": outcome.check_scores or {},
                "review_score": outcome.weighted_score, "reviewed_at": now, "updated_at": now}

    def record_reasons(self, ad_id: int, outcome: ReviewOutcome, *, replace: bool) -> None:
        """`replace`: a re-review (RetryRejected) replaces the reasons of the one before."""
        review_services.review_reasons_record(ad_id=ad_id, outcome=outcome, config=self.config, replace=replace)

    def review_json(self, outcome: ReviewOutcome) -> dict:
        return dict(outcome.as_json(), config_id=self.config_row.pk, config_version=self.config_row.version,
                    rubric_version=self.config_row.rubric_version)


def review_job_for(state: PipelineState, ad: GeneratedAd, *, with_image: bool) -> ReviewJob:
    prompt = AdGenerationPrompt.model_validate(ad.prompt)
    references = [ReferenceImage(role=spec.role, data=read_file(state, spec.ref), asset_tags=spec.asset_tags)
                  for spec in prompt.images.references]
    image = read_file(state, ad.image.name) if with_image else None
    return ReviewJob(ad_id=ad.pk, prompt=prompt, references=references, image=image)


def count_review(state: PipelineState, status: str, delta: int = 1) -> None:
    counter = REVIEW_COUNTERS[status]
    state.report(**{counter: getattr(state.progress, counter) + delta})
