"""JSON Schemas of enrichment: the barcode providers, a change to one, and a provider's test (the limits are
the domain's, `ProviderConfig`'s rules, which has the last word), with those of lookups and lookup jobs."""

from __future__ import annotations

from productsmanager.application.enrichment.ean_provider_settings import API_KEY_MAX
from productsmanager.domain.enrichment.providers import ProviderName
from productsmanager.entrypoints.falcon.enrichment.finder_schemas import FINDER_COMPONENTS
from productsmanager.entrypoints.falcon.enrichment.job_schemas import COMPONENTS as JOBS
from productsmanager.entrypoints.falcon.enrichment.lookup_schemas import COMPONENTS as LOOKUPS
from productsmanager.entrypoints.falcon.schemas import NULLABLE_TIMESTAMP, Schema, list_of, text, whole
from productsmanager.entrypoints.falcon.validation import BodySchemas

# The provider named in the path: one of those the domain knows (any other is a 404).
PROVIDER: Schema = {"type": "string", "enum": [name.value for name in ProviderName]}
ERROR_CODES = ["bad_key", "rate_limited", "unreachable", "unexpected"]


def _number(low: float, high: float) -> Schema:
    return {"type": "number", "minimum": low, "maximum": high}


SETTINGS: dict[str, Schema] = {
    "enabled": {"type": "boolean"},
    "priority": {**whole(1, 100), "description": "lower is asked first"},
    "confidence": {**_number(0, 1), "description": "how far the provider's answers are trusted"},
    "timeout_seconds": _number(0.5, 120),
    "requests_per_minute": whole(1, 100_000),
    "base_url": {**text(500), "description": "http or https, without user or password"},
}

PROVIDERS: dict[str, Schema] = {
    "EanProvider": {
        "type": "object",
        "required": ["id", "name", *SETTINGS, "has_key", "updated_at"],
        "properties": {
            "id": PROVIDER,
            "name": {"type": "string"},
            **SETTINGS,
            "has_key": {"type": "boolean", "description": "whether an API key is stored (it is never returned)"},
            "updated_at": {**NULLABLE_TIMESTAMP, "description": "null while the defaults apply"},
        },
    },
    "EanProviderList": list_of("EanProvider"),
    "EanProviderPut": {
        "type": "object",
        "additionalProperties": False,
        "description": "Fields given replace the stored ones, fields left out keep theirs.",
        "properties": {
            **SETTINGS,
            "api_key": {
                "type": ["string", "null"],
                "minLength": 1,
                "maxLength": API_KEY_MAX,
                "writeOnly": True,
                "description": "sets the key (stored encrypted, never returned); null removes it",
            },
        },
    },
    "EanProviderTest": {
        "type": "object",
        "required": ["ok", "latency_ms", "credits_left", "error"],
        "properties": {
            "ok": {"type": "boolean"},
            "latency_ms": {"type": ["integer", "null"], "description": "null when nothing was asked"},
            "credits_left": {"type": ["integer", "null"], "description": "where the provider tells"},
            "error": {
                "anyOf": [
                    {
                        "type": "object",
                        "required": ["code", "message"],
                        "properties": {"code": {"enum": ERROR_CODES}, "message": {"type": "string"}},
                    },
                    {"type": "null"},
                ]
            },
        },
    },
}
COMPONENTS: dict[str, Schema] = {**PROVIDERS, **LOOKUPS, **JOBS}
COMPONENTS.update(FINDER_COMPONENTS)
BODIES = BodySchemas(COMPONENTS)
