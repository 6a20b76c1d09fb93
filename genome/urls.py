"""Pages of the genome: Meta connections, mapping upload, launches into the simulated market."""

from django.urls import path

from genome import views, views_insights

urlpatterns = [
    path("meta/", views.connections, name="meta-connections"),
    path("brands/<id:brand_id>/meta/", views.connection, name="brand-meta"),
    path("brands/<id:brand_id>/meta/disconnect/", views.disconnect, name="brand-meta-disconnect"),
    path("brands/<id:brand_id>/meta/sync/", views.sync_now, name="brand-meta-sync"),
    path("brands/<id:brand_id>/meta/mappings/", views.upload_mappings, name="brand-meta-mappings"),
    path("ads/<id:ad_id>/launch/", views.ad_launch, name="ad-launch"),
    path("brands/<id:brand_id>/insights/", views_insights.insights, name="brand-insights"),
    path("monitoring/", views_insights.monitoring, name="monitoring"),
]
