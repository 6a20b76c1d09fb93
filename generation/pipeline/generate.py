"""GenerateAds: every brief at every size, concurrently, each ad its own row (spec 2, 4, P0-2).

Threads only call the image model (network- or CPU-bound, no database); the orchestrating
thread owns every write. That keeps the database work serial and countable, and a crash
between two writes loses at most the ads in flight: their rows stay `pending` and a
resumed run generates exactly those.
"""

from __future__ import annotations

import logging
from collections import Counter
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from adcreator.prompts.builder import (
    BrandInput,
    ContentInput,
    ProductInput,
    PromptInputs,
    TemplateInput,
    build_prompt,
    prompt_json,
)
from adcreator.prompts.models import AdBriefConfig, AdGenerationPrompt, ReferenceImageSpec
from adcreator.providers import factory
from adcreator.providers.base import GeneratedImage, ImageRequest, ReferenceImage
from adcreator.providers.errors import InvalidInputError, ProviderError
from adcreator.providers.local.palette import palette_for_mode
from adcreator.providers.calls import PendingCall, tracked_call
from generation.models import AdStatus, GeneratedAd
from generation.pipeline.context_nodes import MIN_HEADLINE_CHARS, ledger_for, read_file, retry_policy
from generation.pipeline.state import Brief, PipelineState

logger = logging.getLogger(__name__)

# Rows in these states are finished: a resumed run leaves them alone.
DONE_STATUSES = {AdStatus.GENERATED, AdStatus.APPROVED, AdStatus.REJECTED, AdStatus.FLAGGED, AdStatus.REVIEW_FAILED,
                 AdStatus.GENERATION_FAILED}


@dataclass
class AdTask:
    ad_id: int
    brief: Brief
    canvas_size: str
    prompt: AdGenerationPrompt
    references: list[ReferenceImage]
    input_error: ProviderError | None = None


@dataclass
class AdResult:
    task: AdTask
    image: GeneratedImage | None
    error: ProviderError | None
    calls: list[PendingCall]


def _ordered_sizes(native_ratio: str | None, canvas_sizes: list[str]) -> list[str]:
    """The template's native ratio first (spec 2): it is the layout the template was made for."""
    from adcreator.prompts.models import CANVAS_SIZES, canvas_label

    native = canvas_label(*CANVAS_SIZES[native_ratio]) if native_ratio else None
    return sorted(canvas_sizes, key=lambda size: (size != native, canvas_sizes.index(size)))


class GenerateAds:
    name = "generate_ads"

    def run(self, state: PipelineState):
        from generation.pipeline.review_nodes import ReviewAds

        self._build_briefs(state)
        tasks = self._prepare_rows(state)
        self._execute(state, tasks)
        return ReviewAds

    # -- briefs and rows -------------------------------------------------------------------

    def _build_briefs(self, state: PipelineState) -> None:
        params = state.params
        brand_colors = list(state.brand.colors or [])
        briefs: list[Brief] = []
        index = 0
        for content in state.contents:
            template = state.templates[content.template_index]
            template_palette = (template.elements.palette if template.elements else []) or brand_colors or ["#222222"]
            for color_mode in params.color_modes:
                index += 1
                briefs.append(Brief(
                    prompt_index=index, template=template, content=content, color_mode=color_mode,
                    palette=palette_for_mode(color_mode, template_palette, brand_colors),
                    canvas_sizes=_ordered_sizes(template.native_ratio, params.canvas_sizes),
                ))
        state.briefs = briefs

    def _prompt_for(self, state: PipelineState, brief: Brief, canvas_size: str) -> AdGenerationPrompt:
        params, template, content = state.params, brief.template, brief.content
        persona, offer, belief = state.persona, state.offer_variant, state.belief_angle
        images = state.selected_images.get(content.template_index, [])
        by_id = {img.pk: img for img in state.product_images}
        references = [ReferenceImageSpec(role="template", ref=template.image_path)]
        references += [
            ReferenceImageSpec(role="product", asset_tags=list(by_id[c.id].asset_tags or []), ref=by_id[c.id].image.name)
            for c in images
        ]
        logo = next((a for a in state.brand_assets if a.asset_type == "logo"), None)
        badge = next((a for a in state.brand_assets if a.asset_type == "badge"), None)
        if logo:
            references.append(ReferenceImageSpec(role="logo", asset_tags=["logo"], ref=logo.image.name))
        if badge:
            references.append(ReferenceImageSpec(role="badge", asset_tags=["badge"], ref=badge.image.name))
        inputs = PromptInputs(
            template=TemplateInput(template_id=template.id, name=template.name, category=template.category,
                                   awareness_level=template.awareness_level, elements=template.elements,
                                   native_aspect_ratio=template.native_ratio),
            product=ProductInput(name=state.product.name, brand_name=state.brand.name,
                                 current_offer=state.product.current_offer, description=state.product.description),
            brand=BrandInput(voice=state.brand.voice, prohibited_claims=list(state.brand.prohibited_claims or []),
                             required_disclaimers=list(state.brand.required_disclaimers or []),
                             colors=list(state.brand.colors or []), has_logo=logo is not None),
            content=ContentInput(headline=content.headline, original_headline=content.original_headline,
                                 hook_type=content.hook_type, subheadline=content.subheadline,
                                 cta="Shop now", content_source=params.content_source,
                                 congruence_score=content.congruence.overall_score if content.congruence else None),
            ad_brief=AdBriefConfig(
                persona_name=persona.name if persona else "",
                awareness_stage=params.awareness_stage or (persona.awareness_stage if persona else None),
                belief_statement=belief.belief_statement if belief else "",
                offer_core_message=offer.core_message if offer else "",
                pain_points=list(offer.pain_points or []) if offer else [],
            ),
            canvas_size=canvas_size, color_mode=brief.color_mode, palette=brief.palette, references=references,
            variation_index=content.variation_index, total_variations=params.variations,
            available_tags=frozenset(state.available_tags),
            person_image_count=sum(1 for img in state.product_images if "person" in (img.asset_tags or [])),
            visual_style=template.category, min_headline_chars=MIN_HEADLINE_CHARS,
        )
        return build_prompt(brief=inputs)

    def _element_tags(self, state: PipelineState, brief: Brief, canvas_size: str, prompt: AdGenerationPrompt) -> dict:
        params = state.params
        awareness = params.awareness_stage or (state.persona.awareness_stage if state.persona else None)
        return {
            "hook_type": brief.content.hook_type,
            "hook_id": brief.content.hook_id,
            "belief_angle_id": state.belief_angle.pk if state.belief_angle else None,
            "persona_id": state.persona.pk if state.persona else None,
            "color_mode": brief.color_mode,
            "visual_style": brief.template.category,
            "template_category": brief.template.category,
            "awareness_stage": awareness,
            "offer_variant_id": state.offer_variant.pk if state.offer_variant else None,
            "canvas_size": canvas_size,
            "template_id": brief.template.id,
            "prompt_version": prompt.prompt_version,
            "content_source": params.content_source,
        }

    def _prepare_rows(self, state: PipelineState) -> list[AdTask]:
        """Create every missing row as `pending` (idempotent), return tasks for unfinished ones."""
        specs = []
        for brief in state.briefs:
            for canvas_size in brief.canvas_sizes:
                prompt = self._prompt_for(state, brief, canvas_size)
                content = brief.content
                specs.append((brief, canvas_size, prompt, GeneratedAd(
                    ad_run=state.ad_run, prompt_index=brief.prompt_index, canvas_size=canvas_size,
                    color_mode=brief.color_mode, variation_index=content.variation_index,
                    template_id=brief.template.id, hook_id=content.hook_id,
                    headline=prompt.content.headline.text[:300],
                    original_headline=(content.original_headline or "")[:300],
                    congruence_score=content.congruence.overall_score if content.congruence else None,
                    congruence=(dict(content.congruence.model_dump(mode="json", exclude={"usage"}),
                                     score_before_adaptation=content.congruence_before)
                                if content.congruence else {}),
                    status=AdStatus.PENDING, prompt=prompt_json(prompt), prompt_version=prompt.prompt_version,
                    element_tags=self._element_tags(state, brief, canvas_size, prompt),
                )))
        # The unique key (ad_run, prompt_index, canvas_size) makes this safe to repeat.
        GeneratedAd.objects.bulk_create([spec[3] for spec in specs], ignore_conflicts=True)
        rows = {(ad.prompt_index, ad.canvas_size): ad
                for ad in GeneratedAd.objects.filter(ad_run=state.ad_run).only("id", "prompt_index", "canvas_size", "status")}
        state.metadata["ads_total"] = len(specs)
        state.metadata["ads_already_done"] = sum(1 for ad in rows.values() if ad.status in DONE_STATUSES)
        state.metadata["status_counts"] = Counter(ad.status for ad in rows.values())
        tasks = []
        for brief, canvas_size, prompt, _ in specs:
            row = rows[(brief.prompt_index, canvas_size)]
            if row.status in DONE_STATUSES:
                continue
            try:
                references, input_error = self._references(state, prompt), None
            except OSError as exc:  # a reference file is missing or unreadable in storage
                references, input_error = [], InvalidInputError(f"reference image unavailable: {exc}", provider="storage")
            tasks.append(AdTask(ad_id=row.pk, brief=brief, canvas_size=canvas_size, prompt=prompt,
                                references=references, input_error=input_error))
        return tasks

    def _references(self, state: PipelineState, prompt: AdGenerationPrompt) -> list[ReferenceImage]:
        return [
            ReferenceImage(role=spec.role, data=read_file(state, spec.ref), asset_tags=spec.asset_tags)
            for spec in prompt.images.references
        ]

    # -- execution ---------------------------------------------------------------------------

    def _execute(self, state: PipelineState, tasks: list[AdTask]) -> None:
        progress = state.progress
        by_status = state.metadata.pop("status_counts", {})
        counts = {
            "ads_attempted": state.metadata.get("ads_already_done", 0),
            "ads_generated": by_status.get(AdStatus.GENERATED, 0),
            "ads_failed": by_status.get(AdStatus.GENERATION_FAILED, 0),
        }
        progress.update(stage=self.name, ads_total=state.metadata["ads_total"], **counts)
        if not tasks:
            return
        model = factory.image_model()
        ledger = ledger_for(state)
        policy = retry_policy()

        def generate(task: AdTask) -> AdResult:
            if task.input_error is not None:
                return AdResult(task=task, image=None, error=task.input_error, calls=[])
            request = ImageRequest(prompt=task.prompt, references=task.references)
            try:
                image, error, calls = tracked_call(lambda: model.generate(request), purpose="image_generation",
                                                   provider=model.provider_name, model=model.model_name, policy=policy)
            except Exception as exc:  # one broken input never aborts the batch
                logger.exception("ad %s: image generation crashed", task.ad_id)
                error = InvalidInputError(f"{type(exc).__name__}: {exc}", provider=model.provider_name)
                return AdResult(task=task, image=None, error=error, calls=[])
            return AdResult(task=task, image=image, error=error, calls=calls)

        concurrency = max(1, settings.ADCREATOR_MAX_CONCURRENCY)
        queue = list(tasks)
        in_flight: dict[Future, AdTask] = {}
        with ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="adgen") as pool:
            while queue or in_flight:
                while queue and len(in_flight) < concurrency:
                    task = queue.pop(0)
                    in_flight[pool.submit(generate, task)] = task
                done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
                for future in done:
                    task = in_flight.pop(future)
                    result = future.result()
                    self._store(state, result, counts, ledger)
                    progress.update(
                        **counts,
                        current_template=task.brief.template.name,
                        current_size=task.canvas_size,
                        current_color=task.brief.color_mode,
                    )

    def _store(self, state: PipelineState, result: AdResult, counts: dict, ledger) -> None:
        task = result.task
        counts["ads_attempted"] += 1
        fields: dict = {"generation_attempts": len(result.calls), "updated_at": timezone.now()}
        if result.image is not None:
            name = default_storage.save(
                f"ads/run-{state.ad_run.pk}/{task.brief.prompt_index:03d}-{task.canvas_size}-{task.brief.color_mode}.png",
                ContentFile(result.image.png),
            )
            fields.update(status=AdStatus.GENERATED, image=name, error="")
            counts["ads_generated"] += 1
        else:
            fields.update(status=AdStatus.GENERATION_FAILED, error=f"{result.error.kind}: {result.error}"[:2000])
            counts["ads_failed"] += 1
        # The ad and its ledger rows land together or not at all (one transaction per ad).
        with transaction.atomic():
            GeneratedAd.objects.filter(pk=task.ad_id).update(**fields)
            ledger.write(result.calls, ad_id=task.ad_id)
