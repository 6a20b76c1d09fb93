"""API endpoints of the genome: a brand's Meta connection, ad mappings, simulated launches.

Every lookup starts from the user's organizations: another tenant's brand or ad is a 404 (or a
field error naming the id), never a 403 that would reveal it exists."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from adcreator.api.errors import error_responses, field_errors
from adcreator.api.views import ApiView
from adcreator.catalog.selectors import brands_for, organization_ids_for
from genome import serializers as s
from genome.models import AdMapping, GenomeState
from genome.selectors import ad_account_for, alerts_visible_to, element_scores_for
from genome.services.connection import MetaConnectionError, meta_connection_delete, meta_connection_set
from genome.services.mapping import MappingError, mappings_create
from genome.services.market import LaunchError, market_launch_ads


def not_connected() -> NotFound:
    return NotFound("This brand has no Meta connection.")


class MetaConnectionView(ApiView):
    serializer_class = s.MetaConnectionSerializer

    def _brand(self, request, pk: int):
        return self.scoped_object(brands_for(request.user), pk)

    @extend_schema(operation_id="brands_meta_connection_retrieve", summary="The brand's Meta connection (no token).",
                   responses={200: s.MetaConnectionSerializer, **error_responses(401, 404)}, tags=["meta"])
    def get(self, request, pk: int):
        account = ad_account_for(brand_id=self._brand(request, pk).pk)
        if account is None:
            raise not_connected()
        return Response(s.MetaConnectionSerializer(account).data)

    @extend_schema(operation_id="brands_meta_connection_update",
                   summary="Connect the brand's ad account, or replace its token (the answer never holds the token).",
                   request=s.MetaConnectionInputSerializer,
                   responses={200: s.MetaConnectionSerializer, **error_responses(400, 401, 403, 404)}, tags=["meta"])
    def put(self, request, pk: int):
        brand = self._brand(request, pk)
        body = s.MetaConnectionInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            account = meta_connection_set(brand=brand, ad_account_id=body.validated_data["ad_account_id"],
                                          access_token=body.validated_data.get("access_token", ""), user=request.user)
        except MetaConnectionError as exc:
            raise field_errors(exc.errors) from None
        return Response(s.MetaConnectionSerializer(account).data)

    @extend_schema(operation_id="brands_meta_connection_destroy",
                   summary="Disconnect: the token is erased and nothing calls Meta; synced history is kept.",
                   request=None, responses={204: None, **error_responses(401, 403, 404)}, tags=["meta"])
    def delete(self, request, pk: int):
        if meta_connection_delete(brand=self._brand(request, pk), user=request.user) is None:
            raise not_connected()
        return Response(status=status.HTTP_204_NO_CONTENT)


class AdMappingCreateView(ApiView):
    serializer_class = s.MappingSerializer

    @extend_schema(operation_id="meta_ad_mappings_create",
                   summary="Map generated ads to Meta ads, all or nothing (one ad may run as several Meta ads).",
                   request=s.MappingInputSerializer(many=True),
                   responses={201: s.MappingSerializer(many=True), **error_responses(400, 401, 403)}, tags=["meta"])
    def post(self, request):
        body = s.MappingInputSerializer(data=request.data, many=True, max_length=500, allow_empty=False)
        body.is_valid(raise_exception=True)
        items = [(row["generated_ad"], row["meta_ad_id"]) for row in body.validated_data]
        try:
            rows = mappings_create(user=request.user, organization_ids=organization_ids_for(request.user),
                                   items=items, origin=AdMapping.Origin.API)
        except MappingError as exc:
            raise field_errors(exc.errors) from None
        created = AdMapping.objects.filter(meta_ad_id__in=[meta for _, meta in items]).order_by("id")
        return Response(s.MappingSerializer(created, many=True).data,
                        status=status.HTTP_201_CREATED if rows else status.HTTP_200_OK)


class LaunchCreateView(ApiView):
    serializer_class = s.MappingSerializer

    @extend_schema(operation_id="meta_launches_create",
                   summary="Launch approved ads into the brand's simulated market (Simulated; idempotent).",
                   request=s.LaunchInputSerializer,
                   responses={201: s.MappingSerializer(many=True), **error_responses(400, 401, 403)}, tags=["meta"])
    def post(self, request):
        body = s.LaunchInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            mappings = market_launch_ads(ad_ids=body.validated_data["ad_ids"], user=request.user,
                                         organization_ids=organization_ids_for(request.user))
        except LaunchError as exc:
            raise ValidationError({"ad_ids": [str(exc)]}) from None
        return Response(s.MappingSerializer(mappings, many=True).data, status=status.HTTP_201_CREATED)


class ElementScoreListView(ApiView):
    serializer_class = s.ElementScoreSerializer

    @extend_schema(operation_id="genome_element_scores_list",
                   summary="The brand's element scores (Beta posteriors, correlational), brand-wide.",
                   parameters=[s.ElementScoreFilterSerializer],
                   responses={200: s.ElementScoreSerializer(many=True), **error_responses(400, 401, 404)}, tags=["genome"])
    def get(self, request):
        filters = s.ElementScoreFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        brand = brands_for(request.user).filter(pk=filters.validated_data["brand"]).first()
        if brand is None:
            raise field_errors({"brand": ["no such brand in your organization"]})
        page = self.paginate_queryset(element_scores_for(brand_id=brand.pk,
                                                         dimension=filters.validated_data.get("dimension")))
        state = GenomeState.objects.filter(brand=brand).first()
        for row in page:
            row.cold_start_level = state.cold_start_level if state else None
            row.label = "correlational"
        return self.get_paginated_response(s.ElementScoreSerializer(page, many=True).data)


class AlertListView(ApiView):
    serializer_class = s.AlertSerializer

    @extend_schema(operation_id="alerts_list", summary="System alerts of your brands (spec 13), open first.",
                   parameters=[s.AlertFilterSerializer],
                   responses={200: s.AlertSerializer(many=True), **error_responses(400, 401, 404)}, tags=["genome"])
    def get(self, request):
        filters = s.AlertFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        alerts = alerts_visible_to(request.user).order_by("status", "-last_seen_at", "-id")
        if filters.validated_data.get("brand"):
            alerts = alerts.filter(brand_id=filters.validated_data["brand"])
        if filters.validated_data.get("status"):
            alerts = alerts.filter(status=filters.validated_data["status"])
        return self.paginated(alerts, s.AlertSerializer)
