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
