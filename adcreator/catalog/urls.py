"""The catalog pages (mounted at the site root by the project's urls)."""

from django.urls import path

from adcreator.catalog import views

urlpatterns = [
    path("catalog/", views.catalog_home, name="catalog"),
    path("catalog/brands/<id:brand_id>/", views.brand_page, name="catalog-brand"),
    path("catalog/products/<id:product_id>/", views.product_page, name="catalog-product"),
    path("catalog/<slug:kind>/new/<id:parent_id>/", views.row_create, name="catalog-row-create"),
    path("catalog/<slug:kind>/<id:pk>/edit/", views.row_edit, name="catalog-row-edit"),
    path("catalog/<slug:kind>/<id:pk>/delete/", views.row_delete, name="catalog-row-delete"),
    path("catalog/photos/<id:pk>/image/", views.photo_thumbnail, name="catalog-photo-image"),
    path("catalog/assets/<id:pk>/image/", views.asset_thumbnail, name="catalog-asset-image"),
]
