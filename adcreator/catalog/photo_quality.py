"""A product photo's quality, measured from its pixels when it is uploaded (no Django here).

Two things decide whether a photo can carry an ad: is it sharp, and does it have the pixels an
image model needs. Sharpness is the Crete no-reference blur metric the offline judge uses
(`adcreator.providers.local.judge_artefacts.blur_metric`), taken at one work size so a large
photo is not called sharper merely for being large; resolution is the short side against the
1024 px the image models take as a reference. The score is their product, in [0, 1].
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image

from adcreator.providers.local.judge_artefacts import blur_metric
from adcreator.providers.local.pixels import grey_levels

# The short side blur is measured at (photos are only ever scaled down to it, never up).
WORK_SIDE = 512
# Image models take references at about this size; a shorter side loses detail in the ad.
REFERENCE_SIDE = 1024
# Crete blur metric knots: a clean photo measures ~0.1-0.3 (sharp), a 2 px Gaussian blur ~0.75,
# a 4 px one ~0.9. Sharpness is 1 up to SHARP_BLUR (where the offline judge starts to penalise
# blur, judge_scoring.BLUR_PENALTY_KNOTS) and falls linearly to 0 at BLURRED_BLUR.
SHARP_BLUR = 0.35
BLURRED_BLUR = 0.9


@dataclass(frozen=True)
class PhotoQuality:
    sharpness: float  # 1 sharp … 0 blurred (0 also when the photo has no edges at all)
    resolution: float  # 1 at REFERENCE_SIDE or more; the square root of the short side's share below
    blur: float | None  # the raw Crete metric, None without edges
    score: float  # sharpness × resolution, what image selection ranks by

    def describe(self) -> str:
        blur = "no edges" if self.blur is None else f"blur metric {self.blur:.2f}"
        return f"sharpness {self.sharpness:.2f} ({blur}), resolution {self.resolution:.2f}"


def _work_copy(image: Image.Image) -> Image.Image:
    rgb = image.convert("RGB")
    short = min(rgb.size)
    if short <= WORK_SIDE:
        return rgb
    scale = WORK_SIDE / short
    return rgb.resize((max(1, round(rgb.width * scale)), max(1, round(rgb.height * scale))), Image.LANCZOS)


def sharpness_from_blur(blur: float | None) -> float:
    if blur is None:
        return 0.0  # a flat image has nothing sharp to show
    share = (blur - SHARP_BLUR) / (BLURRED_BLUR - SHARP_BLUR)
    return round(float(min(1.0, max(0.0, 1.0 - share))), 3)


def measure_photo_quality(image: Image.Image) -> PhotoQuality:
    grey = grey_levels(np.asarray(_work_copy(image), dtype=np.float32))
    blur = blur_metric(grey)
    sharpness = sharpness_from_blur(blur)
    resolution = round(min(1.0, min(image.size) / REFERENCE_SIDE) ** 0.5, 3)
    return PhotoQuality(sharpness=sharpness, resolution=resolution, blur=blur, score=round(sharpness * resolution, 3))
