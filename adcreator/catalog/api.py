"""API endpoints of the catalog: brands, products and their photos, brand assets, personas,
offer variants, landing pages, belief angles and hooks of your organizations.

Each kind has a collection (GET lists with filters, POST creates) and an item (GET, PATCH,
DELETE). Everything is tenant-scoped through the catalog selectors (another organization's id
is a 404), changed only through the catalog services (a viewer gets 403, bad input 400 with
the field named, a delete that would lose work 409 naming what depends on the row). Photos and
brand assets are uploaded as multipart/form-data with the admin's content checks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.serializers import Serializer

from adcreator.api.errors import error_responses, field_errors
from adcreator.api.parsers import BoundedJSONParser, check_declared_length
from adcreator.api.views import ApiView
from adcreator.catalog import selectors as sel
from adcreator.catalog import serializers as s
from adcreator.catalog import services as svc

# Room for the form's other fields and the multipart boundaries around one image.
FORM_OVERHEAD_BYTES = 64 * 1024


class UploadParser(MultiPartParser):
    """multipart/form-data up to the upload limit (the JSON limit of the API is far smaller)."""

    def parse(self, stream, media_type=None, parser_context=None):
        check_declared_length(parser_context, settings.ADCREATOR_MAX_UPLOAD_BYTES + FORM_OVERHEAD_BYTES)
        return super().parse(stream, media_type, parser_context)


class Conflict(exceptions.APIException):
    status_code = 409
    default_code = "in_use"
    default_detail = "Other work depends on this object."


@dataclass(frozen=True)
class Kind:
    """One kind of catalog row as the API serves it."""

    path: str  # "offer-variants"
    operation: str  # "offer_variants": the prefix of its operation ids
    label: str  # "offer variant"
    visible: Callable  # user → the tenant-scoped queryset
    output: type[Serializer]
    create_input: type[Serializer]
    update_input: type[Serializer]
    filters: type[Serializer]
    parent_key: str  # "brand_id", "product_id" or "organization_id"
    create: Callable  # (user, parent, data) → row
    update: Callable  # (user, row, data) → row
    delete: Callable  # (user, row) → None
    upload: bool = False


def _parent(kind: Kind, request, data: dict):
    """The row named by the parent id, if the user's organizations hold it (else a field error)."""
    key = kind.parent_key
    if key == "organization_id":
        editable = list(sel.editable_organizations_for(request.user).order_by("id"))
        if key in data:
            found = next((o for o in editable if o.pk == data[key]), None)
            if found is None and sel.organizations_for(request.user).filter(pk=data[key]).exists():
                raise exceptions.PermissionDenied("Your role in this organization can view the catalog but not change it.")
            if found is None:
                raise field_errors({key: ["No such organization of yours."]})
            return found
        if not editable and sel.organization_ids_for(request.user):
            raise exceptions.PermissionDenied("Your role in this organization can view the catalog but not change it.")
        if len(editable) != 1:
            message = "Name the organization (you edit several)." if editable else "You edit no organization."
            raise field_errors({key: [message]})
        return editable[0]
    rows = sel.brands_for(request.user) if key == "brand_id" else sel.products_for(request.user)
    found = rows.filter(pk=data[key]).first()
    if found is None:
        raise field_errors({key: [f"No such {key.removesuffix('_id')} in your organizations."]})
    return found


def _acting(action: Callable):
    """Run a service, turning its refusals into the API's answers."""
    try:
        return action()
    except svc.CatalogError as exc:
        raise field_errors(exc.errors) from None
    except svc.CatalogInUse as exc:
        raise Conflict(str(exc)) from None
    except DjangoPermissionDenied as exc:
        raise exceptions.PermissionDenied(str(exc)) from None


def _filtered(kind: Kind, request):
    filters = kind.filters(data=request.query_params)
    filters.is_valid(raise_exception=True)
    rows = kind.visible(request.user).order_by("id")
    wanted = filters.validated_data
    if wanted.get("brand"):
        brand_path = "product__brand_id" if kind.parent_key == "product_id" else "brand_id"
        rows = rows.filter(**{brand_path: wanted["brand"]})
    if wanted.get("product"):
        rows = rows.filter(product_id=wanted["product"])
    return rows


def collection_view(kind: Kind) -> type[ApiView]:
    tags = ["catalog"]
    create_errors = error_responses(400, 401, 403, *((413,) if kind.upload else ()))

    @extend_schema(operation_id=f"{kind.operation}_list", summary=f"The {kind.label}s of your organizations.",
                   parameters=[kind.filters] if kind.filters().fields else [], responses={200: kind.output(many=True), **error_responses(400, 401, 404)},
                   tags=tags)
    def get(self, request):
        return self.paginated(_filtered(kind, request), kind.output)

    @extend_schema(operation_id=f"{kind.operation}_create", summary=f"Create a {kind.label} (owners and editors).",
                   request={"multipart/form-data": kind.create_input} if kind.upload else kind.create_input,
                   responses={201: kind.output, **create_errors}, tags=tags)
    def post(self, request):
        payload = kind.create_input(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        parent = _parent(kind, request, data)
        data.pop(kind.parent_key, None)
        row = _acting(lambda: kind.create(request.user, parent, data))
        return Response(kind.output(row).data, status=status.HTTP_201_CREATED)

    attrs = {"serializer_class": kind.output, "get": get, "post": post, "__doc__": f"{kind.label}s: list, create."}
    if kind.upload:
        attrs["parser_classes"] = [UploadParser]
    return type(f"{kind.operation.title().replace('_', '')}CollectionView", (ApiView,), attrs)


def item_view(kind: Kind) -> type[ApiView]:
    tags = ["catalog"]

    @extend_schema(operation_id=f"{kind.operation}_retrieve", summary=f"One {kind.label}.",
                   responses={200: kind.output, **error_responses(401, 404)}, tags=tags)
    def get(self, request, pk: int):
        return Response(kind.output(self.scoped_object(kind.visible(request.user), pk)).data)

    @extend_schema(operation_id=f"{kind.operation}_update", summary=f"Change a {kind.label} (owners and editors).",
                   request=kind.update_input, responses={200: kind.output, **error_responses(400, 401, 403, 404)},
                   tags=tags)
    def patch(self, request, pk: int):
        row = self.scoped_object(kind.visible(request.user), pk)
        payload = kind.update_input(data=request.data, partial=True)
        payload.is_valid(raise_exception=True)
        row = _acting(lambda: kind.update(request.user, row, dict(payload.validated_data)))
        return Response(kind.output(row).data)

    @extend_schema(operation_id=f"{kind.operation}_destroy",
                   summary=f"Delete a {kind.label}; refused (409) while jobs or ads depend on it.",
                   request=None, responses={204: None, **error_responses(401, 403, 404, 409)}, tags=tags)
    def delete(self, request, pk: int):
        row = self.scoped_object(kind.visible(request.user), pk)
        _acting(lambda: kind.delete(request.user, row))
        return Response(status=status.HTTP_204_NO_CONTENT)

    attrs = {"serializer_class": kind.output, "parser_classes": [BoundedJSONParser], "get": get, "patch": patch,
             "delete": delete, "__doc__": f"A {kind.label}: read, change, delete."}
    return type(f"{kind.operation.title().replace('_', '')}ItemView", (ApiView,), attrs)


def _update_input(create_input: type[Serializer], parent_key: str) -> type[Serializer]:
    """The create input without its parent id: a row stays where it was created."""
    name = create_input.__name__.replace("InputSerializer", "UpdateSerializer")
    return type(name, (create_input,), {parent_key: None, "__module__": create_input.__module__})


def _kind(path: str, label: str, visible, output, create_input, filters, parent_key, create, update, delete,
          update_input=None, upload=False) -> Kind:
    return Kind(path=path, operation=path.replace("-", "_"), label=label, visible=visible, output=output,
                create_input=create_input, update_input=update_input or _update_input(create_input, parent_key),
                filters=filters, parent_key=parent_key, create=create, update=update, delete=delete, upload=upload)


KINDS = [
    _kind("brands", "brand", sel.brands_for, s.BrandSerializer, s.BrandInputSerializer, s.NoFilterSerializer,
          "organization_id", lambda u, p, d: svc.brand_create(user=u, organization=p, data=d),
          lambda u, r, d: svc.brand_update(user=u, brand=r, data=d), lambda u, r: svc.brand_delete(user=u, brand=r)),
    _kind("products", "product", sel.products_for, s.ProductSerializer, s.ProductInputSerializer,
          s.ProductFilterSerializer, "brand_id", lambda u, p, d: svc.product_create(user=u, brand=p, data=d),
          lambda u, r, d: svc.product_update(user=u, product=r, data=d),
          lambda u, r: svc.product_delete(user=u, product=r)),
    _kind("product-photos", "product photo", sel.product_photos_for, s.ProductPhotoSerializer,
          s.ProductPhotoUploadSerializer, s.ProductChildFilterSerializer, "product_id",
          lambda u, p, d: svc.product_photo_create(user=u, product=p, image=d["image"],
                                                   asset_tags=list(d.get("asset_tags", []))),
          lambda u, r, d: svc.product_photo_update(user=u, photo=r, data=d),
          lambda u, r: svc.product_photo_delete(user=u, photo=r), update_input=s.ProductPhotoInputSerializer,
          upload=True),
    _kind("brand-assets", "brand asset", sel.brand_assets_for, s.BrandAssetSerializer, s.BrandAssetUploadSerializer,
          s.BrandFilterSerializer, "brand_id",
          lambda u, p, d: svc.brand_asset_create(user=u, brand=p, image=d["image"], asset_type=d["asset_type"]),
          lambda u, r, d: svc.brand_asset_update(user=u, asset=r, data=d),
          lambda u, r: svc.brand_asset_delete(user=u, asset=r), update_input=s.BrandAssetInputSerializer,
          upload=True),
    _kind("personas", "persona", sel.personas_for, s.PersonaSerializer, s.PersonaInputSerializer,
          s.BrandFilterSerializer, "brand_id", lambda u, p, d: svc.persona_create(user=u, brand=p, data=d),
          lambda u, r, d: svc.persona_update(user=u, persona=r, data=d),
          lambda u, r: svc.persona_delete(user=u, persona=r)),
    _kind("offer-variants", "offer variant", sel.offer_variants_for, s.OfferVariantSerializer,
          s.OfferVariantInputSerializer, s.ProductChildFilterSerializer, "product_id",
          lambda u, p, d: svc.offer_variant_create(user=u, product=p, data=d),
          lambda u, r, d: svc.offer_variant_update(user=u, offer_variant=r, data=d),
          lambda u, r: svc.offer_variant_delete(user=u, offer_variant=r)),
    _kind("landing-pages", "landing page", sel.landing_pages_for, s.LandingPageSerializer,
          s.LandingPageInputSerializer, s.BrandFilterSerializer, "brand_id",
          lambda u, p, d: svc.landing_page_create(user=u, brand=p, data=d),
          lambda u, r, d: svc.landing_page_update(user=u, landing_page=r, data=d),
          lambda u, r: svc.landing_page_delete(user=u, landing_page=r)),
    _kind("belief-angles", "belief angle", sel.belief_angles_for, s.BeliefAngleSerializer,
          s.BeliefAngleInputSerializer, s.BrandFilterSerializer, "brand_id",
          lambda u, p, d: svc.belief_angle_create(user=u, brand=p, data=d),
          lambda u, r, d: svc.belief_angle_update(user=u, belief_angle=r, data=d),
          lambda u, r: svc.belief_angle_delete(user=u, belief_angle=r)),
    _kind("hooks", "hook", sel.hooks_for, s.HookSerializer, s.HookInputSerializer, s.ProductChildFilterSerializer,
          "brand_id", lambda u, p, d: svc.hook_create(user=u, brand=p, data=d),
          lambda u, r, d: svc.hook_update(user=u, hook=r, data=d), lambda u, r: svc.hook_delete(user=u, hook=r)),
]
VIEWS = {kind.path: (collection_view(kind), item_view(kind)) for kind in KINDS}
