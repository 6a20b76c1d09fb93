"""Pytest fixtures for the fake provider servers, and sample inputs for adapter tests.

Import the fixtures you use into a test module (`from tests.fakes.fixtures import gemini_server`).
"""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from PIL import Image, ImageDraw

from adcreator.prompts.elements import Region, TextArea
from adcreator.prompts.models import (
    CANVAS_SIZES,
    AdBriefConfig,
    AdGenerationPrompt,
    AssetContext,
    ContentConfig,
    GenerationRules,
    HeadlineConfig,
    ImageConfig,
    ProductContext,
    ReferenceImageSpec,
    StyleConfig,
    SubheadlineConfig,
    TaskConfig,
    TemplateAnalysis,
)
from adcreator.providers.base import ReferenceImage, ReviewRequest
from tests.fakes.anthropic_server import FakeAnthropicServer
from tests.fakes.gemini_server import FakeGeminiServer
from tests.fakes.scenarios import draw_ad_image


# One server per test module, reset before each test: starting a server is cheap, but
# sharing it lets a module also share SDK clients, whose construction (CA bundle loading)
# costs ~0.25 s each.
@pytest.fixture(scope="module")
def gemini_server_for_module() -> Iterator[FakeGeminiServer]:
    with FakeGeminiServer() as server:
        yield server


@pytest.fixture
def gemini_server(gemini_server_for_module: FakeGeminiServer) -> FakeGeminiServer:
    gemini_server_for_module.reset()
    return gemini_server_for_module


@pytest.fixture(scope="module")
def anthropic_server_for_module() -> Iterator[FakeAnthropicServer]:
    with FakeAnthropicServer() as server:
        yield server


@pytest.fixture
def anthropic_server(anthropic_server_for_module: FakeAnthropicServer) -> FakeAnthropicServer:
    anthropic_server_for_module.reset()
    return anthropic_server_for_module


def sample_prompt(ratio: str = "4:5", palette: tuple[str, ...] = ("#1d3557", "#f1c40f")) -> AdGenerationPrompt:
    width, height = CANVAS_SIZES[ratio]
    return AdGenerationPrompt(
        task=TaskConfig(
            variation_index=1,
            total_variations=3,
            canvas_size=f"{width}x{height}",
            aspect_ratio=ratio,
            color_mode="brand",
        ),
        product=ProductContext(
            name="Calm Sleep Gummies",
            brand_name="Nightly",
            current_offer="20% off your first order",
            description="Melatonin-free gummies with magnesium and chamomile.",
            prohibited_claims=["cures insomnia"],
            required_disclaimers=["These statements have not been evaluated by the FDA."],
        ),
        content=ContentConfig(
            headline=HeadlineConfig(text="Fall asleep without the fog", hook_type="pain", max_chars=40),
            subheadline=SubheadlineConfig(text="Magnesium + chamomile, no melatonin", max_chars=60),
            cta="Try it tonight",
        ),
        style=StyleConfig(color_mode="brand", palette=list(palette), visual_style="calm, premium"),
        images=ImageConfig(
            canvas_width=width,
            canvas_height=height,
            aspect_ratio=ratio,
            references=[
                ReferenceImageSpec(role="logo", ref="brands/1/logo.png"),
                ReferenceImageSpec(role="product", asset_tags=["packshot"], ref="products/7/a.png"),
                ReferenceImageSpec(role="template", ref="templates/3.png"),
            ],
        ),
        template_analysis=TemplateAnalysis(
            template_id=3,
            layout_summary="Headline band on top, product centred, CTA button at the bottom.",
            text_areas=[TextArea(role="headline", box=(0.08, 0.06, 0.92, 0.24), max_chars=40)],
            logo_areas=[Region(box=(0.04, 0.9, 0.2, 0.97))],
        ),
        asset_context=AssetContext(
            template_requires_logo=True,
            brand_has_logo=True,
            asset_instructions=["Place the brand logo in the bottom-left logo area."],
        ),
        rules=GenerationRules(rules=["Do not invent prices.", "Keep the product label readable."]),
        ad_brief=AdBriefConfig(persona_name="Tired parents", awareness_stage=3, offer_core_message="Sleep better tonight"),
    )


def solid_png(size: tuple[int, int], colour: tuple[int, int, int], mark: tuple[int, int, int] | None = None) -> bytes:
    """A small real PNG: solid colour, optionally with a contrasting square in the middle."""
    picture = Image.new("RGB", size, colour)
    if mark is not None:
        width, height = size
        ImageDraw.Draw(picture).rectangle((width // 3, height // 3, 2 * width // 3, 2 * height // 3), fill=mark)
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    return buffer.getvalue()


def solid_jpeg(size: tuple[int, int], colour: tuple[int, int, int]) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="JPEG")
    return buffer.getvalue()


def sample_references() -> list[ReferenceImage]:
    """Deliberately out of order (logo, product, template) to check the adapter reorders them."""
    return [
        ReferenceImage(role="logo", data=solid_png((64, 64), (0, 0, 0)), asset_tags=["logo"]),
        ReferenceImage(role="product", data=solid_jpeg((120, 160), (200, 30, 30)), mime_type="image/jpeg", asset_tags=["packshot"]),
        ReferenceImage(role="template", data=solid_png((108, 135), (240, 240, 240), mark=(20, 20, 120))),
    ]


# The review tests' ad: painted in sample_prompt's palette, as a faithful model would.
REVIEW_PALETTE_TEXT = "#1d3557 #f1c40f"


def sample_review_request(prompt: AdGenerationPrompt | None = None, *, ad: bytes | None = None,
                          with_template: bool = True, product_count: int = 2) -> ReviewRequest:
    """A review of a 4:5 ad with its template and product photos (a JPEG, then PNGs)."""
    products = [solid_jpeg((120, 160), (200, 30, 30))]
    products += [solid_png((100, 100), (30, 200, 30 + index)) for index in range(product_count - 1)]
    return ReviewRequest(
        image=ad if ad is not None else draw_ad_image((1080, 1350), REVIEW_PALETTE_TEXT),
        prompt=prompt or sample_prompt("4:5"),
        template_image=solid_png((108, 135), (240, 240, 240), mark=(20, 20, 120)) if with_template else None,
        product_images=products[:product_count],
    )
