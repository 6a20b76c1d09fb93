"""Fitting the source product onto an ad recovers a horizontal stretch, reflections or not."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw
from scipy import ndimage

from adcreator.providers.local.judge_fit import fit_product

BACKDROP = (236, 230, 214)


def product(width: int = 60, height: int = 120) -> Image.Image:
    """A bottle with a cap, a label and a stripe: enough structure to line up."""
    image = Image.new("RGB", (width, height), BACKDROP)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, height * 0.25, width - 1, height - 1), fill=(150, 80, 30))
    draw.rectangle((width * 0.3, 0, width * 0.7, height * 0.25), fill=(25, 25, 25))
    draw.rectangle((width * 0.1, height * 0.5, width * 0.9, height * 0.8), fill=(245, 240, 228))
    draw.rectangle((width * 0.2, height * 0.6, width * 0.8, height * 0.66), fill=(30, 80, 50))
    return image


def subject_of(image: Image.Image) -> np.ndarray:
    pixels = np.asarray(image, dtype=np.float32)
    return ndimage.binary_fill_holes(np.linalg.norm(pixels - np.array(BACKDROP, dtype=np.float32), axis=2) > 30)


def ad_with(stretch: float, *, reflection: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """The product at `stretch` times its width on a canvas; the blob a colour search would
    find: the product's box, plus its faint reflection below when there is one."""
    canvas = Image.new("RGB", (200, 260), BACKDROP)
    shown = product().resize((round(60 * stretch * 0.8), 96), Image.Resampling.BILINEAR)
    left, top = (200 - shown.width) // 2, 40
    canvas.paste(shown, (left, top))
    blob = np.zeros((260, 200), bool)
    blob[top:top + 96, left:left + shown.width] = True
    if reflection:
        mirrored = Image.blend(Image.new("RGB", shown.size, BACKDROP), shown.transpose(Image.Transpose.FLIP_TOP_BOTTOM), 0.35)
        canvas.paste(mirrored.crop((0, 0, shown.width, 30)), (left, top + 96))
        blob[top + 96:top + 126, left:left + shown.width] = True
    return np.asarray(canvas, dtype=np.float32), blob


@pytest.mark.parametrize("stretch", [0.7, 1.0, 1.3])
@pytest.mark.parametrize("reflection", [False, True])
def test_fit_recovers_the_stretch(stretch, reflection):
    source = product()
    pixels, blob = ad_with(stretch, reflection=reflection)
    fit = fit_product(pixels, blob, np.asarray(source, dtype=np.float32), subject_of(source))
    assert fit is not None and fit.correlation > 0.9, fit
    assert fit.stretch == pytest.approx(stretch, rel=0.05), fit
    # With a reflection the product fills only the top of the blob, and the fit says so.
    assert fit.height_share == (pytest.approx(0.8, abs=0.06) if reflection else 1.0)


def test_no_placement_inside_the_image_is_no_fit():
    source = product()
    blob = np.zeros((20, 20), bool)
    blob[2:18, 8:12] = True  # a tall thin blob: any placement of a 0.5:1 product spills out
    pixels = np.full((20, 20, 3), 200, np.float32)
    assert fit_product(pixels, blob, np.asarray(source, dtype=np.float32), subject_of(source)) is None
