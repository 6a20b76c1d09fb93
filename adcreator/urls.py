"""The project's URL map: the admin, the API (every app's routes under /api/v1/) and every app's pages.

This is the composition root, the one module that names every app."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from adcreator.api import urls as core_api
from adcreator.calls import api_urls as calls_api
from adcreator.catalog import api_urls as catalog_api
from adcreator.jobs import api_urls as jobs_api
from experiments import api_urls as experiments_api
from generation import api_urls as generation_api
from genome import api_urls as genome_api
from templates import api_urls as templates_api

api_v1 = [*core_api.v1_urlpatterns, *catalog_api.urlpatterns, *jobs_api.urlpatterns, *generation_api.urlpatterns,
          *templates_api.urlpatterns, *genome_api.urlpatterns, *experiments_api.urlpatterns, *calls_api.urlpatterns]
api_patterns = [path("v1/", include(api_v1)), *core_api.docs_urlpatterns, core_api.catch_all]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include((api_patterns, "api"))),
    path("", include("adcreator.web.urls")),
    path("", include("adcreator.jobs.urls")),
    path("", include("adcreator.catalog.urls")),
    path("", include("generation.urls")),
    path("", include("templates.urls")),
    path("", include("genome.urls")),
    path("", include("experiments.urls")),
]

if settings.DEBUG:
    # Development only, and only for staff (the admin's previews): clients reach images
    # through the tenant-scoped views, never by a raw media path.
    from django.contrib.admin.views.decorators import staff_member_required
    from django.urls import re_path
    from django.views.static import serve

    urlpatterns += [
        re_path(rf"^{settings.MEDIA_URL.strip('/')}/(?P<path>.*)$", staff_member_required(serve),
                {"document_root": settings.MEDIA_ROOT}),
    ]

# A page that crashed names its request id (the API's 500 does too, in its error body).
handler500 = "adcreator.web.errors.server_error"
