"""A small but real catalog for tests: drawn images, detected templates, messaging."""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw

from adcreator.catalog.models import (
    BeliefAngle,
    Brand,
    BrandAsset,
    Hook,
    LandingPage,
    OfferVariant,
    Organization,
    Persona,
    Product,
    ProductImage,
)
from adcreator.prompts.elements import Region, TemplateElements, TextArea
from templates.models import ScrapedTemplate, TemplateEvaluation


def png_bytes(image: Image.Image) -> bytes:
    out = BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def bottle_photo(size: int = 512, glass=(150, 80, 30)) -> Image.Image:
    img = Image.new("RGB", (size, size), (250, 250, 248))
    d = ImageDraw.Draw(img)
    d.rounded_rectangle([size * 0.36, size * 0.3, size * 0.64, size * 0.86], radius=size // 16, fill=glass)
    d.rectangle([size * 0.44, size * 0.14, size * 0.56, size * 0.3], fill=(30, 30, 30))
    d.rectangle([size * 0.39, size * 0.5, size * 0.61, size * 0.7], fill=(240, 236, 226))
    return img


def logo_image() -> Image.Image:
    img = Image.new("RGBA", (256, 128), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    d.ellipse([8, 8, 120, 120], fill=(31, 77, 58, 255))
    d.rectangle([130, 50, 248, 78], fill=(31, 77, 58, 255))
    return img


def template_image(width: int, height: int, bg=(244, 237, 225), accent=(200, 100, 59)) -> Image.Image:
    img = Image.new("RGB", (width, height), bg)
    d = ImageDraw.Draw(img)
    d.rectangle([width * 0.08, height * 0.08, width * 0.9, height * 0.2], fill=(30, 40, 35))
    d.rounded_rectangle([width * 0.3, height * 0.35, width * 0.7, height * 0.75], radius=20, fill=accent)
    d.rounded_rectangle([width * 0.3, height * 0.84, width * 0.7, height * 0.92], radius=30, fill=(30, 40, 35))
    return img


def template_elements(required=("product",), optional=("logo",)) -> dict:
    return TemplateElements(
        required_assets=list(required), optional_assets=list(optional),
        text_areas=[TextArea(role="headline", box=(0.08, 0.06, 0.92, 0.22), max_chars=40),
                    TextArea(role="subheadline", box=(0.1, 0.23, 0.9, 0.3), max_chars=60),
                    TextArea(role="cta", box=(0.3, 0.83, 0.7, 0.93), max_chars=18)],
        logo_areas=[Region(box=(0.04, 0.02, 0.2, 0.07))],
        product_areas=[Region(box=(0.25, 0.33, 0.75, 0.78))],
        palette=["#f4ede1", "#1e2823", "#c8643b"], background="#f4ede1", detector="test-fixture",
    ).to_json()


@dataclass
class TestCatalog:
    org: Organization
    brand: Brand
    product: Product
    persona: Persona
    offer: OfferVariant
    belief: BeliefAngle
    templates: list[ScrapedTemplate]


def build_catalog(org: Organization, *, slug: str = "acme", templates: int = 3) -> TestCatalog:
    brand = Brand.objects.create(organization=org, name=f"{slug.title()} Skin", slug=slug,
                                 colors=["#1f4d3a", "#f4ede1", "#c8643b"], prohibited_claims=["cures acne"],
                                 required_disclaimers=["Results may vary."])
    product = Product.objects.create(brand=brand, slug="serum", name="Night Serum", current_offer="20% off today")
    for tags, glass in ((["product", "packshot"], (150, 80, 30)), (["product", "lifestyle"], (120, 60, 20))):
        image = ProductImage(product=product, asset_tags=tags, quality=0.7, width=512, height=512)
        image.image.save("bottle.png", ContentFile(png_bytes(bottle_photo(glass=glass))), save=True)
    logo = BrandAsset(brand=brand, asset_type="logo")
    logo.image.save("logo.png", ContentFile(png_bytes(logo_image())), save=True)
    persona = Persona.objects.create(brand=brand, name="Busy professional", awareness_stage=3, target_sex="female")
    belief = BeliefAngle.objects.create(brand=brand, name="Gentle", belief_statement="Gentle care beats harsh actives.")
    offer = OfferVariant.objects.create(product=product, name="First order", core_message="Smoother skin by morning. 20% off.",
                                        pain_points=["retinol stings"], landing_page_url="https://example.test/serum")
    LandingPage.objects.create(brand=brand, url="https://example.test/serum", hero_headline="Wake up to smoother skin",
                               hero_subhead="A gentle night serum.")
    for text, kind in (("Smoother skin by morning", "benefit_led"), ("Why your retinol stings", "curiosity_gap"),
                       ("12,000 switched to three drops", "social_proof")):
        Hook.objects.create(brand=brand, product=product, text=text, hook_type=kind)
    sizes = [(1080, 1350), (1080, 1080), (1080, 1920), (1920, 1080)]
    made = []
    for i in range(templates):
        w, h = sizes[i % len(sizes)]
        t = ScrapedTemplate(name=f"{slug} template {i + 1}", category=["offer", "testimonial", "benefits"][i % 3],
                            awareness_level=(i % 5) + 1, target_sex=["female", "male", None][i % 3], width=w, height=h,
                            template_elements=template_elements(), element_detection_version="test-v1")
        t.image.save(f"template-{i}.png", ContentFile(png_bytes(template_image(w // 4, h // 4))), save=True)
        if i % 2 == 0:
            TemplateEvaluation.objects.create(template=t, d1=2, d2=3, d3=2, d4=1, d5=2, d6=True)
        made.append(t)
    return TestCatalog(org=org, brand=brand, product=product, persona=persona, offer=offer, belief=belief, templates=made)
