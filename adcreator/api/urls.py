"""The API's own routes (the token, the schema and its docs) and the 404 of every unknown path.

The project's urls.py mounts these with every app's API routes under /api/ (namespace "api").
"""

from __future__ import annotations

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from adcreator.api.auth import TokenView
from adcreator.api.views import unknown_api_path

# Under /api/v1/.
v1_urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="auth-token"),
]
# Under /api/, beside v1/.
docs_urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script as a file: the page has no inline script.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
]
# Last: anything else under /api/ (a malformed id, a newline) answers in the API's shape.
catch_all = re_path(r"^", unknown_api_path)
