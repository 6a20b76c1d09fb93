"""The project's URLs plus the API, as the project will mount it (tests run before the mount lands)."""

from django.urls import include, path

from adcreator.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    path("api/", include("adcreator.api.urls")),
    *[pattern for pattern in project_urlpatterns if "api/" not in str(pattern.pattern)],
]
