import struct
import zlib
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from adcreator.catalog.uploads import check_image_bytes


def png(width=200, height=100, mode="RGB"):
    out = BytesIO()
    Image.new(mode, (width, height), "white").save(out, format="PNG")
    return out.getvalue()


def bomb_png(width=100_000, height=100_000):
    """A tiny PNG whose header claims 10 gigapixels."""
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b"")


def test_a_normal_png_passes():
    checked = check_image_bytes(png())
    assert (checked.format, checked.width, checked.height) == ("PNG", 200, 100)


@pytest.mark.parametrize("data,code", [
    (b"", "empty"),
    (b"GIF89a not really", "unreadable"),
    (png()[:60], "unreadable"),
    (bomb_png(), "too_many_pixels"),
    (png(40, 40), "too_small"),
])
def test_hostile_or_broken_files_are_refused_with_a_code(data, code):
    with pytest.raises(ValidationError) as excinfo:
        check_image_bytes(data)
    assert excinfo.value.code == code


def test_size_limit_is_checked_before_decoding(settings):
    settings.ADCREATOR_MAX_UPLOAD_BYTES = 1000
    with pytest.raises(ValidationError) as excinfo:
        check_image_bytes(png(400, 400) + b"\x00" * 2000)
    assert excinfo.value.code == "too_large"


def test_wrong_format_is_refused():
    out = BytesIO()
    Image.new("RGB", (100, 100)).save(out, format="BMP")
    with pytest.raises(ValidationError) as excinfo:
        check_image_bytes(out.getvalue())
    assert excinfo.value.code == "format"
