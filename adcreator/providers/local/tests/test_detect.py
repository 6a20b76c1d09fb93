"""The local pixel detector on synthetic templates whose true layout is known."""

from __future__ import annotations

import io
import statistics
import time
from dataclasses import dataclass

import numpy as np
import pytest
from PIL import Image, ImageDraw

from adcreator.prompts.elements import TemplateElements
from adcreator.providers.base import TemplateAnalysisRequest, TemplateAnalyzer
from adcreator.providers.errors import ProviderError
from adcreator.providers.local.detect import LocalTemplateAnalyzer
from adcreator.providers.local.fonts import load_font

analyzer = LocalTemplateAnalyzer()

Box = tuple[float, float, float, float]


@dataclass
class SyntheticTemplate:
    png: bytes
    size: tuple[int, int]
    background: tuple[int, int, int]  # mean background colour
    headline: Box  # pixel boxes of what was drawn
    product: Box
    logo: Box
    cta: Box

    def fraction(self, box: Box) -> Box:
        width, height = self.size
        return box[0] / width, box[1] / height, box[2] / width, box[3] / height


def iou(a: Box, b: Box) -> float:
    width = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    height = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = width * height
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union


def png_bytes(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def draw_template(*, gradient: bool) -> SyntheticTemplate:
    """A 4:5 ad: Lato Black headline on top, subhead, product shape, corner logo, CTA pill."""
    width, height = 1080, 1350
    top, bottom = (250, 236, 220), (200, 210, 245)
    if gradient:
        ramp = np.linspace(0.0, 1.0, height)[:, None, None]
        pixels = np.array(top) + (np.array(bottom) - np.array(top)) * ramp
        image = Image.fromarray(np.repeat(pixels, width, axis=1).astype(np.uint8))
        background = tuple(int(v) for v in (np.array(top) + np.array(bottom)) / 2)
    else:
        image = Image.new("RGB", (width, height), top)
        background = top
    draw = ImageDraw.Draw(image)

    headline_font = load_font("Lato", "Black", 96)
    text = "SLEEP DEEPER"
    text_width = draw.textlength(text, font=headline_font)
    headline = draw.textbbox(((width - text_width) / 2, 140), text, font=headline_font)
    draw.text(((width - text_width) / 2, 140), text, font=headline_font, fill=(25, 30, 60))
    sub_font = load_font("Lato", "Regular", 44)
    sub = "Magnesium gummies for calmer nights"
    draw.text(((width - draw.textlength(sub, font=sub_font)) / 2, 280), sub, font=sub_font,
              fill=(60, 60, 80))

    product = (380, 420, 700, 1000)
    draw.rounded_rectangle(product, radius=40, fill=(90, 140, 200))
    draw.rectangle((430, 420, 650, 500), fill=(40, 60, 90))  # a cap
    logo = (60, 50, 150, 140)
    draw.ellipse(logo, fill=(220, 80, 60))
    cta = (360, 1120, 720, 1230)
    draw.rounded_rectangle(cta, radius=55, fill=(230, 90, 50))
    cta_font = load_font("Lato", "Bold", 48)
    label = "Shop now"
    draw.text(((width - draw.textlength(label, font=cta_font)) / 2, 1150), label, font=cta_font,
              fill=(255, 255, 255))
    return SyntheticTemplate(png_bytes(image), (width, height), background, headline, product,
                             logo, cta)


def draw_dark_square_template() -> tuple[bytes, Box, Box]:
    """1:1, dark background, two-line left-aligned headline, product carrying its own label."""
    image = Image.new("RGB", (1080, 1080), (20, 28, 48))
    draw = ImageDraw.Draw(image)
    font = load_font("Lato", "Black", 84)
    first = draw.textbbox((70, 90), "Your skin,", font=font)
    second = draw.textbbox((70, 190), "but calmer.", font=font)
    draw.text((70, 90), "Your skin,", font=font, fill=(255, 255, 255))
    draw.text((70, 190), "but calmer.", font=font, fill=(255, 255, 255))
    product = (640, 380, 980, 1000)
    draw.rounded_rectangle(product, radius=30, fill=(235, 220, 200))
    draw.text((700, 600), "CALM SERUM", font=load_font("Lato", "Bold", 40), fill=(40, 40, 40))
    body = load_font("Lato", "Regular", 36)
    lines = ["Clinically tested for", "sensitive skin. No", "fragrance, no fuss."]
    for row, line in enumerate(lines):
        draw.text((70, 420 + row * 50), line, font=body, fill=(200, 210, 230))
    headline = (first[0], first[1], max(first[2], second[2]), second[3])
    return png_bytes(image), headline, product


@pytest.fixture(scope="module", params=[False, True], ids=["solid", "gradient"])
def synthetic(request) -> SyntheticTemplate:
    return draw_template(gradient=request.param)


@pytest.fixture(scope="module")
def elements(synthetic: SyntheticTemplate) -> TemplateElements:
    return analyzer.analyze_template(TemplateAnalysisRequest(image=synthetic.png)).elements


def test_implements_the_template_analyzer_protocol():
    assert isinstance(analyzer, TemplateAnalyzer)
    assert analyzer.provider_name == "local"
    assert analyzer.detection_version == "local-pixels-v2"


def test_finds_the_headline_where_it_was_drawn(synthetic, elements):
    headlines = [area for area in elements.text_areas if area.role == "headline"]
    assert len(headlines) == 1
    measured = iou(headlines[0].box, synthetic.fraction(synthetic.headline))
    assert measured > 0.3, measured
    assert headlines[0].align == "center"
    # "SLEEP DEEPER" is 12 characters; the estimate should be of that order.
    assert 8 <= headlines[0].max_chars <= 24


def test_finds_the_product_and_requires_it(synthetic, elements):
    assert len(elements.product_areas) == 1
    measured = iou(elements.product_areas[0].box, synthetic.fraction(synthetic.product))
    assert measured > 0.3, measured
    assert 0.0 <= elements.product_areas[0].confidence <= 1.0
    assert "product" in elements.required_assets


def test_finds_the_cta_pill_at_the_bottom(synthetic, elements):
    ctas = [area for area in elements.text_areas if area.role == "cta"]
    assert len(ctas) == 1
    assert iou(ctas[0].box, synthetic.fraction(synthetic.cta)) > 0.5


def test_guesses_the_corner_logo_as_optional(synthetic, elements):
    assert len(elements.logo_areas) == 1
    assert iou(elements.logo_areas[0].box, synthetic.fraction(synthetic.logo)) > 0.3
    assert elements.logo_areas[0].confidence <= 0.6  # a position guess, not a recognition
    assert "logo" in elements.optional_assets and "logo" not in elements.required_assets


def test_palette_leads_with_the_background(synthetic, elements):
    first = np.array([int(elements.palette[0][i:i + 2], 16) for i in (1, 3, 5)])
    assert np.linalg.norm(first - np.array(synthetic.background)) < 30
    assert all(len(colour) == 7 and colour.startswith("#") for colour in elements.palette)
    # The saturated product blue is among the template's colours.
    colours = [np.array([int(c[i:i + 2], 16) for i in (1, 3, 5)]) for c in elements.palette]
    assert any(np.linalg.norm(colour - (90, 140, 200)) < 30 for colour in colours)


def test_solid_background_is_reported_exactly():
    template = draw_template(gradient=False)
    elements = analyzer.analyze_template(TemplateAnalysisRequest(image=template.png)).elements
    assert elements.background == "#faecdc"


def test_people_are_reported_as_not_detected_rather_than_guessed(elements):
    assert "people" in elements.not_detected
    assert "badge" in elements.not_detected
    assert elements.people == []
    assert elements.detector == "local-pixels-v2"


def test_the_same_bytes_give_the_same_elements(synthetic):
    request = TemplateAnalysisRequest(image=synthetic.png)
    assert analyzer.analyze_template(request) == analyzer.analyze_template(request)


def test_dark_template_with_label_text_on_the_product():
    png, headline_box, product_box = draw_dark_square_template()
    elements = analyzer.analyze_template(TemplateAnalysisRequest(image=png)).elements
    headline = next(area for area in elements.text_areas if area.role == "headline")
    assert iou(headline.box, tuple(v / 1080 for v in headline_box)) > 0.3
    assert headline.align == "left"
    assert iou(elements.product_areas[0].box, tuple(v / 1080 for v in product_box)) > 0.3
    # "CALM SERUM" printed on the product is packaging, not an ad text area.
    assert all(area.box[0] < 0.55 for area in elements.text_areas)
    assert elements.background == "#141c30"


@pytest.mark.parametrize(
    "image",
    [Image.new("RGB", (1080, 1350), (255, 255, 255)), Image.new("RGB", (1080, 1080), (30, 60, 90))],
    ids=["white", "navy"],
)
def test_a_blank_image_has_no_text_product_or_logo(image):
    elements = analyzer.analyze_template(TemplateAnalysisRequest(image=png_bytes(image))).elements
    assert elements.text_areas == [] and elements.product_areas == [] and elements.logo_areas == []
    assert elements.required_assets == []
    assert len(elements.palette) == 1 and elements.palette[0] == elements.background


def test_noise_is_not_mistaken_for_text():
    noise = np.random.default_rng(7).integers(0, 256, (675, 540, 3), dtype=np.uint8)
    request = TemplateAnalysisRequest(image=png_bytes(Image.fromarray(noise)))
    elements = analyzer.analyze_template(request).elements
    assert elements.text_areas == []


@pytest.mark.parametrize("mode", ["RGBA", "P", "L"])
def test_other_image_modes_are_read(mode):
    template = draw_template(gradient=False)
    converted = Image.open(io.BytesIO(template.png)).convert(mode)
    request = TemplateAnalysisRequest(image=png_bytes(converted))
    elements = analyzer.analyze_template(request).elements
    assert any(area.role == "headline" for area in elements.text_areas)
    assert len(elements.product_areas) == 1


@pytest.mark.parametrize(
    "data", [b"", b"not an image at all", None], ids=["empty", "garbage", "truncated-png"]
)
def test_corrupted_bytes_raise_a_clear_non_retryable_error(data):
    if data is None:
        data = draw_template(gradient=False).png[:5000]
    with pytest.raises(ProviderError) as raised:
        analyzer.analyze_template(TemplateAnalysisRequest(image=data))
    assert raised.value.retryable is False  # the same bytes will never decode
    assert "could not be decoded" in str(raised.value)


def test_analysis_of_a_feed_sized_template_is_fast():
    template = draw_template(gradient=True)
    request = TemplateAnalysisRequest(image=template.png)
    analyzer.analyze_template(request)
    timings = []
    for _ in range(5):
        started = time.perf_counter()
        analyzer.analyze_template(request)
        timings.append(time.perf_counter() - started)
    # Budget is ~0.2 s on an idle core; the bound is loose so a busy CI machine does not flake.
    assert statistics.median(timings) < 1.0
