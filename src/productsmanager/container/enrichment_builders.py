"""Builders of enrichment: a barcode provider's adapter per configuration and key."""

from __future__ import annotations

from typing import Any

from productsmanager.application.enrichment.ports import EanProvider, EanProviderFactory, RequestPacer
from productsmanager.domain.enrichment.providers import ProviderConfig


def build_ean_provider_factory(guard: Any) -> EanProviderFactory:
    """The adapter of `config.name`'s API with the decrypted key, connecting through the outbound guard; the
    adapters (and their HTTP client) are imported on first use."""

    def provider(config: ProviderConfig, api_key: str | None) -> EanProvider:
        from productsmanager.adapters.ean.factory import build_ean_provider

        return build_ean_provider(config, api_key, guard)

    return provider


def build_redis_request_pacer(client: Any) -> RequestPacer:
    from productsmanager.adapters.redis.request_pacer import RedisRequestPacer

    return RedisRequestPacer(client)
