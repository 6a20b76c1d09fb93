"""API shapes of the call ledger's money: a spend, a brand's month, the costs endpoint's filters."""

from __future__ import annotations

from datetime import date

from rest_framework import serializers

from adcreator.api.fields import QueryParamsSerializer

class SpendSerializer(serializers.Serializer):
    actual_usd = serializers.DecimalField(max_digits=12, decimal_places=5,
                                          help_text="What the call ledger recorded (real cost).")
    calls = serializers.IntegerField()
    billed_calls = serializers.IntegerField(help_text="Calls by providers that bill (not local, not simulated).")
    local_providers_free = serializers.BooleanField(
        help_text="Every call ran on a local provider: nothing was charged (the cost is $0, not a list price).")
    approved_ads = serializers.IntegerField(help_text="Ads whose current status is approved (after human overrides).")
    cost_per_approved_ad_usd = serializers.DecimalField(max_digits=12, decimal_places=5, allow_null=True,
                                                        help_text="Null without an approved ad.")
    estimate_usd = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True,
                                            help_text="Estimate at list prices before the run; null without one.")
    estimate_basis = serializers.CharField()


class BrandMonthSerializer(serializers.Serializer):
    brand_id = serializers.IntegerField(allow_null=True)
    brand_name = serializers.CharField()
    month = serializers.CharField(help_text="YYYY-MM (UTC).")
    spend = SpendSerializer()


class CostsSerializer(serializers.Serializer):
    months = BrandMonthSerializer(many=True)


MONTH_PATTERN = r"^[1-9][0-9]{3}-(0[1-9]|1[0-2])$"


def month_start(text: str) -> date:
    """A validated "YYYY-MM" as the first day of that month."""
    year, month = text.split("-")
    return date(int(year), int(month), 1)


class CostsFilterSerializer(QueryParamsSerializer):
    brand = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1,
                                     help_text="Only this brand (of your organizations).")
    month = serializers.RegexField(MONTH_PATTERN, required=False, help_text="Only this month, YYYY-MM (UTC).",
                                   error_messages={"invalid": "Write the month as YYYY-MM, e.g. 2026-12."})
