"""API routes of the call ledger (mounted under /api/v1/ by the project's urls)."""

from django.urls import path

from adcreator.calls import api

urlpatterns = [
    path("costs/", api.CostsView.as_view(), name="costs"),
]
