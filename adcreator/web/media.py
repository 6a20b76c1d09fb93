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

from adcreator.web.stored_images import UnservableImage, open_stored_image

# Long side of a thumbnail: sharp on a 2× screen at the ~240 px the cards use.
THUMBNAIL_MAX_SIDE = 480
# Private: the browser may cache, shared caches must not.
PRIVATE_CACHE = "private, max-age=3600"


def thumbnail_response(name: str) -> HttpResponse:
    try:
        source = open_stored_image(name)  # only PNG, JPEG or WebP bytes are ever decoded
    except UnservableImage as exc:
        raise Http404(str(exc)) from None
    thumb_name = f"thumbs/{hashlib.sha256(name.encode()).hexdigest()[:32]}.jpg"
    with source.handle as handle:
        if not default_storage.exists(thumb_name):
            try:
                with Image.open(handle, formats=[source.format]) as image:
                    image = image.convert("RGB")
                    image.thumbnail((THUMBNAIL_MAX_SIDE, THUMBNAIL_MAX_SIDE))
                    out = BytesIO()
                    image.save(out, format="JPEG", quality=85)
            except (OSError, ValueError, Image.DecompressionBombError) as exc:  # truncated, corrupt, a bomb
                raise Http404("the stored image cannot be read") from exc
            thumb_name = default_storage.save(thumb_name, ContentFile(out.getvalue()))
    response = FileResponse(default_storage.open(thumb_name, "rb"), content_type="image/jpeg")
    response["Cache-Control"] = PRIVATE_CACHE
    response["X-Content-Type-Options"] = "nosniff"
    return response


def download_response(name: str, *, filename: str) -> FileResponse:
    """A stored image as a download: its type and extension from its bytes, never from its name."""
    try:
        image = open_stored_image(name)
    except UnservableImage as exc:
        raise Http404(f"no servable image ({exc})") from None
    response = FileResponse(image.handle, as_attachment=True, filename=image.filename(filename),
                            content_type=image.content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
