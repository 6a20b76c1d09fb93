"""API endpoints of ad templates: the library visible to the user, own uploads, and the
selection preview.

Visible: the shared library plus the private uploads of the user's own organizations.
"""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.response import Response

from adcreator.api.errors import error_responses, field_errors
from adcreator.api.views import ApiView, JsonErrorsNegotiation, stored_file_response
from adcreator.catalog.api import UploadParser
from adcreator.catalog.models import Persona
from adcreator.catalog.selectors import editable_organizations_for, organization_ids_for, products_for
from templates import serializers as s
from templates.models import ScrapedTemplate
from templates.selectors import templates_visible_to, times_used_by
from templates.services import TemplateUploadError, template_selection_run, template_upload


def templates_visible(user) -> QuerySet[ScrapedTemplate]:
    return (templates_visible_to(user).filter(is_active=True)
            .annotate(times_used=times_used_by(organization_ids_for(user))).select_related("evaluation").order_by("id"))


class TemplateListView(ApiView):
    serializer_class = s.TemplateSerializer
    parser_classes = [UploadParser]  # uploads come as multipart/form-data; the list reads no body

    @extend_schema(operation_id="templates_list", summary="Active templates you may use, with filters.",
                   parameters=[s.TemplateFilterSerializer],
                   responses={200: s.TemplateSerializer(many=True), **error_responses(400, 401, 404)},
                   tags=["templates"])
    def get(self, request):
        filters = s.TemplateFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        templates = templates_visible(request.user).filter(**filters.validated_data)
        return self.paginated(templates, s.TemplateSerializer)

    @extend_schema(operation_id="templates_create",
                   summary="Upload your organization's own template; its element detection is queued at once.",
                   request={"multipart/form-data": s.TemplateUploadSerializer},
                   responses={201: s.TemplateUploadedSerializer, **error_responses(400, 401, 403, 413)},
                   tags=["templates"])
    def post(self, request):
        payload = s.TemplateUploadSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        wanted = dict(payload.validated_data)
        organization = _upload_organization(request.user, wanted.pop("organization_id", None))
        try:
            upload = template_upload(user=request.user, organization=organization, **wanted)
        except TemplateUploadError as exc:
            raise field_errors(exc.errors) from None
        except DjangoPermissionDenied as exc:
            raise exceptions.PermissionDenied(str(exc)) from None
        template = templates_visible(request.user).get(pk=upload.template.pk)
        template.detection_job_id = upload.detection_job.pk
        return Response(s.TemplateUploadedSerializer(template, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)


def _upload_organization(user, organization_id: int | None):
    editable = list(editable_organizations_for(user).order_by("id"))
    if organization_id is not None:
        found = next((o for o in editable if o.pk == organization_id), None)
        if found is None and organization_id in organization_ids_for(user):
            raise exceptions.PermissionDenied("Your role in this organization can use templates but not upload them.")
        if found is None:
            raise field_errors({"organization_id": ["No such organization of yours."]})
        return found
    if not editable and organization_ids_for(user):
        raise exceptions.PermissionDenied("Your role in this organization can use templates but not upload them.")
    if len(editable) != 1:
        message = "Name the organization (you edit several)." if editable else "You are in no organization."
        raise field_errors({"organization_id": [message]})
    return editable[0]


class TemplateImageView(ApiView):
    content_negotiation_class = JsonErrorsNegotiation

    @extend_schema(operation_id="templates_image", summary="The template's full-size image.",
                   responses={(200, "image/png"): OpenApiTypes.BINARY, (200, "image/jpeg"): OpenApiTypes.BINARY,
                              (200, "image/webp"): OpenApiTypes.BINARY, **error_responses(401, 404)},
                   tags=["templates"])
    def get(self, request, pk: int):
        template = self.scoped_object(templates_visible(request.user), pk)
        return stored_file_response(template.image.name, filename=template.image.name.rsplit("/", 1)[-1])


class SelectionPreviewView(ApiView):
    serializer_class = s.SelectionResultSerializer

    @extend_schema(operation_id="templates_selection_preview",
                   summary="Draw templates for a product as a job would, without creating anything.",
                   request=s.SelectionPreviewSerializer,
                   responses={200: s.SelectionResultSerializer, **error_responses(400, 401)}, tags=["templates"])
    def post(self, request):
        payload = s.SelectionPreviewSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        wanted = payload.validated_data
        product = products_for(request.user).filter(pk=wanted["product_id"]).first()
        if product is None:
            raise field_errors({"product_id": ["no such product in your organization"]})
        persona = None
        if wanted.get("persona_id") is not None:
            persona = Persona.objects.filter(pk=wanted["persona_id"], brand_id=product.brand_id).first()
            if persona is None:
                raise field_errors({"persona_id": ["no such persona for this product's brand"]})
        outcome = template_selection_run(
            product=product, mode=wanted["mode"], count=wanted["count"], category=wanted.get("category"),
            strictness=wanted.get("strictness"), persona=persona, awareness_stage=wanted.get("awareness_stage"),
            seed=wanted.get("seed"),
        )
        body = outcome.as_json()
        body["templates"] = [
            {"id": row["id"], "name": row["name"], "category": row["category"], "scores": scores,
             "image_url": s.template_image_url(request, row["id"]) if row["image"] else None}
            for row, scores in zip(outcome.result.templates, outcome.result.scores)
        ]
        return Response(s.SelectionResultSerializer(body).data)
