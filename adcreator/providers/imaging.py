"""Bringing a model's image to the exact ad canvas, and images to a size a vision API accepts.

Image models answer at their own native size for a ratio (Gemini: 4:5 → 896x1152), and some
ignore the requested ratio altogether. `fit_to_canvas` decodes the answer defensively,
checks the ratio it got against the one asked for, and returns a PNG at exactly the canvas.
"""

from __future__ import annotations

import io
import warnings

from PIL import Image, ImageOps, UnidentifiedImageError

from adcreator.providers.errors import MalformedResponseError, ProviderMisconfiguredError

# How far the returned width/height ratio may stray from the canvas ratio and still count as
# "the ratio asked for". Gemini's native sizes only approximate their ratio: 4:5 → 896x1152
# is 2.8 % off 0.8 and 3:4 → 864x1184 is 2.7 % off 0.75, so a strict 2 % would flag every
# honest 4:5 answer. Stretching by up to 3.5 % to the exact canvas is invisible, keeps text at
# the edges intact, and a model that ignored the ratio (1:1 for 4:5 is 20 % off) still stands out.
RATIO_TOLERANCE = 0.035


def fit_to_canvas(
    data: bytes, width: int, height: int, *, provider: str = "imaging"
) -> tuple[bytes, int, int, list[str]]:
    """Return `(png_bytes, native_width, native_height, notes)` with the PNG exactly `width`x`height`.

    Raises MalformedResponseError when the bytes are not a decodable image or are larger
    than Pillow's decompression-bomb limit (`Image.MAX_IMAGE_PIXELS`).
    """
    if width <= 0 or height <= 0:
        raise ValueError(f"canvas must be positive, got {width}x{height}")
    picture = _decode(data, provider)
    native_width, native_height = picture.size
    notes: list[str] = []

    got_ratio = native_width / native_height
    wanted_ratio = width / height
    if abs(got_ratio - wanted_ratio) / wanted_ratio <= RATIO_TOLERANCE:
        fitted = picture.resize((width, height), Image.Resampling.LANCZOS)
    else:
        notes.append(f"ratio mismatch: got {native_width}x{native_height} for canvas {width}x{height}")
        # Cover-crop around the centre: the canvas is filled edge to edge and nothing is
        # distorted; what is lost is the overhang of the wrong ratio.
        fitted = ImageOps.fit(picture, (width, height), method=Image.Resampling.LANCZOS, centering=(0.5, 0.5))

    buffer = io.BytesIO()
    fitted.save(buffer, format="PNG", optimize=False)
    return buffer.getvalue(), native_width, native_height, notes


def _decode(data: bytes, provider: str) -> Image.Image:
    if not data:
        raise MalformedResponseError("image data is empty", provider=provider)
    try:
        with warnings.catch_warnings():
            # Above MAX_IMAGE_PIXELS Pillow only warns (it raises at twice the limit); an
            # answer that large is not an ad image, so both count as malformed.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            picture = Image.open(io.BytesIO(data))
            picture.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise MalformedResponseError(f"image too large to decode safely: {error}", provider=provider) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise MalformedResponseError(f"image data could not be decoded: {error}", provider=provider) from error
    return _to_rgb(picture)


def _to_rgb(picture: Image.Image) -> Image.Image:
    picture = ImageOps.exif_transpose(picture)
    if picture.mode in ("RGBA", "LA", "PA") or (picture.mode == "P" and "transparency" in picture.info):
        # Transparent pixels would turn black in a plain convert; an ad has a white page.
        rgba = picture.convert("RGBA")
        page = Image.new("RGB", rgba.size, (255, 255, 255))
        page.paste(rgba, mask=rgba.getchannel("A"))
        return page
    return picture.convert("RGB")


# The image formats both vision APIs accept (Anthropic takes exactly these four; Gemini more).
_UPLOAD_MIME_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp", "GIF": "image/gif"}
# Quality for the JPEG fallback: high enough that small ad text stays crisp for a judge.
_UPLOAD_JPEG_QUALITY = 90


def image_for_upload(data: bytes, *, max_long_edge: int, max_bytes: int, provider: str) -> tuple[bytes, str]:
    """`(bytes, mime_type)` ready to attach to a vision request.

    Bytes already in an accepted format and within both limits go out unchanged; others are
    decoded, shrunk to `max_long_edge` and re-encoded as PNG, or as JPEG when the PNG is still
    over `max_bytes`. An image we cannot decode is our own bad input, not the provider's
    answer: it raises ProviderMisconfiguredError (retrying the same bytes cannot help).
    """
    try:
        with Image.open(io.BytesIO(data)) as header:  # reads the header only
            image_format, size = header.format, header.size
    except (UnidentifiedImageError, OSError, ValueError) as error:
        raise ProviderMisconfiguredError(f"image to upload could not be read: {error}", provider=provider) from error
    mime_type = _UPLOAD_MIME_TYPES.get(image_format or "")
    if mime_type and max(size) <= max_long_edge and len(data) <= max_bytes:
        return data, mime_type
    try:
        picture = _decode(data, provider)
    except MalformedResponseError as error:
        raise ProviderMisconfiguredError(error.message, provider=provider) from error
    picture.thumbnail((max_long_edge, max_long_edge), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    if buffer.tell() <= max_bytes:
        return buffer.getvalue(), "image/png"
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG", quality=_UPLOAD_JPEG_QUALITY)
    return buffer.getvalue(), "image/jpeg"
