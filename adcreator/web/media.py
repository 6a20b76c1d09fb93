"""Serving stored images of private objects: thumbnails made once and kept, downloads.

Views call these only after a tenant-scoped lookup found the object (never a public media URL).
Thumbnails are kept in storage under `thumbs/`, so a results page of twenty 1080×1920 PNGs
transfers a few hundred kilobytes, not tens of megabytes.
"""

from __future__ import annotations

import hashlib
from io import BytesIO

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from PIL import Image

# Long side of a thumbnail: sharp on a 2× screen at the ~240 px the cards use.
THUMBNAIL_MAX_SIDE = 480
# Private: the browser may cache, shared caches must not.
PRIVATE_CACHE = "private, max-age=3600"


def thumbnail_response(name: str) -> HttpResponse:
    if not name or not default_storage.exists(name):
        raise Http404("image missing")
    thumb_name = f"thumbs/{hashlib.sha256(name.encode()).hexdigest()[:32]}.jpg"
    if not default_storage.exists(thumb_name):
        with default_storage.open(name, "rb") as handle:
            with Image.open(handle) as image:
                image = image.convert("RGB")
                image.thumbnail((THUMBNAIL_MAX_SIDE, THUMBNAIL_MAX_SIDE))
                out = BytesIO()
                image.save(out, format="JPEG", quality=85)
        thumb_name = default_storage.save(thumb_name, ContentFile(out.getvalue()))
    response = FileResponse(default_storage.open(thumb_name, "rb"), content_type="image/jpeg")
    response["Cache-Control"] = PRIVATE_CACHE
    return response
