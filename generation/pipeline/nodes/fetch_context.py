"""FetchContext: the catalog rows the run needs, and the templates it will use."""

from __future__ import annotations

from django.db.models import Q

from adcreator.catalog.models import BeliefAngle, BrandAsset, Hook, LandingPage, OfferVariant, Persona, ProductImage
from adcreator.prompts.elements import TemplateElements
from generation.pipeline.nodes.base import NoEligibleTemplates
from generation.pipeline.state import PipelineState, TemplateContext
from templates import selectors as template_selectors
from templates import services as template_services


class FetchContext:
    name = "fetch_context"

    def run(self, state: PipelineState) -> None:
        params, cat = state.params, state.cat
        brand, product = cat.brand, cat.product
        cat.persona = Persona.objects.filter(pk=params.persona_id, brand=brand).first() if params.persona_id else None
        cat.offer_variant = (OfferVariant.objects.filter(pk=params.offer_variant_id, product=product).first()
                             if params.offer_variant_id else None)
        cat.belief_angle = (BeliefAngle.objects.filter(pk=params.belief_angle_id, brand=brand).first()
                            if params.belief_angle_id else None)
        if cat.offer_variant and cat.offer_variant.landing_page_url:
            cat.landing_page = LandingPage.objects.filter(brand=brand, url=cat.offer_variant.landing_page_url).first()
        hooks = list(Hook.objects.filter(Q(product__isnull=True) | Q(product=product), brand=brand, is_active=True)
                     .order_by("id"))
        if params.hook_ids:
            wanted = set(params.hook_ids)
            hooks = [hook for hook in hooks if hook.pk in wanted]
        cat.hooks = hooks
        cat.product_images = list(ProductImage.objects.filter(product=product).order_by("id"))
        cat.brand_assets = list(BrandAsset.objects.filter(brand=brand).order_by("id"))
        cat.available_tags = template_selectors.product_asset_tags(product=product)
        state.templates = self._templates(state)

    def _templates(self, state: PipelineState) -> list[TemplateContext]:
        selection, cat = state.params.template_selection, state.cat
        template_ids = list(selection.template_ids)
        if not template_ids:
            outcome = template_services.template_selection_run(
                product=cat.product, mode=selection.mode, count=selection.count, category=selection.category,
                strictness=selection.strictness, persona=cat.persona, awareness_stage=state.params.awareness_stage,
                seed=selection.seed,
            )
            state.report(selection=outcome.as_json())
            if outcome.result.empty:
                raise NoEligibleTemplates(outcome.result.reason or "no eligible templates")
            template_ids = outcome.template_ids
        rows = {t.pk: t for t in template_selectors.visible_templates(organization_id=cat.organization.pk)
                .filter(pk__in=template_ids, is_active=True)}
        missing = [tid for tid in template_ids if tid not in rows]
        if missing:
            raise NoEligibleTemplates(f"templates not available (deactivated, or not this organization's): {missing}")
        return [
            TemplateContext(
                id=t.pk, name=t.name, category=t.category, awareness_level=t.awareness_level, image_path=t.image.name,
                width=t.width, height=t.height,
                elements=TemplateElements.model_validate(t.template_elements) if t.has_detection else None,
            )
            for t in (rows[tid] for tid in template_ids)
        ]
