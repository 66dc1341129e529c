"""A lookup's outcome and the lookup stats as JSON."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from productsmanager.domain.enrichment.answers import LookupOutcome, LookupSummary, ProviderAnswer, ProviderFigures
from productsmanager.domain.enrichment.providers import EanProduct

Json = dict[str, Any]


def product(value: EanProduct | None) -> Json | None:
    if value is None:
        return None
    return {
        "name": value.name,
        "brand": value.brand,
        "category": value.category,
        "description": value.description,
        "image_urls": list(value.image_urls),
        "asin": value.asin,
        "provider": value.provider.value,
        "confidence": value.confidence,
    }


def answer(value: ProviderAnswer) -> Json:
    error = None if value.error_code is None else {"code": value.error_code, "message": value.message or ""}
    return {
        "provider": value.provider.value,
        "outcome": value.outcome.value,
        "cached": value.cached,
        "error": error,
        "latency_ms": value.latency_ms,
    }


def outcome(value: LookupOutcome) -> Json:
    return {"gtin": value.gtin.display, "result": product(value.result), "answers": [answer(a) for a in value.answers]}


def figures(value: ProviderFigures) -> Json:
    """`credits_left`: what the provider's last successful test said (`POST …/providers/{id}/test`); null
    before one, and for a provider that does not tell (Go-UPC)."""
    return {
        "provider": value.provider.value,
        "requests": value.requests,
        "found": value.found,
        "errors": value.errors,
        "median_latency_ms": value.median_latency_ms,
        "credits_left": value.credits_left,
    }


def stats(since: datetime, value: LookupSummary) -> Json:
    return {
        "since": since,
        "lookups": value.lookups,
        "found": value.found,
        "not_found": value.not_found,
        "errors": value.errors,
        "cache_hit_rate": value.cache_hit_rate,
        "providers": [figures(entry) for entry in value.providers],
    }
