"""One error shape for every API error: {"error": {"code", "message", "fields": {field: [msgs]}}}.

Installed as REST_FRAMEWORK["EXCEPTION_HANDLER"]. Field keys are dotted paths
("template_selection.mode", "sizes.0"), the same spelling the services use in
SubmissionError/JobParametersError.errors, so a client reads one format whichever layer refused.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler, set_rollback

from adcreator.web.request_id import current_request_id

logger = logging.getLogger(__name__)

NON_FIELD_KEY = "non_field_errors"
# Services say "__all__" (Django's spelling) for an error about the whole request.
_WHOLE_REQUEST_KEYS = {"__all__", "__root__", NON_FIELD_KEY}


class ErrorBodySerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()
    fields = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


class ErrorSerializer(serializers.Serializer):
    error = ErrorBodySerializer()


_ERROR_DESCRIPTIONS = {
    400: "Invalid input; `error.fields` maps each field (dotted path) to its messages.",
    401: "No or invalid credentials.",
    403: "Authenticated, but not allowed.",
    404: "No such object (or it belongs to another organization), or no such page.",
    409: "The object is not in a state that allows this (e.g. a run is already waiting).",
    413: "The request body is larger than the API accepts (ADCREATOR_API_MAX_BODY_BYTES).",
    429: "Too many requests; retry after the number of seconds in the Retry-After header.",
}


def error_responses(*codes: int) -> dict[int, OpenApiResponse]:
    """Schema entries for the error statuses an operation can answer with."""
    return {code: OpenApiResponse(ErrorSerializer, description=_ERROR_DESCRIPTIONS[code]) for code in codes}


def flatten_field_errors(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail (dicts, lists, indexes) as {dotted.path: [messages]}."""
    fields: dict[str, list[str]] = {}

    def key_for(part: str) -> str:
        if not prefix:
            return NON_FIELD_KEY if part in _WHOLE_REQUEST_KEYS else part
        return prefix if part in _WHOLE_REQUEST_KEYS else f"{prefix}.{part}"

    if isinstance(detail, dict):
        for name, value in detail.items():
            for path, messages in flatten_field_errors(value, key_for(str(name))).items():
                fields.setdefault(path, []).extend(messages)
    elif isinstance(detail, list):
        if all(not isinstance(item, (dict, list)) for item in detail):
            fields.setdefault(prefix or NON_FIELD_KEY, []).extend(str(item) for item in detail)
        else:  # a list serializer's errors: one entry per item, empty where the item was fine
            for index, item in enumerate(detail):
                if item:
                    for path, messages in flatten_field_errors(item, key_for(str(index))).items():
                        fields.setdefault(path, []).extend(messages)
    else:
        fields.setdefault(prefix or NON_FIELD_KEY, []).append(str(detail))
    return fields


def field_errors(errors: dict[str, list[str]]) -> exceptions.ValidationError:
    """A service's {field: [msgs]} as the ValidationError a view raises."""
    return exceptions.ValidationError({name: list(messages) for name, messages in errors.items()})


def error_body(code: str, message: str, fields: dict[str, list[str]] | None = None) -> dict:
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


def _code_of(exc: exceptions.APIException) -> str:
    codes = exc.get_codes()
    return codes if isinstance(codes, str) else exc.default_code


def _client_error(exc: Exception) -> Response | None:
    """Django's refusals of a malformed request (raised while DRF reads the body): the client's
    fault, never a 500."""
    if isinstance(exc, RequestDataTooBig):
        return Response(error_body("too_large", "The request body is too large."),
                        status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
    if isinstance(exc, SuspiciousOperation):
        return Response(error_body("bad_request", "The request is malformed."), status=status.HTTP_400_BAD_REQUEST)
    return None


def api_exception_handler(exc: Exception, context: dict) -> Response:
    response = exception_handler(exc, context)
    if response is None and (refused := _client_error(exc)) is not None:
        return refused
    if response is None:
        # A bug: the answer keeps the API's shape and names the request id, which the log line
        # with the traceback carries too (adcreator.web.request_id).
        request_id = current_request_id()
        logger.exception("unhandled error in %s (request %s)", context.get("view").__class__.__name__, request_id,
                         exc_info=exc)
        set_rollback()
        body = error_body("server_error", f"Internal server error (request id {request_id}).")
        body["error"]["request_id"] = request_id
        return Response(body, status=status.HTTP_500_INTERNAL_SERVER_ERROR)
    if isinstance(exc, exceptions.ValidationError):
        fields = flatten_field_errors(exc.detail)
        response.data = error_body("invalid", "The request has invalid fields.", fields)
        return response
    if not isinstance(exc, exceptions.APIException):  # Http404 / PermissionDenied, converted by DRF
        exc = exceptions.NotFound() if response.status_code == 404 else exceptions.PermissionDenied()
    detail = exc.detail
    message = str(detail) if not isinstance(detail, (dict, list)) else str(exc.default_detail)
    response.data = error_body(_code_of(exc), message)
    return response
