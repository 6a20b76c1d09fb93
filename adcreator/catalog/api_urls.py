"""API routes of the catalog (mounted under /api/v1/ by the project's urls)."""

from django.urls import path

from adcreator.catalog import api

urlpatterns = [
    path("brands/", api.BrandListView.as_view(), name="brands"),
    path("products/", api.ProductListView.as_view(), name="products"),
]
