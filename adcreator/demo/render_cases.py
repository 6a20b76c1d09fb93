"""Demo ads as the pipeline would ask for them, without a database: for tests and benchmarks.

One case is a demo template at a canvas size, a colour mode and a content source, with the
copy chosen by the same rules as the pipeline's SelectContent (`adcreator.prompts.copyfit`)
from the demo catalog (the serum, its offer variant, a belief angle, the hooks), and the
reference images a job would send (the packshot first, the logo, the badge).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import lru_cache

from adcreator.demo import art, catalog
from adcreator.demo.art_brand import BRAND_COLOURS, BRAND_NAME
from adcreator.demo.art_layout import DemoTemplate
from adcreator.prompts.builder import BrandInput, ContentInput, ProductInput, PromptInputs, TemplateInput, build_prompt
from adcreator.prompts.copyfit import ContentSource, copy_for_source, headline_limit, pick_hook
from adcreator.prompts.models import CANVAS_SIZES, AdBriefConfig, AdGenerationPrompt
from adcreator.providers.base import ReferenceImage
from adcreator.prompts.palette import palette_for_mode

CONTENT_SOURCES: tuple[ContentSource, ...] = ("hooks", "belief_first", "offer_variant")
PRODUCT_SLUG = "night-repair-serum"


def _png(image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


@lru_cache(maxsize=1)
def templates() -> tuple[DemoTemplate, ...]:
    return tuple(catalog.templates())


@lru_cache(maxsize=1)
def _assets() -> dict[str, bytes]:
    photos = art.product_images(PRODUCT_SLUG)
    by_type = {asset_type: _png(image) for asset_type, _, image in art.brand_assets()}
    return {"packshot": _png(photos[0][1]), "shelf": _png(photos[1][1]), "logo": by_type["logo"], "badge": by_type["badge"]}


@lru_cache(maxsize=32)
def _template_png(filename: str) -> bytes:
    return _png(next(t.image for t in templates() if t.filename == filename))


def native_ratio(template: DemoTemplate) -> str:
    ratio = template.image.width / template.image.height
    return min(CANVAS_SIZES, key=lambda label: abs(CANVAS_SIZES[label][0] / CANVAS_SIZES[label][1] - ratio))


@dataclass(frozen=True)
class Case:
    template: DemoTemplate
    ratio: str
    mode: str = "original"
    source: ContentSource = "hooks"
    position: int = 0  # rotates the hook choice, as variations and templates do in a job
    hook: str | None = None  # forces a hook instead of choosing one

    @property
    def label(self) -> str:
        return f"{self.template.metadata.name} {self.ratio} {self.mode} {self.source}"


def hook_texts() -> list[str]:
    product = next(p for p in catalog.PRODUCTS if p.slug == PRODUCT_SLUG)
    return [h.text for h in catalog.HOOKS if h.product_slug in (None, product.slug)]


def case_prompt(case: Case) -> tuple[AdGenerationPrompt, list[ReferenceImage]]:
    product = next(p for p in catalog.PRODUCTS if p.slug == PRODUCT_SLUG)
    offer = next(o for o in catalog.OFFER_VARIANTS if o.product_slug == PRODUCT_SLUG)
    belief = next(b for b in catalog.BELIEF_ANGLES if b.product_slug == PRODUCT_SLUG)
    elements = case.template.elements
    max_chars = headline_limit([a.max_chars for a in elements.text_areas if a.role == "headline"])
    hooks = hook_texts()
    hook = case.hook
    if hook is None:
        index = pick_hook(hooks, archetype=elements.archetype, max_chars=max_chars, position=case.position, offer=product.current_offer)
        hook = hooks[index]
    chosen = copy_for_source(case.source, hook_text=hook, belief=belief.belief_statement, offer_message=offer.core_message,
                             current_offer=product.current_offer, product_name=product.name, max_chars=max_chars)
    width, height = CANVAS_SIZES[case.ratio]
    brand_colours = [BRAND_COLOURS[k] for k in ("primary", "background", "accent", "secondary")]
    inputs = PromptInputs(
        template=TemplateInput(template_id=1, name=case.template.metadata.name, category=case.template.metadata.category,
                               awareness_level=case.template.metadata.awareness_level, elements=elements,
                               native_aspect_ratio=native_ratio(case.template)),
        product=ProductInput(name=product.name, brand_name=BRAND_NAME, current_offer=product.current_offer,
                             description=product.description),
        brand=BrandInput(voice=catalog.BRAND.voice, prohibited_claims=list(catalog.BRAND.prohibited_claims),
                         required_disclaimers=list(catalog.BRAND.required_disclaimers), colors=brand_colours, has_logo=True),
        content=ContentInput(headline=chosen.headline, hook_type=chosen.hook_type, subheadline=chosen.subheadline,
                             content_source=case.source),
        ad_brief=AdBriefConfig(belief_statement=belief.belief_statement if case.source == "belief_first" else "",
                               offer_core_message=offer.core_message, pain_points=list(offer.pain_points)),
        canvas_size=f"{width}x{height}", color_mode=case.mode,
        palette=palette_for_mode(case.mode, elements.palette, brand_colours),
        available_tags=frozenset({"product", "packshot", "lifestyle", "logo", "badge"}),
        min_headline_chars=45, visual_style=case.template.metadata.category,
    )
    assets = _assets()
    references = [
        ReferenceImage(role="template", data=_template_png(case.template.filename)),
        ReferenceImage(role="product", data=assets["packshot"], asset_tags=["product", "packshot"]),
        ReferenceImage(role="product", data=assets["shelf"], asset_tags=["product", "lifestyle"]),
        ReferenceImage(role="logo", data=assets["logo"], asset_tags=["logo"]),
        ReferenceImage(role="badge", data=assets["badge"], asset_tags=["badge"]),
    ]
    return build_prompt(brief=inputs), references


def product_sources() -> list[bytes]:
    """The product images a reviewer compares the ad with (what the job selected)."""
    assets = _assets()
    return [assets["packshot"], assets["shelf"]]
