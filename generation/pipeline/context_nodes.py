"""The nodes before generation: gather context, analyse templates, choose and check the copy."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.files.storage import default_storage
from django.db.models import Q

from adcreator.catalog.models import BeliefAngle, Brand, BrandAsset, Hook, LandingPage, OfferVariant, Persona, Product, ProductImage
from adcreator.prompts.asset_rules import enforce_char_limit
from adcreator.prompts import copyfit
from adcreator.prompts.copyfit import copy_for_source, pick_hook
from adcreator.prompts.builder import ImageCandidate, select_images
from adcreator.prompts.elements import TemplateElements
from adcreator.providers import factory
from adcreator.providers.base import CongruenceRequest, HookAdaptationRequest, TemplateAnalysisRequest
from adcreator.providers.retry import RetryPolicy
from adcreator.providers.calls import tracked_call
from generation.ledger import CallLedger
from generation.models import AdRun
from generation.pipeline.state import Content, PipelineState, TemplateContext
from templates import services as template_services
from templates.models import ScrapedTemplate

logger = logging.getLogger(__name__)

# Below this congruence the headline is rewritten (spec 5 gives no number). 0.4 is where the
# results dashboard turns a congruence score red (spec Phase 4: red < 0.4): no headline
# that the dashboard would flag red ships unadapted.
CONGRUENCE_THRESHOLD = 0.4
# The headline budget's numbers live with the copy-fitting rules (one definition).
DEFAULT_HEADLINE_MAX_CHARS, MIN_HEADLINE_CHARS = copyfit.DEFAULT_HEADLINE_MAX_CHARS, copyfit.MIN_HEADLINE_CHARS


class NoEligibleTemplates(Exception):
    pass


def retry_policy() -> RetryPolicy:
    return RetryPolicy(max_attempts=settings.ADCREATOR_PROVIDER_MAX_ATTEMPTS, base_delay=settings.ADCREATOR_RETRY_BASE_SECONDS)


def read_file(state: PipelineState, name: str) -> bytes:
    if name not in state.file_cache:
        with default_storage.open(name, "rb") as handle:
            state.file_cache[name] = handle.read()
    return state.file_cache[name]


def ledger_for(state: PipelineState) -> CallLedger:
    return CallLedger(job_run_id=state.run_id, ad_run_id=state.ad_run.pk if state.ad_run else None)


class Initialize:
    """Find this run's AdRun again (a resumed run) or create it, with the versions used."""

    name = "initialize"

    def run(self, state: PipelineState):
        from adcreator.jobs.models import JobRun
        from adcreator.prompts.models import PROMPT_VERSION

        run = JobRun.objects.select_related("job").get(pk=state.run_id)
        params = state.params
        state.brand = Brand.objects.select_related("organization").get(pk=params.brand_id, organization_id=run.job.organization_id)
        state.organization = state.brand.organization
        state.product = Product.objects.get(pk=params.product_id, brand=state.brand)
        state.ad_run, _ = AdRun.objects.get_or_create(
            job_run=run,
            defaults={
                "organization": state.organization,
                "brand": state.brand,
                "product": state.product,
                "generation_config": {
                    "prompt_template_version": PROMPT_VERSION,
                    "pipeline_version": "v2",
                    "review_rubric_version": None,
                    "parameters": params.model_dump(mode="json"),
                },
            },
        )
        return FetchContext


class FetchContext:
    name = "fetch_context"

    def run(self, state: PipelineState):
        params = state.params
        brand, product = state.brand, state.product
        state.persona = Persona.objects.filter(pk=params.persona_id, brand=brand).first() if params.persona_id else None
        state.offer_variant = (
            OfferVariant.objects.filter(pk=params.offer_variant_id, product=product).first() if params.offer_variant_id else None
        )
        state.belief_angle = (
            BeliefAngle.objects.filter(pk=params.belief_angle_id, brand=brand).first() if params.belief_angle_id else None
        )
        if state.offer_variant and state.offer_variant.landing_page_url:
            state.landing_page = LandingPage.objects.filter(brand=brand, url=state.offer_variant.landing_page_url).first()
        hooks = list(
            Hook.objects.filter(Q(product__isnull=True) | Q(product=product), brand=brand, is_active=True).order_by("id")
        )
        if params.hook_ids:
            hooks = [h for h in hooks if h.pk in set(params.hook_ids)]
        state.hooks = hooks
        state.product_images = list(ProductImage.objects.filter(product=product).order_by("id"))
        state.brand_assets = list(BrandAsset.objects.filter(brand=brand).order_by("id"))
        state.available_tags = template_services.selectors.product_asset_tags(product=product)
        self._resolve_templates(state)
        return AnalyzeTemplate

    def _resolve_templates(self, state: PipelineState) -> None:
        selection = state.params.template_selection
        template_ids = list(selection.template_ids)
        if not template_ids:
            outcome = template_services.template_selection_run(
                product=state.product, mode=selection.mode, count=selection.count, category=selection.category,
                strictness=selection.strictness, persona=state.persona, awareness_stage=state.params.awareness_stage,
                seed=selection.seed,
            )
            state.selection = outcome.as_json()
            if outcome.result.empty:
                raise NoEligibleTemplates(outcome.result.reason or "no eligible templates")
            template_ids = outcome.template_ids
        rows = {
            t.pk: t
            for t in template_services.selectors.visible_templates(organization_id=state.organization.pk)
            .filter(pk__in=template_ids, is_active=True)
        }
        missing = [tid for tid in template_ids if tid not in rows]
        if missing:
            raise NoEligibleTemplates(f"templates not available (deactivated, or not this organization's): {missing}")
        state.templates = [
            TemplateContext(
                id=t.pk, name=t.name, category=t.category, awareness_level=t.awareness_level, image_path=t.image.name,
                width=t.width, height=t.height,
                elements=TemplateElements.model_validate(t.template_elements) if t.has_detection else None,
            )
            for t in (rows[tid] for tid in template_ids)
        ]


class AnalyzeTemplate:
    """Use stored detection (the cache); analyse a never-analysed template once and store it."""

    name = "analyze_template"

    def run(self, state: PipelineState):
        pending = [t for t in state.templates if t.elements is None]
        if not pending:
            return SelectContent
        analyzer = factory.template_analyzer()
        ledger = ledger_for(state)
        for template in pending:
            data = read_file(state, template.image_path)
            result, error, calls = tracked_call(
                lambda: analyzer.analyze_template(TemplateAnalysisRequest(image=data)),
                purpose="template_analysis", provider=analyzer.provider_name, model=analyzer.model_name, policy=retry_policy(),
            )
            ledger.write(calls)
            if error is not None:
                # Generation can still follow the reference image; the prompt says so.
                logger.warning("runtime analysis of template %s failed: %s", template.id, error)
                continue
            template.elements = result.elements
            if template.id is not None:
                ScrapedTemplate.objects.filter(pk=template.id, element_detection_version__isnull=True).update(
                    template_elements=result.elements.to_json(), element_detection_version=analyzer.detection_version
                )
        return SelectContent


def _headline_limit(template: TemplateContext) -> int:
    areas = template.elements.text_areas if template.elements else []
    return copyfit.headline_limit([a.max_chars for a in areas if a.role == "headline"])


class SelectContent:
    """Choose the copy of every (template, variation) from the requested content source."""

    name = "select_content"

    def run(self, state: PipelineState):
        params = state.params
        text_model = factory.text_model()
        ledger = ledger_for(state)
        persona = state.persona
        contents: list[Content] = []
        for t_index, template in enumerate(state.templates):
            for variation in params.effective_variations:
                max_chars = _headline_limit(template)
                hook = self._hook_for(state, t_index, variation, max_chars)
                base_text, hook_type = self._base_text(state, hook)
                content = Content(template_index=t_index, variation_index=variation, headline=base_text,
                                  hook_id=hook.pk if hook else None, hook_type=hook_type)
                # Only a hook is adapted: an offer's or a belief's message must lead as written.
                if hook_type not in ("belief", "offer") and (persona is not None or len(base_text) > max_chars):
                    request = HookAdaptationRequest(
                        hook_text=base_text, hook_type=hook_type, persona_name=persona.name if persona else "",
                        persona_description=persona.description if persona else "",
                        awareness_stage=params.awareness_stage or (persona.awareness_stage if persona else None),
                        product_name=state.product.name, max_chars=max_chars,
                    )
                    result, error, calls = tracked_call(
                        lambda: text_model.adapt_hook(request), purpose="hook_adaptation",
                        provider=text_model.provider_name, model=text_model.model_name, policy=retry_policy(),
                    )
                    ledger.write(calls)
                    if result is not None:
                        content.original_headline = base_text if result.headline != base_text else None
                        content.headline = result.headline
                        content.subheadline = result.subheadline or None
                # The content source leads; the offer beats a generated subheadline (it is the
                # brand's own, approved copy) but is never said twice (adcreator.prompts.copyfit).
                chosen = copy_for_source(
                    params.content_source if hook_type in ("belief", "offer") else "hooks",
                    hook_text=content.headline if hook_type not in ("belief", "offer") else (hook.text if hook else None),
                    hook_type=hook_type,
                    belief=state.belief_angle.belief_statement if state.belief_angle else "",
                    offer_message=state.offer_variant.core_message if state.offer_variant else "",
                    current_offer=state.product.current_offer, product_name=state.product.name, max_chars=max_chars,
                )
                content.headline = chosen.headline
                content.subheadline = chosen.subheadline or content.subheadline
                contents.append(content)
        state.contents = contents
        return HeadlineCongruence

    def _hook_for(self, state: PipelineState, t_index: int, variation: int, max_chars: int):
        if not state.hooks:
            return None
        # A hook that fits the template's headline area and suits its archetype (a review for a
        # testimonial); rotated so that different templates and variations get different hooks.
        template = state.templates[t_index]
        archetype = (template.elements.archetype if template.elements else None) or template.category
        position = t_index * state.params.variations + (variation - 1)
        index = pick_hook([h.text for h in state.hooks], archetype=archetype, max_chars=max_chars, position=position,
                          offer=state.product.current_offer)
        return state.hooks[index]

    def _base_text(self, state: PipelineState, hook) -> tuple[str, str]:
        source = state.params.content_source
        if source == "belief_first" and state.belief_angle:
            return state.belief_angle.belief_statement, "belief"
        if source == "offer_variant" and state.offer_variant:
            return state.offer_variant.core_message, "offer"
        if hook is not None:
            return hook.text, hook.hook_type
        return state.product.current_offer or state.product.name, "offer"


def _same_copy(a: str, b: str) -> bool:
    def norm(text: str) -> str:
        return " ".join("".join(ch for ch in text.lower() if ch.isalnum() or ch.isspace()).split())
    return norm(a) == norm(b) or norm(a) in norm(b)


class HeadlineCongruence:
    """Score each headline against offer, landing-page hero and belief; adapt the weak ones."""

    name = "headline_congruence"

    def run(self, state: PipelineState):
        text_model = factory.text_model()
        ledger = ledger_for(state)
        offer = state.offer_variant
        offer_message = offer.core_message if offer else ""
        pain_points = list(offer.pain_points or []) if offer else []
        hero = state.landing_page
        belief = state.belief_angle
        if not (offer or hero or belief):
            # Spec 5 measures the headline against an offer variant, a landing page or a
            # belief. With none chosen there is nothing to be congruent with: the score stays
            # unknown (None) rather than measured against a promo line it was never meant to echo.
            state.metadata["congruence"] = "not checked: no offer variant, landing page or belief chosen"
            return SelectImages
        cache: dict[tuple[str, int], tuple] = {}

        def score(headline: str, max_chars: int):
            key = (headline, max_chars)
            if key not in cache:
                request = CongruenceRequest(
                    headline=headline, offer_core_message=offer_message or "", pain_points=pain_points,
                    hero_headline=hero.hero_headline if hero else None, hero_subhead=hero.hero_subhead if hero else None,
                    belief_statement=belief.belief_statement if belief else None, max_chars=max_chars,
                )
                result, error, calls = tracked_call(
                    lambda: text_model.score_congruence(request), purpose="congruence",
                    provider=text_model.provider_name, model=text_model.model_name, policy=retry_policy(),
                )
                ledger.write(calls)
                if error is not None:
                    logger.warning("congruence check failed for %r: %s", headline, error)
                cache[key] = result
            return cache[key]

        for content in state.contents:
            max_chars = _headline_limit(state.templates[content.template_index])
            result = score(content.headline, max_chars)
            if result is None:
                continue
            content.congruence = result
            content.congruence_before = result.overall_score
            if result.overall_score < CONGRUENCE_THRESHOLD and result.adapted_headline:
                adapted = enforce_char_limit(result.adapted_headline, max_chars)
                rescored = score(adapted, max_chars)
                # Keep the adaptation only when it really scores better than what it replaces.
                if rescored is not None and rescored.overall_score > result.overall_score:
                    content.original_headline = content.original_headline or content.headline
                    content.headline = adapted
                    content.congruence = rescored
                    if content.subheadline and _same_copy(content.subheadline, adapted):
                        content.subheadline = state.product.name
        return SelectImages


class SelectImages:
    """Pick each template's product images: quality plus the asset-tag bonuses (spec Phase 3)."""

    name = "select_images"
    IMAGES_PER_TEMPLATE = 2

    def run(self, state: PipelineState):
        from generation.pipeline.generate import GenerateAds

        candidates = [ImageCandidate(id=img.pk, asset_tags=list(img.asset_tags or []), quality=img.quality)
                      for img in state.product_images]
        for index, template in enumerate(state.templates):
            required = template.elements.required_assets if template.elements else []
            optional = template.elements.optional_assets if template.elements else []
            state.selected_images[index] = select_images(candidates, required=required, optional=optional,
                                                         limit=self.IMAGES_PER_TEMPLATE)
        return GenerateAds
