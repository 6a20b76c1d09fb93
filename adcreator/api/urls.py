"""URL map of the API, mounted by the project at path("api/", include("adcreator.api.urls"))."""

from __future__ import annotations

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from adcreator.api.auth import TokenView
from adcreator.api.views import unknown_api_path
from generation import api as generation_api
from templates import api as templates_api

v1 = [
    path("auth/token/", TokenView.as_view(), name="auth-token"),
    path("jobs/", generation_api.JobListCreateView.as_view(), name="jobs"),
    path("jobs/<int:pk>/", generation_api.JobDetailView.as_view(), name="job-detail"),
    path("jobs/<int:pk>/run-now/", generation_api.JobRunNowView.as_view(), name="job-run-now"),
    path("estimate/", generation_api.EstimateView.as_view(), name="estimate"),
    path("ads/", generation_api.AdListView.as_view(), name="ads"),
    path("ads/<int:pk>/", generation_api.AdDetailView.as_view(), name="ad-detail"),
    path("ads/<int:pk>/image/", generation_api.AdImageView.as_view(), name="ad-image"),
    path("ads/<int:pk>/overrides/", generation_api.AdOverridesView.as_view(), name="ad-overrides"),
    path("templates/", templates_api.TemplateListView.as_view(), name="templates"),
    path("templates/<int:pk>/image/", templates_api.TemplateImageView.as_view(), name="template-image"),
    path("templates/selection-preview/", templates_api.SelectionPreviewView.as_view(), name="selection-preview"),
]

app_name = "api"
urlpatterns = [
    path("v1/", include(v1)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script as a file: the page has no inline script.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    re_path(r"^", unknown_api_path),  # last: anything else under /api/, newlines included
]
