"""API shapes of the catalog: what each kind of row looks like, and what a client may send.

Input serializers check JSON types (strict fields) and document the schema; the services
check everything else (lengths, choices, vocabularies, ownership) with field-named errors.
"""

from __future__ import annotations

from rest_framework import serializers

from adcreator.api.fields import (
    QueryParamsSerializer,
    StrictBooleanField,
    StrictCharField,
    StrictIntegerField,
    id_field,
    id_query_field,
)
from adcreator.catalog.models import (
    BeliefAngle,
    Brand,
    BrandAsset,
    Hook,
    LandingPage,
    OfferVariant,
    Persona,
    Product,
    ProductImage,
    TargetSex,
)
from adcreator.catalog.tiers import TIERS, tier_of
from adcreator.prompts.elements import ASSET_TAGS

_STAMPS = ["created_at", "updated_at"]


def _texts(help_text: str, **kwargs) -> serializers.ListField:
    return serializers.ListField(child=StrictCharField(max_length=300, allow_blank=True), max_length=50,
                                 help_text=help_text, **kwargs)


# ------------------------------------------------------------------ output

class BrandSerializer(serializers.ModelSerializer):
    template_selection_tier = serializers.SerializerMethodField(
        help_text="default, growth or premium; null when staff set another asset-gate floor.")

    class Meta:
        model = Brand
        fields = ["id", "organization", "name", "slug", "category", "colors", "voice", "prohibited_claims",
                  "required_disclaimers", "template_selection_tier", *_STAMPS]

    def get_template_selection_tier(self, brand: Brand) -> str | None:
        return tier_of(brand.template_selection_config)


class ProductSerializer(serializers.ModelSerializer):
    class Meta:
        model = Product
        fields = ["id", "brand", "name", "slug", "description", "current_offer", "industry", *_STAMPS]


class ProductPhotoSerializer(serializers.ModelSerializer):
    quality = serializers.FloatField(read_only=True, help_text="Measured when uploaded: sharpness × resolution, 0–1.")

    class Meta:
        model = ProductImage
        fields = ["id", "product", "asset_tags", "quality", "width", "height", *_STAMPS]


class BrandAssetSerializer(serializers.ModelSerializer):
    class Meta:
        model = BrandAsset
        fields = ["id", "brand", "asset_type", *_STAMPS]


class PersonaSerializer(serializers.ModelSerializer):
    class Meta:
        model = Persona
        fields = ["id", "brand", "name", "description", "awareness_stage", "target_sex", "age_min", "age_max",
                  "demographics", *_STAMPS]


class OfferVariantSerializer(serializers.ModelSerializer):
    class Meta:
        model = OfferVariant
        fields = ["id", "product", "name", "core_message", "pain_points", "landing_page_url", *_STAMPS]


class LandingPageSerializer(serializers.ModelSerializer):
    class Meta:
        model = LandingPage
        fields = ["id", "brand", "url", "hero_headline", "hero_subhead", "body", *_STAMPS]


class BeliefAngleSerializer(serializers.ModelSerializer):
    class Meta:
        model = BeliefAngle
        fields = ["id", "brand", "name", "belief_statement", *_STAMPS]


class HookSerializer(serializers.ModelSerializer):
    class Meta:
        model = Hook
        fields = ["id", "brand", "product", "text", "hook_type", "is_active", *_STAMPS]


# ------------------------------------------------------------------ input

class BrandInputSerializer(serializers.Serializer):
    organization_id = id_field(required=False, help_text="Needed only when you edit more than one organization.")
    name = StrictCharField(max_length=200)
    slug = StrictCharField(max_length=80, required=False, allow_blank=True, help_text="Made from the name if blank.")
    category = StrictCharField(max_length=80, required=False, allow_blank=True)
    colors = _texts("#rrggbb codes, most prominent first.", required=False)
    voice = StrictCharField(required=False, allow_blank=True, max_length=5000)
    prohibited_claims = _texts("Claims an ad must never make.", required=False)
    required_disclaimers = _texts("Lines every ad must carry.", required=False)
    template_selection_tier = serializers.ChoiceField(choices=list(TIERS), required=False)


class ProductInputSerializer(serializers.Serializer):
    brand_id = id_field()
    name = StrictCharField(max_length=200)
    slug = StrictCharField(max_length=80, required=False, allow_blank=True, help_text="Made from the name if blank.")
    description = StrictCharField(required=False, allow_blank=True, max_length=5000)
    current_offer = StrictCharField(max_length=300, required=False, allow_blank=True)
    industry = StrictCharField(max_length=80, required=False, allow_blank=True,
                               help_text="As on templates: “beauty / skincare”.")


class ProductPhotoUploadSerializer(serializers.Serializer):
    product_id = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    image = serializers.FileField(help_text="PNG, JPEG or WebP; checked by its content.")
    asset_tags = serializers.ListField(child=serializers.ChoiceField(choices=list(ASSET_TAGS)), required=False,
                                      max_length=len(ASSET_TAGS))


class ProductPhotoInputSerializer(serializers.Serializer):
    asset_tags = serializers.ListField(child=serializers.ChoiceField(choices=list(ASSET_TAGS)),
                                      max_length=len(ASSET_TAGS))


class BrandAssetUploadSerializer(serializers.Serializer):
    brand_id = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    image = serializers.FileField(help_text="PNG, JPEG or WebP; checked by its content.")
    asset_type = serializers.ChoiceField(choices=BrandAsset.AssetType.choices)


class BrandAssetInputSerializer(serializers.Serializer):
    asset_type = serializers.ChoiceField(choices=BrandAsset.AssetType.choices)


class PersonaInputSerializer(serializers.Serializer):
    brand_id = id_field()
    name = StrictCharField(max_length=200)
    description = StrictCharField(required=False, allow_blank=True, max_length=5000)
    awareness_stage = StrictIntegerField(min_value=1, max_value=5, help_text="1 unaware … 5 most aware.")
    target_sex = serializers.ChoiceField(choices=TargetSex.choices, allow_blank=True, required=False)
    age_min = StrictIntegerField(min_value=0, max_value=120, required=False, allow_null=True)
    age_max = StrictIntegerField(min_value=0, max_value=120, required=False, allow_null=True)
    demographics = serializers.DictField(required=False)


class OfferVariantInputSerializer(serializers.Serializer):
    product_id = id_field()
    name = StrictCharField(max_length=200)
    core_message = StrictCharField(max_length=5000)
    pain_points = _texts("What the offer answers.", required=False)
    landing_page_url = StrictCharField(max_length=500, required=False, allow_blank=True)


class LandingPageInputSerializer(serializers.Serializer):
    brand_id = id_field()
    url = StrictCharField(max_length=500)
    hero_headline = StrictCharField(max_length=300)
    hero_subhead = StrictCharField(max_length=500, required=False, allow_blank=True)
    body = StrictCharField(required=False, allow_blank=True, max_length=20000)


class BeliefAngleInputSerializer(serializers.Serializer):
    brand_id = id_field()
    name = StrictCharField(max_length=200)
    belief_statement = StrictCharField(max_length=5000)


class HookInputSerializer(serializers.Serializer):
    brand_id = id_field()
    product_id = id_field(required=False, allow_null=True, help_text="Null: the hook serves every product.")
    text = StrictCharField(max_length=300)
    hook_type = serializers.ChoiceField(choices=Hook.HookType.choices)
    is_active = StrictBooleanField(required=False)


# ------------------------------------------------------------------ filters

class BrandFilterSerializer(QueryParamsSerializer):
    brand = id_query_field(required=False, help_text="Only this brand's rows.")


class ProductFilterSerializer(BrandFilterSerializer):
    pass


class ProductChildFilterSerializer(BrandFilterSerializer):
    product = id_query_field(required=False, help_text="Only this product's rows.")


class NoFilterSerializer(QueryParamsSerializer):
    pass
