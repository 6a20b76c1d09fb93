"""What every API view shares: JSON in, pagination, tenant-scoped lookups, stored images,
and the 404 of unknown API paths in the API's error shape."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import FileResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from rest_framework.exceptions import NotFound
from rest_framework.generics import GenericAPIView
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.response import Response

from adcreator.api.errors import error_body
from adcreator.api.fields import MAX_ID
from adcreator.api.pagination import ApiPagination
from adcreator.api.parsers import BoundedJSONParser
from adcreator.web.stored_images import UnservableImage, open_stored_image


class ApiView(GenericAPIView):
    # JSON only: one request format to document, validate and test (no form encodings),
    # bounded in size and depth before it is decoded.
    parser_classes = [BoundedJSONParser]
    pagination_class = ApiPagination

    def scoped_object(self, queryset: QuerySet, pk: int):
        """The object if the (already tenant-scoped) queryset holds it; 404 otherwise, never
        403, so an id of another organization reveals nothing."""
        obj = queryset.filter(pk=pk).first() if pk <= MAX_ID else None
        if obj is None:
            raise NotFound()
        return obj

    def paginated(self, queryset: QuerySet, serializer_class) -> Response:
        page = self.paginate_queryset(queryset)
        data = serializer_class(page, many=True, context=self.get_serializer_context()).data
        return self.get_paginated_response(data)


class JsonErrorsNegotiation(BaseContentNegotiation):
    """For endpoints that answer with a file: errors are JSON whatever the Accept header asks
    (an `Accept: image/png` client must get the 404 body, not a 406)."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


def stored_file_response(name: str, *, filename: str) -> FileResponse:
    """A stored image, streamed, for a client already checked to be allowed to see it. Its type
    and the download name's extension come from its bytes; a file that is not PNG, JPEG or WebP
    is never served (whatever its name says)."""
    try:
        image = open_stored_image(name)
    except UnservableImage as exc:
        raise NotFound(f"This object has no servable image ({exc}).") from None
    response = FileResponse(image.handle, filename=image.filename(filename), content_type=image.content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@csrf_exempt  # nothing happens here; a POST to a wrong path must get the 404, not a CSRF 403
def unknown_api_path(request, *args, **kwargs) -> JsonResponse:
    """Any other path under /api/ (including a malformed id) answers in the API's shape."""
    return JsonResponse(error_body("not_found", "No such API endpoint or object."), status=404)
