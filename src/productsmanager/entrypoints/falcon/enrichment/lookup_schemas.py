"""JSON Schemas of EAN lookups: one EAN asked now, and the stats."""

from __future__ import annotations

from productsmanager.domain.enrichment.answers import Outcome
from productsmanager.domain.enrichment.providers import ProviderName
from productsmanager.entrypoints.falcon.schemas import TIMESTAMP, Schema, ref, text

PROVIDER_NAME: Schema = {"type": "string", "enum": [name.value for name in ProviderName]}
NULLABLE_TEXT: Schema = {"type": ["string", "null"]}
COUNT: Schema = {"type": "integer", "minimum": 0}

PRODUCT: Schema = {
    "type": "object",
    "required": ["name", "brand", "category", "description", "image_urls", "asin", "provider", "confidence"],
    "properties": {
        "name": NULLABLE_TEXT,
        "brand": NULLABLE_TEXT,
        "category": NULLABLE_TEXT,
        "description": NULLABLE_TEXT,
        "image_urls": {"type": "array", "items": {"type": "string"}},
        "asin": NULLABLE_TEXT,
        "provider": PROVIDER_NAME,
        "confidence": {"type": "number", "minimum": 0, "maximum": 1},
    },
}
ANSWER_ERROR: Schema = {
    "anyOf": [
        {
            "type": "object",
            "required": ["code", "message"],
            "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
        },
        {"type": "null"},
    ]
}

COMPONENTS: dict[str, Schema] = {
    "EanLookupRequest": {
        "type": "object",
        "additionalProperties": False,
        "required": ["ean"],
        "properties": {"ean": {**text(64), "description": "EAN-13, UPC-A, EAN-8 or GTIN-14"}},
    },
    "EanProduct": PRODUCT,
    "EanLookupResult": {
        "type": "object",
        "required": ["gtin", "result", "answers"],
        "properties": {
            "gtin": {"type": "string", "description": "the GTIN in its shortest standard form"},
            "result": {
                "anyOf": [ref("EanProduct"), {"type": "null"}],
                "description": "the winning answer, or the answers merged field by field; null when none found",
            },
            "answers": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["provider", "outcome", "cached", "error", "latency_ms"],
                    "properties": {
                        "provider": PROVIDER_NAME,
                        "outcome": {"enum": [outcome.value for outcome in Outcome]},
                        "cached": {"type": "boolean"},
                        "error": ANSWER_ERROR,
                        "latency_ms": {"type": ["integer", "null"]},
                    },
                },
            },
        },
    },
    "EanLookupStats": {
        "type": "object",
        "required": ["since", "lookups", "found", "not_found", "errors", "cache_hit_rate", "providers"],
        "properties": {
            "since": TIMESTAMP,
            "lookups": COUNT,
            "found": COUNT,
            "not_found": COUNT,
            "errors": COUNT,
            "cache_hit_rate": {"type": ["number", "null"], "description": "null when nothing was asked"},
            "providers": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["provider", "requests", "found", "errors", "median_latency_ms", "credits_left"],
                    "properties": {
                        "provider": PROVIDER_NAME,
                        "requests": COUNT,
                        "found": COUNT,
                        "errors": COUNT,
                        "median_latency_ms": {"type": ["integer", "null"]},
                        "credits_left": {"type": ["integer", "null"]},
                    },
                },
            },
        },
    },
}
