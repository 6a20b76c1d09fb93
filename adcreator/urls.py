from django.conf import settings
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("adcreator.api.urls")),
    path("", include("adcreator.web.urls")),
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
