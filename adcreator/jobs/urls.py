"""Pages of the job system: a job's page, its live progress, cancel."""

from django.urls import path

from adcreator.jobs import views

urlpatterns = [
    path("jobs/<id:job_id>/", views.job_detail, name="job-detail"),
    path("jobs/<id:job_id>/progress/", views.job_progress, name="job-progress"),
    path("jobs/<id:job_id>/cancel/", views.job_cancel_view, name="job-cancel"),
]
