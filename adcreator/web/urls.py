from django.contrib.auth import views as auth_views
from django.urls import path

from adcreator.web import views, views_create, views_jobs, views_media, views_results
from adcreator.web.auth import ThrottledLoginView

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/login/", ThrottledLoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("create/", views_create.create, name="create"),
    path("create/estimate/", views_create.create_estimate, name="create-estimate"),
    path("create/templates/", views_create.create_templates, name="create-templates"),
    path("create/draw/", views_create.create_draw, name="create-draw"),
    path("jobs/<int:job_id>/", views_jobs.job_detail, name="job-detail"),
    path("jobs/<int:job_id>/progress/", views_jobs.job_progress, name="job-progress"),
    path("results/", views_results.results, name="results"),
    path("results/bulk/", views_results.ads_bulk, name="ads-bulk"),
    path("ads/<int:ad_id>/override/", views_results.ad_override, name="ad-override"),
    path("ads/<int:ad_id>/image/", views_media.ad_thumbnail, name="ad-image"),
    path("ads/<int:ad_id>/download/", views_media.ad_download, name="ad-download"),
    path("runs/<int:run_id>/retry-rejected/", views_results.run_retry_rejected, name="run-retry-rejected"),
    path("runs/<int:run_id>/download/", views_media.run_download, name="run-download"),
    path("templates/<int:template_id>/image/", views_media.template_thumbnail, name="template-image"),
]
