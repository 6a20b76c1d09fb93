"""API routes of the job system (mounted under /api/v1/ by the project's urls)."""

from django.urls import path

from adcreator.jobs import api

urlpatterns = [
    path("jobs/<id:pk>/", api.JobDetailView.as_view(), name="job-detail"),
    path("jobs/<id:pk>/run-now/", api.JobRunNowView.as_view(), name="job-run-now"),
    path("jobs/<id:pk>/cancel/", api.JobCancelView.as_view(), name="job-cancel"),
]
