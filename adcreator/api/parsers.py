"""Request-body parsers of the API: bounded in size and (JSON) in nesting, checked before decoding.

A body over ADCREATOR_API_MAX_BODY_BYTES is refused with 413 from its Content-Length, before a
byte is read, or (no or a false Content-Length) as soon as the limit is passed while reading.
A JSON body nested deeper than ADCREATOR_API_MAX_JSON_DEPTH is a 400 before json decodes it.

`BoundedJSONParser` is deliberately not a subclass of DRF's JSONParser: DRF reads a
JSONParser's whole body into memory first (`request.body`, up to Django's 15 MB upload limit).
"""

from __future__ import annotations

import json

from django.conf import settings
from rest_framework import status
from rest_framework.exceptions import APIException, ParseError
from rest_framework.parsers import BaseParser, FormParser, MultiPartParser

from adcreator.api.jsondepth import exceeds_depth


class RequestTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"
    default_detail = "The request body is too large."


def _limit_message(limit: int) -> str:
    return f"The request body is larger than the limit of {limit:,} bytes."


def check_declared_length(parser_context: dict | None, limit: int) -> None:
    request = (parser_context or {}).get("request")
    meta = getattr(request, "META", {}) if request is not None else {}
    try:
        declared = int(meta.get("CONTENT_LENGTH") or 0)
    except ValueError:
        raise ParseError("Content-Length is not a number.") from None
    if declared > limit:
        raise RequestTooLarge(_limit_message(limit))


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not valid JSON")


class BoundedJSONParser(BaseParser):
    media_type = "application/json"

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.ADCREATOR_API_MAX_BODY_BYTES
        check_declared_length(parser_context, limit)
        data = stream.read(limit + 1)
        if len(data) > limit:
            raise RequestTooLarge(_limit_message(limit))
        depth = settings.ADCREATOR_API_MAX_JSON_DEPTH
        if exceeds_depth(data, depth):
            raise ParseError(f"JSON parse error - nested deeper than {depth} levels.")
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            # NaN and Infinity are not JSON (RFC 8259), whatever Python's json would accept.
            return json.loads(data.decode(encoding), parse_constant=_refuse_constant)
        except (ValueError, UnicodeDecodeError, RecursionError) as exc:
            raise ParseError(f"JSON parse error - {exc}") from None


class BoundedFormParser(FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        check_declared_length(parser_context, settings.ADCREATOR_API_MAX_BODY_BYTES)
        return super().parse(stream, media_type, parser_context)


class BoundedMultiPartParser(MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        check_declared_length(parser_context, settings.ADCREATOR_API_MAX_BODY_BYTES)
        return super().parse(stream, media_type, parser_context)
