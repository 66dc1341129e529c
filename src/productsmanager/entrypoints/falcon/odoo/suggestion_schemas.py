"""JSON Schemas of the mapping suggestions: what is proposed for each catalog field, and the choices accepted."""

from __future__ import annotations

from productsmanager.application.odoo.mapping_suggestions import MAX_CHOICES
from productsmanager.domain.odoo.mappings import LOCAL_FIELDS
from productsmanager.entrypoints.falcon.odoo.mapping_schemas import DIRECTIONS, TRANSFORM
from productsmanager.entrypoints.falcon.schemas import Schema, list_of, ref

NULLABLE_STRING: Schema = {"type": ["string", "null"]}


def suggestion_components() -> dict[str, Schema]:
    choice = {
        "local_field": {"enum": list(LOCAL_FIELDS)},
        "odoo_field": {"type": "string", "maxLength": 63},
        "direction": {"enum": DIRECTIONS},
        "transform": TRANSFORM,
    }
    return {
        "OdooFieldSuggestion": {
            "type": "object",
            "properties": {
                "odoo_field": {"type": "string"},
                "string": {"type": "string", "description": "the field's label in Odoo"},
                "type": {"type": "string"},
                "relation": NULLABLE_STRING,
                "score": {"type": "number", "minimum": 0, "maximum": 1},
                "name_score": {"type": "number", "minimum": 0, "maximum": 1},
                "agreement": {
                    "type": ["object", "null"],
                    "description": "null when no product is linked to an Odoo record",
                    "properties": {
                        "agreeing": {"type": "integer"},
                        "sample_size": {"type": "integer"},
                        "share": {"type": "number"},
                    },
                },
                "reasons": {"type": "array", "items": {"type": "string"}},
            },
        },
        "OdooCatalogFieldSuggestions": {
            "type": "object",
            "properties": {
                "local_field": {"enum": list(LOCAL_FIELDS)},
                "suggestions": {"type": "array", "items": ref("OdooFieldSuggestion")},
            },
        },
        "OdooFieldMappingSuggestions": {
            **list_of("OdooCatalogFieldSuggestions"),
            "description": "For each catalog field a mapping can target, Odoo's product fields best first (at most "
            "5): name likeness in English and French, only types that can carry the field, and how often the "
            "values already agree on up to 200 products linked to Odoo records",
            "properties": {
                "items": {"type": "array", "items": ref("OdooCatalogFieldSuggestions")},
                "sample_size": {"type": "integer", "description": "linked products the values were compared on"},
            },
        },
        "OdooSuggestionsAccept": {
            "type": "array",
            "description": "The chosen suggestions, saved as field mappings all or nothing (direction defaults to "
            "both, transform to none)",
            "minItems": 1,
            "maxItems": MAX_CHOICES,
            "items": {
                "type": "object",
                "required": ["local_field", "odoo_field"],
                "additionalProperties": False,
                "properties": choice,
            },
        },
        "OdooSuggestionsAccepted": list_of("OdooFieldMapping"),
    }
