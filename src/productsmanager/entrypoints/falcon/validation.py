"""Request body parsing against a capability's schemas: malformed JSON is a 400, a body that breaks its schema
a 422 naming each field."""

from __future__ import annotations

from functools import cached_property
from typing import Any

import falcon
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from productsmanager.entrypoints.falcon.input_guard import refuse_nul_fields
from productsmanager.entrypoints.falcon.problems import Problem
from productsmanager.entrypoints.falcon.schemas import Schema

MAX_BODY_BYTES = 1_048_576


class BodySchemas:
    """A capability's JSON Schemas as request bodies are checked against them, each compiled once. A schema
    may refer to the capability's other components: OpenAPI refers to `#/components/schemas/X`, a standalone
    schema keeps them under `$defs`. Formats (`uuid`, `date-time`) are checked, not only annotated: the
    document promises them."""

    def __init__(self, components: dict[str, Schema]) -> None:
        self._components = components
        self._validators: dict[str, Draft202012Validator] = {}  # a race only compiles one twice

    @cached_property
    def _defs(self) -> dict[str, Schema]:
        return _reroot(self._components)  # type: ignore[no-any-return]

    def _validator(self, name: str) -> Draft202012Validator:
        validator = self._validators.get(name)
        if validator is None:
            schema = {**_reroot(self._components[name]), "$defs": self._defs}
            validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
            self._validators[name] = validator
        return validator

    def read(self, req: falcon.Request, schema: str) -> dict[str, Any]:
        """The JSON body: malformed is a 400, too large a 413, another media type a 415, a body that breaks
        the schema a 422 naming each field."""
        if req.content_length and req.content_length > MAX_BODY_BYTES:
            raise Problem(413, "Payload too large", f"request bodies are limited to {MAX_BODY_BYTES} bytes")
        if not req.content_type or not req.content_type.startswith("application/json"):
            raise Problem(415, "Unsupported media type", "send the body as application/json")
        try:
            body = req.get_media()
        except falcon.MediaNotFoundError:
            raise Problem(400, "Invalid request", "the request body is empty") from None
        except falcon.MediaMalformedError:
            raise Problem(400, "Invalid request", "the request body is not valid JSON") from None
        refuse_nul_fields(body)
        errors = sorted(self._validator(schema).iter_errors(body), key=lambda e: list(e.path))
        if errors:
            fields = [field for e in errors for field in _fields(e)]
            raise Problem(422, "Invalid data", "; ".join(f"{f['field']}: {f['message']}" for f in fields), fields)
        return body  # type: ignore[no-any-return]

    def check_form(self, values: dict[str, str], schema: str) -> None:
        """Text fields of a multipart form, against the properties the form's schema gives them: the same
        422s naming the field as a JSON body gets (NULs included)."""
        refuse_nul_fields(values)
        properties = self._components[schema]["properties"]
        validator = Draft202012Validator({"type": "object", "properties": {k: properties[k] for k in values}})
        errors = [field for e in validator.iter_errors(values) for field in _fields(e)]
        if errors:
            raise Problem(422, "Invalid data", "; ".join(f"{f['field']}: {f['message']}" for f in errors), errors)


def _reroot(node: Any) -> Any:
    if isinstance(node, dict):
        return {
            k: (v.replace("#/components/schemas/", "#/$defs/") if k == "$ref" else _reroot(v)) for k, v in node.items()
        }
    if isinstance(node, list):
        return [_reroot(v) for v in node]
    return node


def _fields(error: ValidationError) -> list[dict[str, str | None]]:
    """One entry per unknown key: jsonschema reports them all in one error, which would name only the first."""
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        known = error.schema.get("properties", {}) if isinstance(error.schema, dict) else {}
        path = ".".join(str(p) for p in error.absolute_path)
        extras = [str(k) for k in error.instance if k not in known]
        return [{"field": f"{path}.{k}" if path else k, "message": "is not a known field"} for k in extras]
    return [{"field": _field(error), "message": _message(error)}]


def _field(error: ValidationError) -> str | None:
    path = ".".join(str(p) for p in error.absolute_path)
    if error.validator == "required":
        missing = error.message.split("'")[1]
        return f"{path}.{missing}" if path else missing
    return path or None


def _message(error: ValidationError) -> str:
    if error.validator == "required":
        return "is required"
    if error.validator == "type":
        return f"must be of type {error.validator_value}"
    if error.validator == "minProperties":
        return "give at least one field to change"
    if error.validator == "pattern" and isinstance(error.schema, dict) and "description" in error.schema:
        return f"must be {error.schema['description']}"  # the pattern itself says little to a client
    return error.message
