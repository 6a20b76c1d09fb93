"""/favicon.ico: browsers and the admin ask for it whatever the page links; answer with the
site's icon (a static file, served the same in development and behind any proxy)."""

from __future__ import annotations

from django.contrib.staticfiles import finders
from django.http import FileResponse, Http404
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

FAVICON = "web/favicon.ico"


@require_GET
@cache_control(max_age=86400, public=True)
def favicon(request):
    path = finders.find(FAVICON)
    if not path:
        raise Http404("no favicon")
    return FileResponse(open(path, "rb"), content_type="image/x-icon")
