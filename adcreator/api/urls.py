"""The API's own routes (the token, the schema and its docs) and the 404 of every unknown path.

The project's urls.py mounts these with every app's API routes under /api/ (namespace "api").
"""

from __future__ import annotations

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from adcreator.api.auth import TokenCreateView
from adcreator.api.views import unknown_api_path

# Under /api/v1/.
v1_urlpatterns = [
    path("auth/token/", TokenCreateView.as_view(), name="auth-token"),
]
# Under /api/, beside v1/.
docs_urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
]
# Last: anything else under /api/ (a malformed id, a newline) answers in the API's shape.
catch_all = re_path(r"^", unknown_api_path)
