"""API of the call ledger's money: spend per brand and month, tenant-scoped."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from adcreator.api.errors import error_responses
from adcreator.api.views import ApiView
from adcreator.calls import serializers as s
from adcreator.calls.selectors import spend_by_brand_month
from adcreator.catalog.selectors import organization_ids_for


class CostsView(ApiView):
    serializer_class = s.CostsSerializer

    @extend_schema(operation_id="costs_list",
                   summary="Real spend per brand and month from the call ledger, with approved ads and the cost "
                           "per approved ad; local providers are free.",
                   parameters=[s.CostsFilterSerializer],
                   responses={200: s.CostsSerializer, **error_responses(400, 401)}, tags=["costs"])
    def get(self, request):
        filters = s.CostsFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        wanted = filters.validated_data
        # Another organization's brand, like an unknown one, simply has no spend here (as the
        # other lists filter): the answer reveals nothing about it.
        months = spend_by_brand_month(organization_ids=organization_ids_for(request.user), brand_id=wanted.get("brand"),
                                      month=s.month_start(wanted["month"]) if wanted.get("month") else None)
        return Response(s.CostsSerializer({"months": [
            {"brand_id": m.brand_id, "brand_name": m.brand_name, "month": m.month.strftime("%Y-%m"),
             "spend": m.spend.as_json()} for m in months]}).data)
