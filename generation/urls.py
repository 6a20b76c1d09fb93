"""Pages of generation: home, the create page, the results dashboard, ad and run images."""

from django.urls import path

from generation.views import create, home, jobs, media, results, results_ad

urlpatterns = [
    path("", home.home, name="home"),
    path("create/", create.create, name="create"),
    path("create/estimate/", create.create_estimate, name="create-estimate"),
    path("create/templates/", create.create_templates, name="create-templates"),
    path("create/draw/", create.create_draw, name="create-draw"),
    path("jobs/", jobs.jobs_list, name="jobs"),
    path("results/", results.results, name="results"),
    path("results/bulk/", results.ads_bulk, name="ads-bulk"),
    path("ads/<id:ad_id>/override/", results.ad_override, name="ad-override"),
    path("ads/<id:ad_id>/", results_ad.ad_page, name="ad-page"),
    path("ads/<id:ad_id>/image/", media.ad_thumbnail, name="ad-image"),
    path("ads/<id:ad_id>/original/", media.ad_original, name="ad-original"),
    path("ads/<id:ad_id>/download/", media.ad_download, name="ad-download"),
    path("runs/<id:run_id>/retry-rejected/", results.run_retry_rejected, name="run-retry-rejected"),
    path("runs/<id:run_id>/download/", media.run_download, name="run-download"),
    path("runs/<id:run_id>/meta-export/", media.run_meta_export, name="run-meta-export"),
]
