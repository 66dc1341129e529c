"""Schema helpers every capability's JSON Schemas are written with: identifiers, timestamps, bounded texts,
references, list envelopes and the problem document. One definition each, so that the schemas of all
capabilities say the same thing the same way."""

from __future__ import annotations

from typing import Any

from productsmanager.domain.users import Role

Schema = dict[str, Any]

INT32_MAX = 2**31 - 1
SUPPLIER_CODE_MAX = 50  # suppliers.code and import_jobs.supplier_code
# As `parse_supplier_code` reads it: trimmed, any case, 1-50 letters, digits, '_', '.' or '-' (else 422).
SUPPLIER_CODE: Schema = {"type": "string", "pattern": r"^\s*[A-Za-z0-9][A-Za-z0-9_.-]{0,49}\s*$"}

UUID: Schema = {"type": "string", "format": "uuid"}
TIMESTAMP: Schema = {"type": "string", "format": "date-time"}
NULLABLE_TIMESTAMP: Schema = {"anyOf": [TIMESTAMP, {"type": "null"}]}
NULLABLE_UUID: Schema = {"anyOf": [UUID, {"type": "null"}]}
NULLABLE_TEXT: Schema = {"type": ["string", "null"]}
DECIMAL: Schema = {"type": ["string", "number", "null"], "description": "decimal, sent as a string"}
# Highest first, as the document has always listed them.
ROLE: Schema = {"enum": [role.value for role in reversed(Role)]}

NOT_NUL: Schema = {"type": "string", "pattern": "\\x00"}  # patterns search: a text holding a NUL, refused
NO_NUL: Schema = {"type": "string", "not": NOT_NUL}


def text(max_length: int, nullable: bool = False) -> Schema:
    return {"type": ["string", "null"] if nullable else "string", "maxLength": max_length}


def whole(low: int, high: int, nullable: bool = False) -> Schema:
    return {"type": ["integer", "null"] if nullable else "integer", "minimum": low, "maximum": high}


def ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def page_of(item: str) -> Schema:
    """An unbounded list: a page of items and the cursor of the next one."""
    return {
        "type": "object",
        "required": ["items", "next_cursor"],
        "properties": {"items": {"type": "array", "items": ref(item)}, "next_cursor": NULLABLE_TEXT},
    }


def list_of(item: str, *, required: bool = True) -> Schema:
    """A bounded list: every item at once."""
    listing: Schema = {"type": "object", "properties": {"items": {"type": "array", "items": ref(item)}}}
    return {**listing, "required": ["items"]} if required else listing


PROBLEM: Schema = {
    "type": "object",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {"type": "object", "properties": {"field": NULLABLE_TEXT, "message": {"type": "string"}}},
        },
    },
}


def merged(*groups: dict[str, Schema]) -> dict[str, Schema]:
    """Components of several capabilities as one mapping; a name given twice is a mistake, refused here."""
    components: dict[str, Schema] = {}
    for group in groups:
        twice = components.keys() & group.keys()
        if twice:
            raise ValueError(f"schema names declared twice: {sorted(twice)}")
        components.update(group)
    return components
