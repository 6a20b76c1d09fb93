"""GenerateAds: every brief at every size, concurrently, each ad its own row (spec 2, 4, P0-2).

Threads only call the image model (network- or CPU-bound, no database); the orchestrating
thread owns every write. A crash between two writes loses at most the ads in flight: their
rows stay `pending` and a resumed run generates exactly those.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from adcreator.prompts.builder import prompt_json
from adcreator.prompts.models import AdGenerationPrompt
from adcreator.prompts.vocabulary import CanvasSize
from adcreator.providers import factory
from adcreator.providers.base import GeneratedImage, ImageRequest, ReferenceImage
from adcreator.providers.calls import PendingCall, tracked_call
from adcreator.providers.errors import InvalidInputError, ProviderError
from generation.models import AdStatus, GeneratedAd
from generation.pipeline.ad_prompts import build_briefs, prompt_for
from generation.pipeline.element_tags import element_tags
from generation.pipeline.state import Brief, PipelineState
from generation.pipeline.tooling import ledger_for, read_file, run_concurrently
from adcreator.calls.ledger import retry_policy

logger = logging.getLogger(__name__)

# Rows in these states are finished: a resumed run leaves them alone.
DONE_STATUSES = {AdStatus.GENERATED, AdStatus.APPROVED, AdStatus.REJECTED, AdStatus.FLAGGED, AdStatus.REVIEW_FAILED,
                 AdStatus.GENERATION_FAILED}


@dataclass
class AdTask:
    ad_id: int
    brief: Brief
    size: CanvasSize
    prompt: AdGenerationPrompt
    references: list[ReferenceImage]
    input_error: ProviderError | None = None


@dataclass
class AdResult:
    image: GeneratedImage | None
    error: ProviderError | None
    calls: list[PendingCall]


class GenerateAds:
    name = "generate_ads"

    def run(self, state: PipelineState) -> None:
        state.briefs = build_briefs(state)
        tasks = self._prepare_rows(state)
        self._execute(state, tasks)

    def _prepare_rows(self, state: PipelineState) -> list[AdTask]:
        """Create every missing row as `pending` (idempotent), return tasks for unfinished ones."""
        specs = []
        for brief in state.briefs:
            for size in brief.sizes:
                prompt = prompt_for(state, brief, size)
                content = brief.content
                tags = element_tags(state, brief, size, prompt)
                specs.append((brief, size, prompt, GeneratedAd(
                    ad_run=state.run, prompt_index=brief.prompt_index, canvas_size=size.canvas,
                    color_mode=brief.color_mode, variation_index=content.variation_index,
                    template_id=brief.template.id, hook_id=content.hook_id,
                    headline=prompt.content.headline.text[:300],
                    original_headline=(content.original_headline or "")[:300],
                    congruence_score=content.congruence.overall_score if content.congruence else None,
                    congruence=(dict(content.congruence.model_dump(mode="json", exclude={"usage"}),
                                     score_before_adaptation=content.congruence_before)
                                if content.congruence else {}),
                    status=AdStatus.PENDING, prompt=prompt_json(prompt), prompt_version=prompt.prompt_version,
                    element_tags=tags,
                    # The genome's prediction for this combination, before the ad exists (spec 10.7).
                    pre_gen_score=state.genome.predicted(tags) if state.genome else None,
                )))
        # The unique key (ad_run, prompt_index, canvas_size) makes this safe to repeat.
        GeneratedAd.objects.bulk_create([spec[3] for spec in specs], ignore_conflicts=True)
        rows = {(ad.prompt_index, ad.canvas_size): ad
                for ad in GeneratedAd.objects.filter(ad_run=state.run).only("id", "prompt_index", "canvas_size", "status")}
        by_status = Counter(ad.status for ad in rows.values())
        state.report(ads_total=len(specs),
                     ads_already_done=sum(n for status, n in by_status.items() if status in DONE_STATUSES),
                     ads_generated=by_status.get(AdStatus.GENERATED, 0),
                     ads_failed=by_status.get(AdStatus.GENERATION_FAILED, 0))
        state.report(ads_attempted=state.progress.ads_already_done)
        tasks = []
        for brief, size, prompt, _ in specs:
            row = rows[(brief.prompt_index, size.canvas)]
            if row.status in DONE_STATUSES:
                continue
            try:
                references, input_error = self._references(state, prompt), None
            except OSError as exc:  # a reference file is missing or unreadable in storage
                references, input_error = [], InvalidInputError(f"reference image unavailable: {exc}", provider="storage")
            tasks.append(AdTask(ad_id=row.pk, brief=brief, size=size, prompt=prompt,
                                references=references, input_error=input_error))
        return tasks

    def _references(self, state: PipelineState, prompt: AdGenerationPrompt) -> list[ReferenceImage]:
        return [ReferenceImage(role=spec.role, data=read_file(state, spec.ref), asset_tags=spec.asset_tags)
                for spec in prompt.images.references]

    def _execute(self, state: PipelineState, tasks: list[AdTask]) -> None:
        if not tasks:
            return
        model = factory.image_model()
        ledger = ledger_for(state)
        policy = retry_policy()

        def generate(task: AdTask) -> AdResult:
            if task.input_error is not None:
                return AdResult(image=None, error=task.input_error, calls=[])
            request = ImageRequest(prompt=task.prompt, references=task.references)
            try:
                image, error, calls = tracked_call(lambda: model.generate(request), purpose="image_generation",
                                                   provider=model.provider_name, model=model.model_name, policy=policy)
            except Exception as exc:  # one broken input never aborts the batch
                logger.exception("ad %s: image generation crashed", task.ad_id)
                return AdResult(image=None, error=InvalidInputError(f"{type(exc).__name__}: {exc}",
                                                                    provider=model.provider_name), calls=[])
            return AdResult(image=image, error=error, calls=calls)

        def store(task: AdTask, result: AdResult) -> None:
            progress = state.progress
            fields: dict = {"generation_attempts": len(result.calls), "updated_at": timezone.now()}
            if result.image is not None:
                name = default_storage.save(
                    f"ads/run-{state.run.pk}/{task.brief.prompt_index:03d}-{task.size.canvas}-{task.brief.color_mode}.png",
                    ContentFile(result.image.png),
                )
                fields.update(status=AdStatus.GENERATED, image=name, error="")
                generated, failed = progress.ads_generated + 1, progress.ads_failed
            else:
                fields.update(status=AdStatus.GENERATION_FAILED, error=f"{result.error.kind}: {result.error}"[:2000])
                generated, failed = progress.ads_generated, progress.ads_failed + 1
            # The ad and its ledger rows land together or not at all (one transaction per ad).
            with transaction.atomic():
                GeneratedAd.objects.filter(pk=task.ad_id).update(**fields)
                ledger.write(result.calls, ad_id=task.ad_id)
            state.report(ads_attempted=progress.ads_attempted + 1, ads_generated=generated, ads_failed=failed,
                         current_template=task.brief.template.name, current_size=task.size.canvas,
                         current_color=task.brief.color_mode)

        run_concurrently(tasks, generate, store, thread_name="adgen", state=state)
