"""Builders of Code2ASIN's Amazon access: the Selling Partner API adapter per configuration and credentials."""

from __future__ import annotations

from typing import Any

from productsmanager.application.code2asin.config_ports import AmazonCredentials, AmazonSourceBuilder
from productsmanager.application.code2asin.ports import AsinSource
from productsmanager.domain.code2asin.config import AmazonConfig


def build_amazon_source_builder(guard: Any, pacer: Any) -> AmazonSourceBuilder:
    """The adapter of a configuration with its decrypted credentials, connecting through the outbound guard and
    paced by the shared request pacer; the adapter (and its HTTP client) is imported on first use."""

    def source(config: AmazonConfig, credentials: AmazonCredentials) -> AsinSource:
        from productsmanager.adapters.amazon.factory import build_amazon_source

        return build_amazon_source(config, credentials, guard, pacer)

    return source
