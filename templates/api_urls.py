"""API routes of the template app (mounted under /api/v1/ by the project's urls)."""

from django.urls import path

from templates import api

urlpatterns = [
    path("templates/", api.TemplateListView.as_view(), name="templates"),
    path("templates/<id:pk>/image/", api.TemplateImageView.as_view(), name="template-image"),
    path("templates/selection-preview/", api.SelectionPreviewView.as_view(), name="selection-preview"),
]
