"""API endpoints of the catalog: the brands and products of your organizations."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema

from adcreator.api.errors import error_responses
from adcreator.api.views import ApiView
from adcreator.catalog import serializers as s
from adcreator.catalog.selectors import brands_for, products_for


class BrandListView(ApiView):
    serializer_class = s.BrandSerializer

    @extend_schema(operation_id="brands_list", summary="Brands of your organizations.",
                   responses={200: s.BrandSerializer(many=True), **error_responses(400, 401, 404)}, tags=["catalog"])
    def get(self, request):
        return self.paginated(brands_for(request.user).order_by("name", "id"), s.BrandSerializer)


class ProductListView(ApiView):
    serializer_class = s.ProductSerializer

    @extend_schema(operation_id="products_list", summary="Products of your organizations' brands.",
                   parameters=[s.ProductFilterSerializer],
                   responses={200: s.ProductSerializer(many=True), **error_responses(400, 401, 404)}, tags=["catalog"])
    def get(self, request):
        filters = s.ProductFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        products = products_for(request.user).order_by("brand_id", "name", "id")
        if filters.validated_data.get("brand"):
            products = products.filter(brand_id=filters.validated_data["brand"])
        return self.paginated(products, s.ProductSerializer)
