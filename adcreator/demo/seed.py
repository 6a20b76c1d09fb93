"""Writes the demo catalog into the database, idempotently: a second run changes nothing.

Rows are matched by their natural keys (slugs, usernames, names, file names); images are
drawn only for rows that do not exist yet, so a re-run is quick.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from io import BytesIO

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction

from adcreator.catalog.models import (
    BeliefAngle, Brand, BrandAsset, Hook, LandingPage, Membership, OfferVariant, Organization, Persona, Product,
    ProductImage,
)
from adcreator.demo import art, catalog
from adcreator.demo.art_templates_a import TEMPLATES_A
from adcreator.demo.art_templates_b import TEMPLATES_B
from templates.models import ScrapedTemplate, TemplateEvaluation

DEMO_ORG_SLUG = "demo-co"
# The last templates of the library are left without detection data on purpose, so the
# asset gate and the detection job have something to act on in the demo.
UNDETECTED_DEMO_TEMPLATES = 2
SEED_DETECTION_VERSION = "seed-layout-v1"


@dataclass
class SeedReport:
    created: dict[str, int] = field(default_factory=dict)

    def count(self, what: str, created: bool) -> None:
        if created:
            self.created[what] = self.created.get(what, 0) + 1


def _png(image) -> ContentFile:
    out = BytesIO()
    image.save(out, format="PNG")
    return ContentFile(out.getvalue())


def _users(org: Organization, report: SeedReport) -> None:
    User = get_user_model()
    demo, created = User.objects.get_or_create(username="demo", defaults={"email": "demo@example.com"})
    if created:
        demo.set_password("demo")
        demo.save()
    report.count("users", created)
    admin, created = User.objects.get_or_create(
        username="admin", defaults={"email": "admin@example.com", "is_staff": True, "is_superuser": True}
    )
    if created:
        admin.set_password("admin")
        admin.save()
    report.count("users", created)
    for user, role in ((demo, Membership.Role.EDITOR), (admin, Membership.Role.OWNER)):
        _, created = Membership.objects.get_or_create(user=user, organization=org, defaults={"role": role})
        report.count("memberships", created)


def _brand(org: Organization, report: SeedReport) -> Brand:
    data = catalog.BRAND
    colours = [data.colours[k] for k in ("primary", "background", "accent", "secondary") if k in data.colours]
    brand, created = Brand.objects.get_or_create(
        organization=org, slug=data.slug,
        defaults={"name": data.name, "colors": colours, "voice": data.voice,
                  "prohibited_claims": list(data.prohibited_claims),
                  "required_disclaimers": list(data.required_disclaimers)},
    )
    report.count("brands", created)
    if not brand.assets.exists():
        for asset_type, filename, image in art.brand_assets():
            asset = BrandAsset(brand=brand, asset_type=asset_type)
            asset.image.save(filename, _png(image), save=True)
            report.count("brand_assets", True)
    return brand


def _products(brand: Brand, report: SeedReport) -> dict[str, Product]:
    products = {}
    for data in catalog.PRODUCTS:
        product, created = Product.objects.get_or_create(
            brand=brand, slug=data.slug,
            defaults={"name": data.name, "description": data.description, "current_offer": data.current_offer,
                      "industry": data.industry},
        )
        if not created and not product.industry:  # a database seeded before products had an industry
            Product.objects.filter(pk=product.pk).update(industry=data.industry)
            product.industry = data.industry
        report.count("products", created)
        products[data.slug] = product
        if not product.images.exists():
            for filename, image, tags, quality in art.product_images(data.slug):
                row = ProductImage(product=product, asset_tags=list(tags), quality=quality,
                                   width=image.width, height=image.height)
                row.image.save(filename, _png(image), save=True)
                report.count("product_images", True)
    return products


def _messaging(brand: Brand, products: dict[str, Product], report: SeedReport) -> None:
    for data in catalog.PERSONAS:
        _, created = Persona.objects.get_or_create(
            brand=brand, name=data.name,
            defaults={"description": data.description, "awareness_stage": data.awareness_stage,
                      "target_sex": data.target_sex, "age_min": data.age_min, "age_max": data.age_max,
                      "demographics": dict(data.demographics)},
        )
        report.count("personas", created)
    for data in catalog.BELIEF_ANGLES:
        _, created = BeliefAngle.objects.get_or_create(
            brand=brand, name=data.slug.replace("-", " ").capitalize(),
            defaults={"belief_statement": data.belief_statement},
        )
        report.count("belief_angles", created)
    for data in catalog.OFFER_VARIANTS:
        _, created = OfferVariant.objects.get_or_create(
            product=products[data.product_slug], name=data.name,
            defaults={"core_message": data.core_message, "pain_points": list(data.pain_points),
                      "landing_page_url": data.landing_page_url},
        )
        report.count("offer_variants", created)
    for data in catalog.LANDING_PAGES:
        _, created = LandingPage.objects.get_or_create(
            brand=brand, url=data.url,
            defaults={"hero_headline": data.hero_headline, "hero_subhead": data.hero_subhead, "body": data.body},
        )
        report.count("landing_pages", created)
    for data in catalog.HOOKS:
        _, created = Hook.objects.get_or_create(
            brand=brand, text=data.text,
            defaults={"hook_type": data.hook_type,
                      "product": products.get(data.product_slug) if data.product_slug else None},
        )
        report.count("hooks", created)


def _backfill_archetypes(report: SeedReport) -> None:
    """Demo templates seeded before elements carried an archetype get it (and its parts) from
    the same drawing; rows that have one are left alone, so a second run changes nothing."""
    stale = [t for t in ScrapedTemplate.objects.filter(source=ScrapedTemplate.Source.DEMO,
                                                      element_detection_version=SEED_DETECTION_VERSION)
             if t.template_elements and "archetype" not in t.template_elements]
    if not stale:
        return
    by_name = {}
    for build in TEMPLATES_A + TEMPLATES_B:
        demo = build()
        by_name[demo.metadata.name] = demo.elements
    for template in stale:
        elements = by_name.get(template.name)
        if elements is None:
            continue
        template.template_elements = template.template_elements | {
            "archetype": elements.archetype, "parts": [part.model_dump(mode="json") for part in elements.parts]}
        template.save(update_fields=["template_elements"])
        report.count("template_archetypes", True)


def _templates(report: SeedReport) -> None:
    builders = TEMPLATES_A + TEMPLATES_B
    if ScrapedTemplate.objects.filter(source=ScrapedTemplate.Source.DEMO).count() >= len(builders):
        _backfill_archetypes(report)
        return
    detected_until = len(builders) - UNDETECTED_DEMO_TEMPLATES
    for index, build in enumerate(builders):
        demo = build()
        meta = demo.metadata
        if ScrapedTemplate.objects.filter(source=ScrapedTemplate.Source.DEMO, name=meta.name).exists():
            continue
        detected = index < detected_until
        template = ScrapedTemplate(
            name=meta.name, source=ScrapedTemplate.Source.DEMO, category=meta.category,
            industry=f"{meta.industry} / {meta.niche}" if meta.niche else meta.industry,
            awareness_level=meta.awareness_level, target_sex=meta.target_sex,
            width=demo.image.width, height=demo.image.height,
            template_elements=demo.elements.to_json() if detected else {},
            element_detection_version=SEED_DETECTION_VERSION if detected else None,
        )
        template.image.save(demo.filename, _png(demo.image), save=True)
        report.count("templates", True)
        if demo.evaluation is not None:
            TemplateEvaluation.objects.create(template=template, **demo.evaluation)
            report.count("template_evaluations", True)


def seed_demo() -> SeedReport:
    report = SeedReport()
    with transaction.atomic():
        org, created = Organization.objects.get_or_create(slug=DEMO_ORG_SLUG, defaults={"name": "Demo Co."})
        report.count("organizations", created)
        _users(org, report)
        brand = _brand(org, report)
        products = _products(brand, report)
        _messaging(brand, products, report)
        _templates(report)
    return report
