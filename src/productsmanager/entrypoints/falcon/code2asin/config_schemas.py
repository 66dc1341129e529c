"""JSON Schemas of Code2ASIN's Amazon configuration, a change to it and its test (the limits are the domain's,
`AmazonConfig`'s rules, which have the last word)."""

from __future__ import annotations

from productsmanager.application.code2asin.amazon_settings import MESSAGES
from productsmanager.domain.code2asin.config import CREDENTIAL_MAX, CREDENTIALS, RATE_RANGE, TIMEOUT_RANGE
from productsmanager.domain.code2asin.marketplaces import MARKETPLACES
from productsmanager.entrypoints.falcon.schemas import NULLABLE_TIMESTAMP, Schema, text
from productsmanager.entrypoints.falcon.validation import BodySchemas

ERROR_CODES = list(MESSAGES)
SETTINGS: dict[str, Schema] = {
    "marketplace": {**text(40), "description": f"the site searched: one of {', '.join(MARKETPLACES)}"},
    "endpoint": {**text(500), "description": "the Selling Partner API's URL; blank: the marketplace region's"},
    "token_url": {**text(500), "description": "Login with Amazon's token URL; blank: Amazon's"},
    "requests_per_second": {
        "type": "number",
        "minimum": RATE_RANGE[0],
        "maximum": RATE_RANGE[1],
        "description": "searchCatalogItems' rate for this account (Amazon's default: 2)",
    },
    "timeout_seconds": {"type": "number", "minimum": TIMEOUT_RANGE[0], "maximum": TIMEOUT_RANGE[1]},
}
_CREDENTIAL: Schema = {
    "type": ["string", "null"],
    "minLength": 1,
    "maxLength": CREDENTIAL_MAX,
    "writeOnly": True,
    "description": "stored encrypted and never returned; null removes it",
}

COMPONENTS: dict[str, Schema] = {
    "AmazonConfig": {
        "type": "object",
        "required": [
            *SETTINGS,
            "api_endpoint",
            *(f"has_{name}" for name in CREDENTIALS),
            "updated_at",
            "tested_at",
            "test_error",
        ],
        "properties": {
            **SETTINGS,
            "api_endpoint": {"type": "string", "description": "the endpoint used (the region's when blank)"},
            **{
                f"has_{name}": {"type": "boolean", "description": f"whether a {name} is stored"} for name in CREDENTIALS
            },
            "updated_at": {**NULLABLE_TIMESTAMP, "description": "null while the defaults apply"},
            "tested_at": NULLABLE_TIMESTAMP,
            "test_error": {"anyOf": [{"enum": ERROR_CODES}, {"type": "null"}], "description": "the last test's"},
        },
    },
    "AmazonConfigPut": {
        "type": "object",
        "additionalProperties": False,
        "description": "Fields given replace the stored ones, fields left out keep theirs.",
        "properties": {**SETTINGS, **{name: _CREDENTIAL for name in CREDENTIALS}},
    },
    "AmazonConfigTest": {
        "type": "object",
        "required": ["ok", "latency_ms", "error"],
        "properties": {
            "ok": {"type": "boolean"},
            "latency_ms": {"type": ["integer", "null"], "description": "null when nothing was asked"},
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
BODIES = BodySchemas(COMPONENTS)
