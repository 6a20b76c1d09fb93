"""Image uploads are checked by their content, not their name: format, byte size, pixel count.

Used by every door that accepts an image (pages, API, admin) before anything is stored.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from io import BytesIO

from django.conf import settings
from django.core.exceptions import ValidationError
from PIL import Image, UnidentifiedImageError

# Formats a browser, Pillow and the image models all handle. No SVG (scriptable), no TIFF/PSD.
ALLOWED_FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}
MIN_SIDE = 64  # smaller than this cannot hold a legible ad or product photo


@dataclass(frozen=True)
class CheckedImage:
    format: str
    mime_type: str
    width: int
    height: int
    size_bytes: int


def check_image_bytes(data: bytes, *, max_bytes: int | None = None, max_pixels: int | None = None) -> CheckedImage:
    """Raise ValidationError (with a message a person can act on) unless `data` is a sane image."""
    max_bytes = max_bytes or settings.ADCREATOR_MAX_UPLOAD_BYTES
    max_pixels = max_pixels or settings.ADCREATOR_MAX_IMAGE_PIXELS
    if not data:
        raise ValidationError("The file is empty.", code="empty")
    if len(data) > max_bytes:
        raise ValidationError(f"The file is {len(data) / 1e6:.1f} MB; the limit is {max_bytes / 1e6:.0f} MB.",
                              code="too_large")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(BytesIO(data)) as probe:
                fmt, (width, height) = probe.format, probe.size
                if width * height > max_pixels:
                    raise ValidationError(
                        f"The image is {width}×{height} pixels ({width * height / 1e6:.0f} MP); the limit is "
                        f"{max_pixels / 1e6:.0f} MP.", code="too_many_pixels")
                if fmt not in ALLOWED_FORMATS:
                    raise ValidationError(f"{fmt or 'This'} images are not accepted; upload PNG, JPEG or WebP.",
                                          code="format")
                probe.verify()  # structure check without decoding the pixels
            with Image.open(BytesIO(data)) as full:
                full.load()  # a truncated file fails here, before it is stored
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ValidationError("The image declares an enormous size (a decompression bomb); refused.",
                              code="too_many_pixels") from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError("The file is not a readable image (it may be truncated or corrupt).",
                              code="unreadable") from exc
    if min(width, height) < MIN_SIDE:
        raise ValidationError(f"The image is {width}×{height}; each side must be at least {MIN_SIDE} pixels.",
                              code="too_small")
    return CheckedImage(fmt, ALLOWED_FORMATS[fmt], width, height, len(data))


def check_uploaded_file(uploaded) -> CheckedImage:
    """Read an UploadedFile (refusing oversize before reading it all) and check its content."""
    max_bytes = settings.ADCREATOR_MAX_UPLOAD_BYTES
    if getattr(uploaded, "size", 0) and uploaded.size > max_bytes:
        raise ValidationError(f"The file is {uploaded.size / 1e6:.1f} MB; the limit is {max_bytes / 1e6:.0f} MB.",
                              code="too_large")
    uploaded.seek(0)
    data = uploaded.read(max_bytes + 1)
    uploaded.seek(0)
    return check_image_bytes(data)


def validate_image_upload(value) -> None:
    """Model-field validator: every form that stores an image (admin, pages) checks its content."""
    if value is None or not hasattr(value, "read"):
        return
    # Files already in storage were checked when they arrived; only new uploads are read.
    if getattr(value, "_committed", True) and not hasattr(value, "content_type"):
        return
    check_uploaded_file(value)
