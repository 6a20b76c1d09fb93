"""API routes of generation (mounted under /api/v1/ by the project's urls)."""

from django.urls import path

from generation import api

urlpatterns = [
    path("jobs/", api.JobListCreateView.as_view(), name="jobs"),
    path("estimate/", api.EstimateView.as_view(), name="estimate"),
    path("ads/", api.AdListView.as_view(), name="ads"),
    path("ads/<id:pk>/", api.AdDetailView.as_view(), name="ad-detail"),
    path("ads/<id:pk>/image/", api.AdImageView.as_view(), name="ad-image"),
    path("ads/<id:pk>/overrides/", api.AdOverridesView.as_view(), name="ad-overrides"),
    path("ads/<id:pk>/performance/", api.AdPerformanceView.as_view(), name="ad-performance"),
]
