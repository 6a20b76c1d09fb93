"""Images are judged by their content, never by their name: format, byte size, pixel count.

Used by every door that accepts an image (pages, API, admin) before anything is stored, by
the naming of stored files (the extension follows the detected format) and by every view that
serves a stored image (the content type follows the bytes; anything else is refused).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from io import BytesIO
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from PIL import Image, UnidentifiedImageError

# Formats a browser, Pillow and the image models all handle. No SVG (scriptable), no TIFF/PSD.
ALLOWED_FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}
MIN_SIDE = 64  # smaller than this cannot hold a legible ad or product photo
FORMAT_EXTENSIONS = {"PNG": ".png", "JPEG": ".jpg", "WEBP": ".webp"}
# Enough bytes to recognise every allowed format by its signature.
SIGNATURE_BYTES = 12


def sniff_image_format(head: bytes) -> str | None:
    """The allowed format whose signature `head` starts with (Pillow's names), else None."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    return None


def name_for_format(name: str, fmt: str) -> str:
    """`name` with the extension of `fmt` ("evil.pdf" holding a PNG → "evil.png")."""
    path = PurePosixPath(name)
    extension = FORMAT_EXTENSIONS[fmt]
    return name if path.suffix.lower() == extension else str(path.with_suffix(extension))


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
        raise ValidationError(f"The file is {len(data) / 1e6:.1f} MB; the limit is {max_bytes / 1e6:.3g} MB.",
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
        raise ValidationError(f"The file is {uploaded.size / 1e6:.1f} MB; the limit is {max_bytes / 1e6:.3g} MB.",
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
