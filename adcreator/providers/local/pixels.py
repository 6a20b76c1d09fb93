"""Decoding image bytes for the local providers (template detection and the judge): one
place that decides how transparency and scaling are handled, and how colour becomes grey."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image
from pydantic import BaseModel

from adcreator.providers.errors import ProviderMisconfiguredError

# Rec. 601 luma weights: grey levels for structure, edges and blur, where perceived brightness
# matters more than colorimetric accuracy (contrast uses relative luminance instead).
LUMA_WEIGHTS = np.array([0.299, 0.587, 0.114], dtype=np.float32)


def grey_levels(pixels: np.ndarray) -> np.ndarray:
    """Float RGB (..., 3) to grey levels (...), 0-255."""
    return pixels @ LUMA_WEIGHTS


class DecodedImage(BaseModel):
    model_config = {"arbitrary_types_allowed": True}

    image: Image.Image  # RGB, full size
    width: int
    height: int


def decode_rgb(data: bytes, what: str) -> DecodedImage:
    """Decode PNG/JPEG bytes to RGB; transparency shows the white page behind an ad."""
    try:
        with Image.open(io.BytesIO(data)) as opened:
            opened.load()
            if opened.mode in ("RGBA", "LA", "PA") or "transparency" in opened.info:
                white = Image.new("RGBA", opened.size, (255, 255, 255, 255))
                image = Image.alpha_composite(white, opened.convert("RGBA")).convert("RGB")
            else:
                image = opened.convert("RGB")
    except Exception as error:  # Pillow raises many types for bad bytes
        raise ProviderMisconfiguredError(f"{what} could not be decoded ({type(error).__name__})", provider="local") from error
    return DecodedImage(image=image, width=image.width, height=image.height)


def downscale(image: Image.Image, max_side: int) -> np.ndarray:
    """Float RGB array at most `max_side` on its long side; box filter keeps thin strokes as a fade."""
    scale = max_side / max(image.size)
    if scale < 1:
        size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
        image = image.resize(size, Image.Resampling.BOX, reducing_gap=2.0)
    return np.asarray(image.convert("RGB"), dtype=np.float32)
