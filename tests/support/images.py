"""Image bytes for upload tests: a plain PNG, and a decompression bomb (a header claiming 10 gigapixels)."""

import struct
import zlib
from io import BytesIO

from PIL import Image


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
