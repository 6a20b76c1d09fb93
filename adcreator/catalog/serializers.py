"""API shapes of the catalog: brands and products (integrations need their ids)."""

from __future__ import annotations

from rest_framework import serializers

from adcreator.api.fields import QueryParamsSerializer, id_query_field
from adcreator.catalog.models import Brand, Product


class BrandSerializer(serializers.ModelSerializer):
    class Meta:
        model = Brand
        fields = ["id", "organization", "name", "slug", "colors", "voice", "prohibited_claims", "required_disclaimers",
                  "created_at", "updated_at"]


class ProductSerializer(serializers.ModelSerializer):
    class Meta:
        model = Product
        fields = ["id", "brand", "name", "slug", "description", "current_offer", "created_at", "updated_at"]


class ProductFilterSerializer(QueryParamsSerializer):
    brand = id_query_field(required=False, help_text="Only this brand's products.")
