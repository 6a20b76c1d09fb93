"""Fields and base serializers that accept exactly what the OpenAPI schema promises.

DRF is lenient by design (HTML forms): it reads `0` as False, `"5"` as 5, `0` as the string
"0", and an empty query parameter as an absent one. The API accepts JSON bodies only, so a
value of the wrong JSON type is a client bug, and answering 400 at once is the helpful reply.
"""

from __future__ import annotations

import re

from rest_framework import serializers

from adcreator.inputs import MAX_ID


class _StrictJsonType:
    json_types: tuple[type, ...] = ()
    type_name = ""

    def to_internal_value(self, data):
        # bool is an int subclass in Python, but `true` is not a number in JSON.
        if isinstance(data, bool) and bool not in self.json_types or not isinstance(data, self.json_types):
            raise serializers.ValidationError(f"Must be a JSON {self.type_name}.", code="invalid_type")
        return super().to_internal_value(data)


class StrictBooleanField(_StrictJsonType, serializers.BooleanField):
    json_types = (bool,)
    type_name = "boolean"


class StrictIntegerField(_StrictJsonType, serializers.IntegerField):
    json_types = (int,)
    type_name = "integer"


class StrictFloatField(_StrictJsonType, serializers.FloatField):
    json_types = (int, float)
    type_name = "number"


class StrictCharField(_StrictJsonType, serializers.CharField):
    json_types = (str,)
    type_name = "string"




def id_field(**kwargs) -> StrictIntegerField:
    """A JSON body field holding the id of a row."""
    return StrictIntegerField(min_value=1, max_value=MAX_ID, **kwargs)


def id_query_field(**kwargs) -> serializers.IntegerField:
    """A query parameter holding the id of a row."""
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


_INTEGER_TEXT = re.compile(r"-?\d+")


class QueryParamsSerializer(serializers.Serializer):
    """Query-string filters: a parameter that is present must carry a value of its type."""

    def to_internal_value(self, data):
        errors: dict[str, list[str]] = {}
        for name, field in self.fields.items():
            if not hasattr(data, "getlist") or name not in data:
                continue
            values = data.getlist(name)
            if any(value == "" for value in values):
                errors[name] = ["May not be blank; leave the parameter out instead."]
            elif isinstance(field, serializers.IntegerField) and not all(_INTEGER_TEXT.fullmatch(v) for v in values):
                errors[name] = ["A valid integer is required."]
        if errors:
            raise serializers.ValidationError(errors)
        return super().to_internal_value(data)
