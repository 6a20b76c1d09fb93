"""API routes of the genome (mounted under /api/v1/ by the project's urls)."""

from django.urls import path

from genome import api

urlpatterns = [
    path("brands/<id:pk>/meta-connection/", api.MetaConnectionView.as_view(), name="brand-meta-connection"),
    path("meta/ad-mappings/", api.AdMappingCreateView.as_view(), name="meta-ad-mappings"),
    path("meta/launches/", api.LaunchCreateView.as_view(), name="meta-launches"),
    path("genome/element-scores/", api.ElementScoreListView.as_view(), name="genome-element-scores"),
    path("alerts/", api.AlertListView.as_view(), name="alerts"),
]
