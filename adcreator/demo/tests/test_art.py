"""The demo data is complete, valid against the shared contracts, deterministic and not blank."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest
from PIL import Image

from adcreator.demo import catalog
from adcreator.demo.art_templates_a import glow_testimonial
from adcreator.demo.art_templates_b import north_thread_hero
from adcreator.prompts.elements import ASSET_TAGS, TemplateElements
from adcreator.prompts.models import CANVAS_SIZES

# A drawn ad has large flat areas but always some structure; a blank or single-colour
# canvas has a luminance spread near zero.
MIN_IMAGE_STD = 20.0
# A text box with a set line of type in it has ink/paper contrast well above this.
MIN_TEXT_BOX_STD = 12.0


@pytest.fixture(scope="module")
def demo_templates() -> list[catalog.DemoTemplate]:
    return catalog.templates()


@pytest.fixture(scope="module")
def photos() -> dict[str, list]:
    return {product.slug: catalog.product_images(product.slug) for product in catalog.PRODUCTS}


def _digest(image: Image.Image) -> str:
    return hashlib.sha256(image.tobytes()).hexdigest()


def _luma_std(image: Image.Image) -> float:
    return float(np.asarray(image.convert("L"), np.float32).std())


def test_catalog_has_enough_products_and_photos(photos):
    assert len(catalog.PRODUCTS) >= 2
    well_covered = [slug for slug, images in photos.items() if len(images) >= 3]
    assert len(well_covered) >= 2
    every_tag = {tag for images in photos.values() for _, _, tags, _ in images for tag in tags}
    assert {"product", "packshot", "lifestyle", "texture"} <= every_tag
    assert every_tag & {"hand", "person"}


def test_product_photos_are_tagged_sized_scored_and_not_blank(photos):
    filenames = [name for images in photos.values() for name, _, _, _ in images]
    assert len(filenames) == len(set(filenames))
    for images in photos.values():
        for filename, image, tags, quality in images:
            assert filename.endswith(".png")
            assert image.mode == "RGB" and image.size == (1024, 1024)
            assert tags and set(tags) <= set(ASSET_TAGS)
            assert 0.0 <= quality <= 1.0
            assert _luma_std(image) > MIN_IMAGE_STD / 2, filename  # photos are softer than ads


def test_demo_photos_are_measured_as_uploads_are_and_a_blurred_one_ranks_below(photos):
    from PIL import ImageFilter

    from adcreator.catalog.photo_quality import measure_photo_quality

    _, packshot, _, score = photos["night-repair-serum"][0]
    assert score == measure_photo_quality(packshot).score
    assert measure_photo_quality(packshot.filter(ImageFilter.GaussianBlur(6))).score < score


def test_brand_assets_are_transparent_logo_and_badge():
    assets = catalog.brand_assets()
    assert {asset_type for asset_type, _, _ in assets} == {"logo", "badge"}
    for asset_type, filename, image in assets:
        assert asset_type in ASSET_TAGS and filename.endswith(".png")
        assert image.mode == "RGBA"
        alpha = np.asarray(image.getchannel("A"))
        assert alpha[0, 0] == 0 and alpha.max() == 255  # transparent corner, opaque artwork


def test_template_library_is_varied(demo_templates):
    assert len(demo_templates) >= 14
    metas = [template.metadata for template in demo_templates]
    assert len({meta.category for meta in metas}) >= 4
    assert len({meta.awareness_level for meta in metas}) >= 4
    assert all(1 <= meta.awareness_level <= 5 for meta in metas)
    assert {meta.target_sex for meta in metas} >= {"female", "male", "unisex", None}
    assert len({meta.industry for meta in metas}) >= 4
    sizes = {template.image.size for template in demo_templates}
    assert sizes <= set(CANVAS_SIZES.values()) and len(sizes) == 4
    assert len({template.filename for template in demo_templates}) == len(demo_templates)


def test_template_elements_validate_and_use_the_asset_vocabulary(demo_templates):
    for template in demo_templates:
        elements = TemplateElements.model_validate(template.elements.to_json())
        assert elements.detector == "seed-layout"
        assert set(elements.required_assets) | set(elements.optional_assets) <= set(ASSET_TAGS)
        assert elements.required_assets, template.filename
        roles = {area.role for area in elements.text_areas}
        assert {"headline", "cta"} <= roles, template.filename
        assert elements.product_areas or elements.people, template.filename
        assert elements.palette and all(colour.startswith("#") and len(colour) == 7 for colour in elements.palette)
        assert elements.background and elements.background.startswith("#")
        if "person" in elements.required_assets:
            assert elements.people, template.filename


def test_evaluations_are_in_range_and_some_are_missing(demo_templates):
    evaluated = [template.evaluation for template in demo_templates if template.evaluation is not None]
    assert 0 < len(evaluated) < len(demo_templates)
    assert len(evaluated) > len(demo_templates) / 2
    for scores in evaluated:
        assert all(isinstance(scores[key], int) and 0 <= scores[key] <= 3 for key in ("d1", "d2", "d3", "d4", "d5"))
        assert isinstance(scores["d6"], bool)
    assert any(scores["d6"] is False for scores in evaluated)


def test_templates_are_not_blank_and_their_text_boxes_hold_ink(demo_templates):
    for template in demo_templates:
        image = template.image
        assert image.mode == "RGB"
        assert _luma_std(image) > MIN_IMAGE_STD, template.filename
        for area in template.elements.text_areas:
            x0, y0, x1, y1 = area.box
            crop = image.crop((int(x0 * image.width), int(y0 * image.height), int(x1 * image.width), int(y1 * image.height)))
            assert _luma_std(crop) > MIN_TEXT_BOX_STD, (template.filename, area.role)
            assert area.max_chars >= 8


def test_output_is_deterministic(demo_templates, photos):
    again = [glow_testimonial(), north_thread_hero()]
    first = {template.filename: template for template in demo_templates}
    for template in again:
        assert _digest(template.image) == _digest(first[template.filename].image)
        assert template.elements == first[template.filename].elements
    repeat = catalog.product_images("night-repair-serum")
    assert [_digest(image) for _, image, _, _ in repeat] == [_digest(image) for _, image, _, _ in photos["night-repair-serum"]]
    assert [_digest(image) for _, _, image in catalog.brand_assets()] == [_digest(image) for _, _, image in catalog.brand_assets()]


def test_catalog_records_are_complete_and_consistent():
    product_slugs = {product.slug for product in catalog.PRODUCTS}
    assert catalog.BRAND.slug == "demo"
    assert "FDA approved" in catalog.BRAND.prohibited_claims and catalog.BRAND.required_disclaimers
    assert all(product.current_offer and product.description for product in catalog.PRODUCTS)
    assert len(catalog.PERSONAS) >= 2
    assert all(1 <= persona.awareness_stage <= 5 and persona.age_min < persona.age_max for persona in catalog.PERSONAS)
    assert len({persona.target_sex for persona in catalog.PERSONAS}) >= 2
    assert len(catalog.BELIEF_ANGLES) >= 2
    assert {angle.product_slug for angle in catalog.BELIEF_ANGLES} <= product_slugs
    assert len(catalog.OFFER_VARIANTS) >= 2
    assert all(offer.pain_points and offer.landing_page_url.startswith("https://") for offer in catalog.OFFER_VARIANTS)
    with_page = {page.offer_variant_slug for page in catalog.LANDING_PAGES}
    offer_slugs = {offer.slug for offer in catalog.OFFER_VARIANTS}
    assert with_page < offer_slugs and len(with_page) == 1  # one offer deliberately has no page
    assert len(catalog.HOOKS) >= 8
    assert {hook.hook_type for hook in catalog.HOOKS} >= {
        "curiosity_gap", "social_proof", "problem_agitation", "benefit_led", "urgency", "authority"}
    assert {hook.product_slug for hook in catalog.HOOKS} - {None} <= product_slugs
    for hook in catalog.HOOKS:
        lowered = hook.text.lower()
        assert not any(claim.lower() in lowered for claim in catalog.BRAND.prohibited_claims), hook.text
