"""Request bodies described by their pydantic model: the model is the contract, the schema follows.

drf-spectacular's own pydantic support emits pydantic's JSON Schema (draft 2020-12) in
serialisation mode, which is not OpenAPI 3.0: `{"type": "null"}` branches, `const`, and a
request schema that describes what the server answers instead of what it accepts. This
extension asks pydantic for the *validation* schema and translates the few constructs 3.0
lacks, so `spectacular --validate` and schemathesis read exactly what the model enforces.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.plumbing import ResolvedComponent

_REF_TEMPLATE = "#/components/schemas/{model}"


def to_openapi_30(schema: Any) -> Any:
    """A JSON Schema 2020-12 fragment as an OpenAPI 3.0 schema object."""
    if isinstance(schema, list):
        return [to_openapi_30(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    schema = {key: to_openapi_30(value) for key, value in schema.items()}
    if "const" in schema:
        schema["enum"] = [schema.pop("const")]
    for combinator in ("anyOf", "oneOf"):
        branches = schema.get(combinator)
        if not branches:
            continue
        non_null = [branch for branch in branches if branch != {"type": "null"}]
        if len(non_null) == len(branches):
            continue
        schema.pop(combinator)
        if len(non_null) == 1:
            only = non_null[0]
            # OpenAPI 3.0 ignores siblings of $ref, so a nullable reference is wrapped in allOf.
            schema.update({"allOf": [only]} if "$ref" in only else only)
        else:
            schema[combinator] = non_null
        schema["nullable"] = True
    return schema


class PydanticRequestExtension(OpenApiSerializerExtension):
    target_class = "pydantic.BaseModel"
    match_subclasses = True
    priority = 1  # before drf-spectacular's contrib extension, which targets the same class

    def get_name(self, auto_schema, direction):
        return self.target.__name__

    def map_serializer(self, auto_schema, direction):
        schema = self.target.model_json_schema(ref_template=_REF_TEMPLATE, mode="validation")
        for name, definition in schema.pop("$defs", {}).items():
            auto_schema.registry.register_on_missing(ResolvedComponent(
                name=name, type=ResolvedComponent.SCHEMA, object=name, schema=to_openapi_30(definition)))
        return to_openapi_30(schema)
