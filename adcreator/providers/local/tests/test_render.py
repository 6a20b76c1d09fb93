"""Renderer tests on real renders: canvas size, determinism, fit, contrast, product, logo rule."""

from __future__ import annotations

import functools
import io
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
from PIL import Image, ImageDraw

from adcreator.prompts.elements import Region, TextArea
from adcreator.prompts.models import (
    CANVAS_SIZES,
    COLOR_MODES,
    AdGenerationPrompt,
    AssetContext,
    ContentConfig,
    GenerationRules,
    HeadlineConfig,
    ImageConfig,
    ProductContext,
    StyleConfig,
    SubheadlineConfig,
    TaskConfig,
    TemplateAnalysis,
)
from adcreator.providers.base import ImageModel, ImageRequest, ReferenceImage
from adcreator.providers.errors import RetryableProviderError
from adcreator.providers.local.image_model import LocalImageModel
from adcreator.prompts.palette import contrast_ratio, palette_for_mode, parse_hex
from adcreator.providers.local.render import RenderOutcome, prepare_reference, render_ad, render_ad_detailed

TEMPLATE_PALETTE = ["#f6efe4", "#d9482b", "#23313f"]
BRAND_COLORS = ["#0b3d91", "#f2a900"]
BOTTLE_COLOR = (46, 120, 92)


def bottle_png(size: tuple[int, int] = (420, 640)) -> bytes:
    """A green bottle with a white label and a cap, on a white studio backdrop."""
    width, height = size
    image = Image.new("RGB", size, "#ffffff")
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((width * 0.2, height * 0.28, width * 0.8, height * 0.96), radius=width * 0.12, fill=BOTTLE_COLOR)
    draw.rectangle((width * 0.38, height * 0.12, width * 0.62, height * 0.3), fill=BOTTLE_COLOR)
    draw.rounded_rectangle((width * 0.35, height * 0.04, width * 0.65, height * 0.14), radius=8, fill="#1d1d1d")
    draw.rectangle((width * 0.26, height * 0.5, width * 0.74, height * 0.74), fill="#fbfaf7")
    draw.rectangle((width * 0.3, height * 0.58, width * 0.7, height * 0.62), fill="#d9482b")
    return _png(image)


def logo_png() -> bytes:
    image = Image.new("RGBA", (360, 120), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((8, 10, 108, 110), fill="#0b3d91")
    draw.rounded_rectangle((130, 38, 350, 82), radius=20, fill="#0b3d91")
    return _png(image)


def badge_png() -> bytes:
    image = Image.new("RGB", (200, 200), "#ffffff")
    ImageDraw.Draw(image).ellipse((10, 10, 190, 190), fill="#f2a900", outline="#b37a00", width=8)
    return _png(image)


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def template_analysis() -> TemplateAnalysis:
    """A 1:1 template: logo top-left, left-aligned headline and subheadline, product right."""
    return TemplateAnalysis(
        template_id=7,
        name="Left copy, right product",
        palette=TEMPLATE_PALETTE,
        background=TEMPLATE_PALETTE[0],
        native_aspect_ratio="1:1",
        text_areas=[
            TextArea(role="headline", box=(0.07, 0.18, 0.55, 0.48), max_chars=40, align="left"),
            TextArea(role="subheadline", box=(0.07, 0.5, 0.52, 0.64), max_chars=80, align="left"),
            TextArea(role="cta", box=(0.07, 0.7, 0.45, 0.8), max_chars=16, align="left"),
        ],
        logo_areas=[Region(box=(0.07, 0.06, 0.33, 0.13))],
        product_areas=[Region(box=(0.55, 0.2, 0.95, 0.9))],
    )


def build_prompt(
    ratio: str = "4:5",
    color_mode: str = "original",
    headline: str = "Sleep deeper from night one",
    subheadline: str | None = "Magnesium + chamomile, no grogginess the next morning.",
    brand_has_logo: bool = True,
    disclaimers: tuple[str, ...] = ("These statements have not been evaluated by the FDA.",),
    analysis: TemplateAnalysis | None = None,
) -> AdGenerationPrompt:
    width, height = CANVAS_SIZES[ratio]
    analysis = analysis or template_analysis()
    return AdGenerationPrompt(
        task=TaskConfig(variation_index=1, total_variations=1, canvas_size=f"{width}x{height}", aspect_ratio=ratio, color_mode=color_mode),
        product=ProductContext(name="Calm Night Drops", brand_name="Lumen & Co", required_disclaimers=list(disclaimers)),
        content=ContentConfig(
            headline=HeadlineConfig(text=headline),
            subheadline=SubheadlineConfig(text=subheadline) if subheadline else None,
            cta="Shop now",
        ),
        style=StyleConfig(color_mode=color_mode, palette=palette_for_mode(color_mode, analysis.palette, BRAND_COLORS)),
        images=ImageConfig(canvas_width=width, canvas_height=height, aspect_ratio=ratio),
        template_analysis=analysis,
        asset_context=AssetContext(template_requires_logo=bool(analysis.logo_areas), brand_has_logo=brand_has_logo),
        rules=GenerationRules(),
    )


def references(with_logo: bool = True, with_badge: bool = False) -> list[ReferenceImage]:
    refs = [ReferenceImage(role="product", data=bottle_png(), asset_tags=["product", "packshot"])]
    if with_logo:
        refs.append(ReferenceImage(role="logo", data=logo_png(), asset_tags=["logo"]))
    if with_badge:
        refs.append(ReferenceImage(role="badge", data=badge_png(), asset_tags=["badge"]))
    return refs


# ---------------------------------------------------------------------------------------
# Measurements on rendered pixels
# ---------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=None)
def rendered(ratio: str, mode: str) -> RenderOutcome:
    """One render per (ratio, mode), shared by the tests that only measure it."""
    return render_ad_detailed(build_prompt(ratio, mode), references(with_badge=True))


def pixels(image: Image.Image, box: tuple[int, int, int, int]) -> np.ndarray:
    return np.asarray(image.crop(box), dtype=np.float32).reshape(-1, 3)


def ring_around(box: tuple[int, int, int, int], size: tuple[int, int], inner: int = 2, outer: int = 6) -> list[tuple[int, int, int, int]]:
    """Strips just outside an ink box: pixels that are behind the text but not glyphs."""
    x0, y0, x1, y1 = box
    width, height = size
    strips = [
        (x0 - outer, y0 - outer, x1 + outer, y0 - inner),
        (x0 - outer, y1 + inner, x1 + outer, y1 + outer),
        (x0 - outer, y0, x0 - inner, y1),
        (x1 + inner, y0, x1 + outer, y1),
    ]
    clipped = [(max(0, a), max(0, b), min(width, c), min(height, d)) for a, b, c, d in strips]
    return [s for s in clipped if s[2] > s[0] and s[3] > s[1]]


def inside(inner: tuple[int, int, int, int], outer: tuple[int, int, int, int]) -> bool:
    return inner[0] >= outer[0] and inner[1] >= outer[1] and inner[2] <= outer[2] and inner[3] <= outer[3]


@pytest.mark.parametrize("mode", COLOR_MODES)
@pytest.mark.parametrize("ratio", list(CANVAS_SIZES))
def test_render_is_exactly_the_canvas_size(ratio: str, mode: str):
    outcome = rendered(ratio, mode)
    assert outcome.image.size == CANVAS_SIZES[ratio]
    assert outcome.image.mode == "RGB"
    assert render_ad(build_prompt(ratio, mode), references()).size == CANVAS_SIZES[ratio]


def test_same_inputs_give_identical_bytes():
    prepare_reference.cache_clear()
    first = _png(render_ad(build_prompt("4:5", "brand"), references(with_badge=True)))
    prepare_reference.cache_clear()  # the cut-out itself must be deterministic, not just cached
    second = _png(render_ad(build_prompt("4:5", "brand"), references(with_badge=True)))
    assert first == second


@pytest.mark.parametrize("ratio", list(CANVAS_SIZES))
def test_text_stays_inside_its_area_and_the_canvas(ratio: str):
    outcome = rendered(ratio, "original")
    canvas = (0, 0, *outcome.image.size)
    assert {"headline", "subheadline", "cta", "disclaimer"} <= set(outcome.text_boxes)
    for role, ink in outcome.text_boxes.items():
        assert inside(ink, outcome.text_areas[role]), (role, ink, outcome.text_areas[role])
        assert inside(outcome.text_areas[role], canvas)
    assert inside(outcome.cta_button_box, canvas)
    assert inside(outcome.logo_box, outcome.logo_area) and inside(outcome.product_box, outcome.product_area)
    assert inside(outcome.logo_area, canvas) and inside(outcome.product_area, canvas)
    assert not any(note.startswith("headline: truncated") for note in outcome.notes)


@pytest.mark.parametrize("mode", COLOR_MODES)
@pytest.mark.parametrize("ratio", list(CANVAS_SIZES))
def test_headline_contrast_measured_on_the_pixels_behind_it(ratio: str, mode: str):
    outcome = rendered(ratio, mode)
    ink_box = outcome.text_boxes["headline"]
    text_color = parse_hex(outcome.text_colors["headline"])
    behind = np.concatenate([pixels(outcome.image, strip) for strip in ring_around(ink_box, outcome.image.size)])
    worst = min(contrast_ratio(text_color, tuple(p)) for p in np.unique(behind.astype(int), axis=0))
    assert worst >= 4.5
    # The colour is really on the canvas: a solid share of the ink box is exactly that colour.
    glyph = np.all(np.abs(pixels(outcome.image, ink_box) - text_color) <= 2, axis=1)
    assert glyph.mean() > 0.1


def test_product_is_cut_out_and_placed_in_its_box():
    outcome = rendered("4:5", "original")
    box_pixels = pixels(outcome.image, outcome.product_box)
    bottle_share = (np.linalg.norm(box_pixels - BOTTLE_COLOR, axis=1) < 12).mean()
    assert bottle_share > 0.3
    background = np.array(parse_hex(outcome.colors.background), dtype=np.float32)
    assert (np.linalg.norm(box_pixels - background, axis=1) > 40).mean() > 0.4
    # The studio white is gone: the box corners (outside the bottle) are not white.
    corner = pixels(outcome.image, (outcome.product_box[0], outcome.product_box[1], outcome.product_box[0] + 6, outcome.product_box[1] + 6))
    assert np.linalg.norm(corner.mean(axis=0) - (255, 255, 255)) > 10

    without_product = render_ad_detailed(build_prompt("4:5", "original"), references()[1:])
    empty_pixels = pixels(without_product.image, outcome.product_box)
    assert (np.linalg.norm(empty_pixels - BOTTLE_COLOR, axis=1) < 12).mean() < 0.01
    assert any("no product reference" in note for note in without_product.notes)


def test_cut_out_keeps_a_white_label_inside_the_product_opaque():
    prepared = prepare_reference(bottle_png())
    assert prepared.is_cutout
    alpha = np.asarray(prepared.image.getchannel("A"))
    height, width = alpha.shape
    assert alpha[int(height * 0.62), width // 2] == 255  # the white label, enclosed by the bottle
    assert alpha[2, 2] == 0 and alpha[-3, -3] == 0  # the studio backdrop at the corners
    assert 0 < (alpha == 0).mean() < 0.7


def test_a_photo_with_a_busy_background_is_shown_whole_not_cut_out():
    rng = np.random.default_rng(7)
    scene = Image.fromarray(rng.integers(0, 255, (300, 400, 3), dtype=np.uint8), "RGB")
    prepared = prepare_reference(_png(scene))
    assert not prepared.is_cutout and prepared.image.size == (400, 300)


def test_logo_image_goes_into_the_logo_area():
    outcome = rendered("1:1", "original")
    assert not outcome.logo_is_wordmark
    logo_blue = (np.linalg.norm(pixels(outcome.image, outcome.logo_box) - parse_hex("#0b3d91"), axis=1) < 10).mean()
    assert logo_blue > 0.3


def test_brand_name_wordmark_fills_the_logo_area_when_the_brand_has_no_logo():
    outcome = render_ad_detailed(build_prompt("1:1", "original", brand_has_logo=False), references(with_logo=False))
    assert outcome.logo_is_wordmark
    assert any("brand has no logo" in note and "wordmark" in note for note in outcome.notes)
    assert outcome.logo_area is not None and outcome.logo_box is not None
    assert inside(outcome.logo_box, outcome.logo_area)
    assert outcome.logo_area[0] < 0.1 * 1080 and outcome.logo_area[3] < 0.2 * 1080  # the template's top-left slot
    ink = np.all(np.abs(pixels(outcome.image, outcome.logo_box) - parse_hex(outcome.text_colors["wordmark"])) <= 2, axis=1)
    assert ink.mean() > 0.1


def test_a_very_long_headline_is_shortened_at_a_phrase_boundary_never_with_an_ellipsis():
    # Replaces the old "truncated with an ellipsis" test: cutting with "…" is what the issue forbids.
    headline = " ".join(["Unbelievably restful sleep for everyone in your household tonight."] * 6)
    outcome = render_ad_detailed(build_prompt("1:1", "original", headline=headline), references())
    notes = [note for note in outcome.notes if note.startswith("headline: shortened at a phrase boundary")]
    assert notes
    set_text = " ".join(line.text for line in outcome.lines if line.role == "headline")
    assert "…" not in set_text and headline.startswith(set_text) and len(set_text) < len(headline)
    assert set_text.endswith((".", "tonight", "household", "sleep"))
    assert inside(outcome.text_boxes["headline"], outcome.text_areas["headline"])


def test_colour_modes_produce_measurably_different_ads():
    means = {mode: pixels(rendered("4:5", mode).image, (0, 0, 1080, 1350)).mean(axis=0) for mode in COLOR_MODES}
    for first, second in [("original", "complementary"), ("original", "brand"), ("complementary", "brand")]:
        assert np.linalg.norm(means[first] - means[second]) > 8, (first, second, means)
    backgrounds = {rendered("4:5", mode).colors.background for mode in COLOR_MODES}
    assert len(backgrounds) == 3


def test_wide_canvas_puts_the_product_beside_the_copy_and_tall_canvas_stacks_them():
    wide, tall = rendered("16:9", "original"), rendered("9:16", "original")
    assert wide.layout_strategy == "side_by_side"
    assert wide.product_box[0] >= wide.text_areas["headline"][2]  # product right of the copy
    assert tall.layout_strategy == "stacked"
    assert tall.product_box[1] >= tall.text_boxes["subheadline"][3]  # product below the copy
    # Not stretched: the product keeps the source's aspect ratio (within rounding).
    source = prepare_reference(bottle_png()).image.size
    for outcome in (wide, tall, rendered("1:1", "original")):
        x0, y0, x1, y1 = outcome.product_box
        assert (x1 - x0) / (y1 - y0) == pytest.approx(source[0] / source[1], rel=0.02)


def test_template_without_text_areas_falls_back_to_the_default_layout():
    bare = TemplateAnalysis(palette=["#ffffff", "#222222", "#3a86ff"], background="#ffffff")
    outcome = render_ad_detailed(build_prompt("4:5", "original", analysis=bare), references())
    assert any("default centred layout" in note for note in outcome.notes)
    assert {"headline", "subheadline", "cta"} <= set(outcome.text_boxes)
    assert outcome.product_box is not None


# ---------------------------------------------------------------------------------------
# LocalImageModel
# ---------------------------------------------------------------------------------------


def small_request() -> ImageRequest:
    prompt = build_prompt("4:5", "original").model_copy(deep=True)
    prompt.images.canvas_width, prompt.images.canvas_height = 216, 270  # small: fast to render
    return ImageRequest(prompt=prompt, references=references())


def test_local_image_model_returns_a_png_at_the_requested_canvas():
    model = LocalImageModel()
    assert isinstance(model, ImageModel)
    assert (model.provider_name, model.model_name) == ("local", "local-pillow-renderer-v1")
    request = ImageRequest(prompt=build_prompt("9:16", "brand", brand_has_logo=False), references=references(with_logo=False))
    result = model.generate(request)
    decoded = Image.open(io.BytesIO(result.png))
    assert decoded.format == "PNG" and decoded.size == (1080, 1920)
    assert (result.width, result.height, result.native_width, result.native_height) == (1080, 1920, 1080, 1920)
    assert result.usage.images_out == 1 and result.model == "local-pillow-renderer-v1"
    assert any("wordmark" in note for note in result.notes)
    # The lines it set come back with their boxes, each inside the area it was fitted to.
    assert result.layout is not None and result.layout.archetype == "product_hero"
    assert {"headline", "cta"} <= {line.role for line in result.layout.lines}
    assert all(inside(line.box, line.area) for line in result.layout.lines)


def test_fail_every_counts_calls_across_threads():
    model = LocalImageModel(fail_every=3)
    request = small_request()

    def call(_: int) -> bool:
        try:
            model.generate(request)
            return True
        except RetryableProviderError as error:
            assert error.retryable and error.provider == "local"
            return False

    with ThreadPoolExecutor(max_workers=6) as pool:
        outcomes = list(pool.map(call, range(18)))
    assert outcomes.count(False) == 6 and model.calls == 18


def test_latency_switch_delays_the_answer():
    model = LocalImageModel(latency_seconds=0.2)
    started = time.perf_counter()
    model.generate(small_request())
    assert time.perf_counter() - started >= 0.2
    with pytest.raises(ValueError):
        LocalImageModel(fail_every=-1)


# ---------------------------------------------------------------------------------------
# The logo on any ground
# ---------------------------------------------------------------------------------------


def navy_analysis() -> TemplateAnalysis:
    return template_analysis().model_copy(update={"palette": ["#16203c", "#ffffff", "#ffce60"], "background": "#16203c"})


def light_logo_png() -> bytes:
    image = Image.new("RGBA", (360, 120), (0, 0, 0, 0))
    ImageDraw.Draw(image).rounded_rectangle((10, 30, 350, 90), radius=20, fill="#f4ede1")
    return _png(image)


def test_a_dark_logo_on_a_dark_ground_gets_a_plate_that_reaches_three_to_one():
    outcome = render_ad_detailed(build_prompt("1:1", "original", analysis=navy_analysis()), references())
    assert outcome.logo_contrast is not None and outcome.logo_contrast >= 3.0
    assert any("contrasting plate" in note for note in outcome.notes)
    # Measured on the pixels: around the logo the plate, not the navy ground.
    x0, y0, x1, y1 = outcome.logo_box
    around = pixels(outcome.image, (x0 - 4, y0 - 4, x0 - 1, y1))
    assert contrast_ratio(tuple(around.mean(axis=0)), (0x0B, 0x3D, 0x91)) >= 3.0


def test_a_dark_ground_uses_the_brands_logo_for_dark_backgrounds_when_there_is_one():
    refs = references() + [ReferenceImage(role="logo", data=light_logo_png(), asset_tags=["logo_dark"])]
    outcome = render_ad_detailed(build_prompt("1:1", "original", analysis=navy_analysis()), refs)
    assert any("variant for dark backgrounds" in note for note in outcome.notes)
    assert not any("contrasting plate" in note for note in outcome.notes)
    assert outcome.logo_contrast >= 3.0
    cream = (np.linalg.norm(pixels(outcome.image, outcome.logo_box) - parse_hex("#f4ede1"), axis=1) < 12).mean()
    assert cream > 0.3
