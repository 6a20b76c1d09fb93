"""Whole-image measures and the picture search of the local judge, on hand-made images."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image, ImageDraw

from adcreator.providers.local.judge_artefacts import blockiness, letterbox_bars
from adcreator.providers.local.judge_product import find_product, source_signature
from adcreator.providers.local.pixels import downscale, grey_levels
from adcreator.providers.local.product_locate import locate
from adcreator.providers.local.tests.test_render import bottle_png


def _grey(image: Image.Image) -> np.ndarray:
    return grey_levels(np.asarray(image.convert("RGB"), dtype=np.float32))


def test_blockiness_is_one_without_a_grid_and_high_with_one():
    rng = np.random.default_rng(3)
    smooth = rng.normal(128, 20, (256, 256))  # steps everywhere alike
    assert abs(blockiness(smooth) - 1.0) < 0.05
    # Flat 8x8 blocks a few levels apart (as a JPEG squares off smooth ground): every step
    # falls on the grid, none inside a block but the noise.
    blocks = np.kron(rng.integers(110, 140, (32, 32)), np.ones((8, 8))) + rng.normal(0, 1, (256, 256))
    assert blockiness(blocks) > 5


def test_blockiness_grows_with_jpeg_compression():
    from adcreator.providers.local.tests.test_judge import rendered

    image = rendered("4:5", "original").image

    def jpeg(quality: int) -> float:
        buffer = io.BytesIO()
        image.save(buffer, format="JPEG", quality=quality)
        return blockiness(_grey(Image.open(buffer)))

    assert blockiness(_grey(image)) < 1.25 and jpeg(90) < 1.25
    assert jpeg(4) > 1.8 > 1.25 > jpeg(90)
    # Flat artwork whose edges fall on the 8-pixel grid is no JPEG: strong steps are left out.
    assert blockiness(_grey(Image.open(io.BytesIO(bottle_png((640, 960)))))) is None


def test_letterbox_bars_are_two_equal_empty_bands():
    content = Image.new("RGB", (1080, 1080), "#d9482b")
    draw = ImageDraw.Draw(content)
    for x in range(0, 1080, 60):  # content reaching every edge of its square
        draw.line((x, 0, 1080 - x, 1080), fill="#23313f", width=6)
    tall = Image.new("RGB", (1080, 1920), "#f6efe4")
    tall.paste(content, (0, 420))
    vertical, horizontal = letterbox_bars(downscale(tall, 256))
    assert abs(vertical - 840 / 1920) < 0.02 and horizontal == 0.0  # 420 px bars top and bottom
    assert letterbox_bars(downscale(content, 256)) == (0.0, 0.0)
    one_margin = Image.new("RGB", (1080, 1920), "#f6efe4")
    one_margin.paste(content, (0, 840))  # a single empty band is design, not a resize
    assert letterbox_bars(downscale(one_margin, 256)) == (0.0, 0.0)


def test_a_small_product_on_a_ground_of_its_own_colours_is_found_by_its_picture():
    # A green bottle 17% of the canvas tall on a green ground: its colours are everywhere.
    ad = Image.new("RGB", (1080, 1350), (52, 112, 88))
    ImageDraw.Draw(ad).rectangle((0, 900, 1080, 1350), fill=(46, 120, 92))
    bottle = Image.open(io.BytesIO(bottle_png())).resize((150, 228))
    ad.paste(bottle, (700, 420))
    signature = source_signature(bottle_png())
    pixels = downscale(ad, round(320 * 1350 / 1080))
    placement = locate(pixels, signature.pixels, signature.mask)[0]
    x0, y0, x1, y1 = placement.box
    # The bottle's subject spans about x 730-820 (0.68-0.76), y 430-640 of the pasted 150x228
    # photo; the search's coarse ladder of stretches (0.7, 1, 1.4) places it to ~2% of the canvas
    # (its cut-out's rim, un-mixed from the studio white, meets the photo's white rim here).
    assert 0.62 < x0 < 0.70 and 0.735 < x1 < 0.80 and 0.30 < y0 < 0.34 and 0.45 < y1 < 0.50, placement
    match = find_product(pixels, signature)
    assert match.found and match.box is not None and abs(match.box[0] - x0) < 0.05, match


# --- colour compliance by hue and by colour present, the V7 floor ----------------------------

def _lab(hexes: list[str]) -> np.ndarray:
    from adcreator.providers.local.judge_measures import parse_hex, rgb_to_lab

    return rgb_to_lab(np.array([parse_hex(h) for h in hexes], float))


def test_hue_error_is_small_for_palette_hues_and_large_for_rotated_ones():
    from adcreator.providers.local.judge_measures import hue_error

    palette = _lab(["#3c285a", "#784680", "#f0eeef"])  # dark and mid purple, near-white
    shares = np.array([0.7, 0.3])
    # A dark purple ground and a lighter purple a little off the palette's own: same hues.
    own = _lab(["#45306a", "#8a52a0"])
    error, weight = hue_error(own, shares, np.array([12.0, 14.0]), palette)
    assert error < 15 and weight > 5
    # The same artwork rotated to dark green: as far in ΔE as a faithful render may stray
    # (15-20), but ~150° away in hue.
    rotated = _lab(["#28503a", "#468a5a"])
    error, _ = hue_error(rotated, shares, np.array([16.0, 18.0]), palette)
    assert error > 100
    # A colour that is a palette colour's tint or shade counts as that colour, whatever its hue.
    error, _ = hue_error(rotated, shares, np.array([6.0, 8.0]), palette)
    assert error == 0.0
    # Greys carry no hue: nothing to judge.
    assert hue_error(_lab(["#808080", "#f0f0f0"]), shares, np.array([20.0, 20.0]), palette) == (None, 0.0)


def _colour_prompt(palette: list[str], mode: str = "brand"):
    from adcreator.prompts.models import StyleConfig
    from adcreator.providers.local.tests.test_judge import build_prompt

    prompt = build_prompt("1:1", "original")
    prompt.style = StyleConfig(color_mode=mode, palette=palette)
    return prompt


def _v4(image: Image.Image, palette: list[str]) -> tuple[float, str]:
    from adcreator.providers.local.judge import LocalVisionJudge
    from adcreator.providers.local.tests.test_judge import request_for

    check = next(c for c in LocalVisionJudge().rubric_review(request_for(image, _colour_prompt(palette), products=False)).checks
                 if c.check == "V4")
    return check.score, check.reason


def _flat_ad(ground: str, block: str, accent: str) -> Image.Image:
    image = Image.new("RGB", (540, 540), ground)
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 300, 500, 500), fill=block)
    draw.rounded_rectangle((160, 200, 380, 260), radius=20, fill=accent)
    return image


def test_an_ad_in_rotated_hues_fails_colour_compliance_and_says_so():
    palette = ["#3c285a", "#784680", "#f0eeef", "#c8643b"]
    faithful, _ = _v4(_flat_ad("#3c285a", "#784680", "#c8643b"), palette)
    rotated, reason = _v4(_flat_ad("#285a3c", "#468078", "#3bc864"), palette)
    assert faithful >= 7
    assert rotated < 3, reason  # under V4's auto-reject floor
    assert "hues" in reason


def test_an_ad_without_any_of_the_palettes_colour_fails_colour_compliance():
    palette = ["#1f4d3a", "#f4ede1", "#c8643b", "#a9bfa8"]  # green, cream, terracotta, sage
    greys, reason = _v4(_flat_ad("#eef2f4", "#b8c2c6", "#7d8a8f"), palette)
    assert greys < 3, reason
    assert "none of the palette's colour" in reason
    faithful, _ = _v4(_flat_ad("#f4ede1", "#a9bfa8", "#c8643b"), palette)
    assert faithful >= 7


def test_the_original_mode_counts_the_templates_background_as_requested():
    from adcreator.providers.local.judge_measures import requested_palette

    assert requested_palette(["#f4be8e"], "original", "#ffbe78") == ["#ffbe78", "#f4be8e"]
    assert requested_palette(["#f4be8e"], "brand", "#ffbe78") == ["#f4be8e"]  # the brand's colours only
    assert requested_palette(["#ffbe78"], "original", "#FFBE78") == ["#ffbe78"]  # not twice
    assert requested_palette(["#f4be8e"], "original", "not a colour") == ["#f4be8e"]


def test_heavy_jpeg_and_letterboxing_take_production_quality_under_its_floor():
    from adcreator.providers.local.tests.test_judge import rendered, request_for, scores
    from review.models import DEFAULT_AUTO_REJECT

    outcome = rendered("4:5", "original")
    floor = DEFAULT_AUTO_REJECT["V7"]
    assert scores(request_for(outcome.image, _render_prompt()))["V7"] >= 8
    buffer = io.BytesIO()
    outcome.image.save(buffer, format="JPEG", quality=6)
    blocky = Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")
    assert scores(request_for(blocky, _render_prompt()))["V7"] < floor
    boxed = Image.new("RGB", outcome.image.size, "#f6efe4")
    square = outcome.image.resize((outcome.image.width, outcome.image.width))
    small = square.resize((round(square.width * 0.7), round(square.height * 0.7)))
    boxed.paste(small, ((boxed.width - small.width) // 2, (boxed.height - small.height) // 2))
    assert scores(request_for(boxed, _render_prompt()))["V7"] < floor


def _render_prompt():
    from adcreator.providers.local.tests.test_judge import build_prompt

    return build_prompt("4:5", "original")


def test_letterbox_bars_in_the_ads_own_edge_colour_are_found_by_the_proportions_between_them():
    square = Image.new("RGB", (1080, 1080), "#f6efe4")  # a 1:1 ad: its top margin is its ground
    draw = ImageDraw.Draw(square)
    draw.rectangle((0, 700, 1080, 1080), fill="#23313f")  # a dark footer to its bottom edge
    draw.rectangle((120, 250, 960, 420), fill="#d9482b")
    tall = Image.new("RGB", (1080, 1920), "#f6efe4")  # bars filled with the ad's top colour
    tall.paste(square, (0, 420))
    vertical, horizontal = letterbox_bars(downscale(tall, 256))
    # The top bar merges with the ad's own top margin; the bottom one is the bar alone.
    assert abs(vertical - 840 / 1920) < 0.03 and horizontal == 0.0
    # The same empty top and bottom, but what lies between is no ad canvas's shape: design.
    designed = Image.new("RGB", (1080, 1920), "#f6efe4")
    designed.paste(square.resize((1080, 1300)), (0, 300))
    assert letterbox_bars(downscale(designed, 256)) == (0.0, 0.0)
