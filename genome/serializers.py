"""API shapes of the genome: the Meta connection (its token write-only), mappings, launches."""

from __future__ import annotations

from django.core.validators import RegexValidator
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from adcreator.api.fields import (
    QueryParamsSerializer,
    StrictCharField,
    id_field,
    id_query_field,
)
from genome.dimensions import ELEMENT_DIMENSIONS
from genome.models import AD_ACCOUNT_ID, AdAccount, AdMapping, SystemAlert
from genome.services.connection import ACCESS_TOKEN_PATTERN, MAX_TOKEN_LENGTH


class MetaConnectionInputSerializer(serializers.Serializer):
    ad_account_id = StrictCharField(max_length=40, trim_whitespace=False, validators=[AD_ACCOUNT_ID],
                                    help_text="act_ followed by the account's digits.")
    access_token = StrictCharField(max_length=MAX_TOKEN_LENGTH, write_only=True, required=False, allow_blank=True,
                                   trim_whitespace=False,
                                   validators=[RegexValidator(ACCESS_TOKEN_PATTERN, "This is not an access token: "
                                                                                    "it contains spaces.")],
                                   help_text="Write-only: stored encrypted, never returned. Needed for the Graph API; "
                                             "the simulated market works without one.")


class MetaConnectionSerializer(serializers.ModelSerializer):
    brand = serializers.IntegerField(source="brand_id", read_only=True)
    has_token = serializers.SerializerMethodField()
    label = serializers.SerializerMethodField()

    class Meta:
        model = AdAccount
        # Never the token, nor anything derived from it but whether one is set.
        fields = ["brand", "ad_account_id", "source", "label", "status", "broken_reason", "has_token", "token_set_at",
                  "last_sync_at", "last_sync_ok", "created_at", "updated_at"]

    @extend_schema_field(serializers.BooleanField())
    def get_has_token(self, account: AdAccount) -> bool:
        return bool(account.access_token_encrypted)

    @extend_schema_field(serializers.CharField())
    def get_label(self, account: AdAccount) -> str:
        return "Simulated" if account.source == "simulated" else "Meta"


class MappingInputSerializer(serializers.Serializer):
    generated_ad = id_field()
    meta_ad_id = StrictCharField(max_length=30, help_text="The Meta ad's id (digits).")


class MappingSerializer(serializers.ModelSerializer):
    class Meta:
        model = AdMapping
        fields = ["id", "generated_ad", "meta_ad_id", "origin", "created_at"]


class LaunchInputSerializer(serializers.Serializer):
    ad_ids = serializers.ListField(child=id_field(), min_length=1, max_length=200,
                                   help_text="Approved ads to launch into their brand's simulated market.")


class ElementScoreFilterSerializer(QueryParamsSerializer):
    brand = id_query_field(help_text="The brand whose element scores to read.")
    dimension = serializers.ChoiceField(choices=list(ELEMENT_DIMENSIONS), required=False)


class ElementScoreSerializer(serializers.Serializer):
    dimension = serializers.CharField()
    value = serializers.CharField()
    alpha = serializers.FloatField()
    beta = serializers.FloatField()
    mean = serializers.FloatField(help_text="Posterior mean: P(reward ≥ 0.5) for ads carrying the value.")
    ci_low = serializers.FloatField(help_text="90 % credible interval, low end.")
    ci_high = serializers.FloatField()
    matured_ads = serializers.IntegerField(help_text="Rewarded ads that carry the value.")
    cold_start_level = serializers.IntegerField(allow_null=True, help_text="The brand's cold-start level (0–3, "
                                                "spec 10.6) when these scores were made; null: never updated.")
    label = serializers.CharField(default="correlational", help_text="Not experimental: correlational.")


class AlertFilterSerializer(QueryParamsSerializer):
    brand = id_query_field(required=False)
    status = serializers.ChoiceField(choices=["open", "resolved"], required=False)


class AlertSerializer(serializers.ModelSerializer):
    class Meta:
        model = SystemAlert
        fields = ["id", "brand", "metric", "level", "status", "value", "threshold", "message", "action", "opened_at",
                  "last_seen_at", "resolved_at"]
