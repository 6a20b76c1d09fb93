"""Images of generated ads and runs, served only through scoped lookups (adcreator.web.media)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from adcreator.web.media import download_response, thumbnail_response
from adcreator.web.stored_images import UnservableImage, open_stored_image
from generation.selectors import ad_runs_visible_to, ads_visible_to
from generation.services import ad_run_meta_export, ad_run_zip


@login_required
@require_GET
def ad_thumbnail(request, ad_id: int):
    ad = get_object_or_404(ads_visible_to(request.user).only("id", "image"), pk=ad_id)
    return thumbnail_response(ad.image.name)


@login_required
@require_GET
def ad_original(request, ad_id: int):
    """The ad's original image, shown in the page (the full-size view), not downloaded."""
    ad = get_object_or_404(ads_visible_to(request.user).only("id", "image"), pk=ad_id)
    try:
        image = open_stored_image(ad.image.name)
    except UnservableImage as exc:
        raise Http404(f"no servable image ({exc})") from None
    response = FileResponse(image.handle, content_type=image.content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def ad_download(request, ad_id: int):
    ad = get_object_or_404(ads_visible_to(request.user).select_related("ad_run"), pk=ad_id)
    # The short id names the file: an ad run on Meta under this name is matched back to this ad.
    return download_response(ad.image.name,
                             filename=f"ad-{ad.short_id}-run{ad.ad_run_id}-{ad.canvas_size}-{ad.color_mode}.png")


@login_required
@require_GET
def run_download(request, run_id: int):
    ad_run = get_object_or_404(ad_runs_visible_to(request.user), pk=run_id)
    approved_only = request.GET.get("approved") == "1"
    response = HttpResponse(ad_run_zip(ad_run=ad_run, approved_only=approved_only), content_type="application/zip")
    name = f"ad-run-{ad_run.pk}-approved" if approved_only else f"ad-run-{ad_run.pk}"
    response["Content-Disposition"] = f'attachment; filename="{name}.zip"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def run_meta_export(request, run_id: int):
    ad_run = get_object_or_404(ad_runs_visible_to(request.user), pk=run_id)
    response = HttpResponse(ad_run_meta_export(ad_run=ad_run), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="meta-ready-run-{ad_run.pk}.zip"'
    response["Cache-Control"] = "private, no-store"
    return response
