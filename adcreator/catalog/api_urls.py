"""API routes of the catalog (mounted under /api/v1/ by the project's urls): a collection and an
item route per kind (brands, products, product-photos, brand-assets, personas, offer-variants,
landing-pages, belief-angles, hooks)."""

from django.urls import path

from adcreator.catalog.api import VIEWS

# The first two names are the ones the project has used for its brand and product lists.
_COLLECTION_NAMES = {"brands": "brands", "products": "products"}

urlpatterns = [
    route
    for kind, (collection, item) in VIEWS.items()
    for route in (
        path(f"{kind}/", collection.as_view(), name=_COLLECTION_NAMES.get(kind, f"{kind}-list")),
        path(f"{kind}/<id:pk>/", item.as_view(), name=f"{kind}-detail"),
    )
]
