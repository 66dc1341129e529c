"""The barcode providers as JSON (never the key: `has_key`), and a provider's test."""

from __future__ import annotations

from typing import Any

from productsmanager.application.enrichment.ean_provider_settings import ConfiguredProvider, ProviderTest
from productsmanager.entrypoints.falcon.serializers import listing

Json = dict[str, Any]


def provider(value: ConfiguredProvider) -> Json:
    config = value.config
    return {
        "id": config.name.value,
        "name": config.name.label,
        "enabled": config.enabled,
        "priority": config.priority,
        "confidence": config.confidence,
        "timeout_seconds": config.timeout_seconds,
        "requests_per_minute": config.requests_per_minute,
        "base_url": config.base_url,
        "has_key": config.has_key,
        "updated_at": value.updated_at,
    }


def providers(values: list[ConfiguredProvider]) -> Json:
    return listing(values, provider)


def test(value: ProviderTest) -> Json:
    """A failed test is a result: `ok` false and the error's stable `code`."""
    error = None if value.error_code is None else {"code": value.error_code, "message": value.message or ""}
    return {"ok": value.ok, "latency_ms": value.latency_ms, "credits_left": value.credits_left, "error": error}
