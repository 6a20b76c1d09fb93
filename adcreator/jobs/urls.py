"""Pages of the job system: a job's page and its live progress."""

from django.urls import path

from adcreator.jobs import views

urlpatterns = [
    path("jobs/<id:job_id>/", views.job_detail, name="job-detail"),
    path("jobs/<id:job_id>/progress/", views.job_progress, name="job-progress"),
]
