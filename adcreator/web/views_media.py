"""Images of private objects, served only through scoped lookups (never a public media URL).

Thumbnails are made once per stored image and kept in storage under `thumbs/`, so a results
page of twenty 1080×1920 PNGs transfers a few hundred kilobytes, not tens of megabytes.
"""

from __future__ import annotations

import hashlib
from io import BytesIO

from django.contrib.auth.decorators import login_required
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET
from PIL import Image

from adcreator.catalog.stored_images import UnservableImage, open_stored_image
from adcreator.web import queries
from generation.results import ad_run_zip

# Long side of a thumbnail: sharp on a 2× screen at the ~240 px the cards use.
THUMBNAIL_MAX_SIDE = 480
# Private: the browser may cache, shared caches must not.
PRIVATE_CACHE = "private, max-age=3600"


def _thumbnail_response(name: str) -> HttpResponse:
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


@login_required
@require_GET
def ad_thumbnail(request, ad_id: int):
    ad = get_object_or_404(queries.ads_for(request.user).only("id", "image"), pk=ad_id)
    return _thumbnail_response(ad.image.name)


@login_required
@require_GET
def template_thumbnail(request, template_id: int):
    template = get_object_or_404(queries.templates_for(request.user).only("id", "image"), pk=template_id)
    return _thumbnail_response(template.image.name)


@login_required
@require_GET
def ad_download(request, ad_id: int):
    ad = get_object_or_404(queries.ads_for(request.user).select_related("ad_run"), pk=ad_id)
    try:
        image = open_stored_image(ad.image.name)  # the type and extension of what is really stored
    except UnservableImage as exc:
        raise Http404(f"this ad has no servable image ({exc})") from None
    filename = image.filename(f"ad-{ad.pk}-run{ad.ad_run_id}-{ad.canvas_size}-{ad.color_mode}.png")
    response = FileResponse(image.handle, as_attachment=True, filename=filename, content_type=image.content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def run_download(request, run_id: int):
    ad_run = get_object_or_404(queries.ad_runs_for(request.user), pk=run_id)
    response = HttpResponse(ad_run_zip(ad_run=ad_run), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="ad-run-{ad_run.pk}.zip"'
    response["Cache-Control"] = "private, no-store"
    return response
