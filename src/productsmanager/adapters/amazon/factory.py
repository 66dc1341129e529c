"""The Selling Partner API source of a configuration and its credentials."""

from __future__ import annotations

from productsmanager.adapters.amazon.catalog import SpApiCatalog
from productsmanager.adapters.amazon.login import LoginWithAmazon
from productsmanager.adapters.amazon.wire import AmazonHttp
from productsmanager.adapters.http.outbound_guard import OutboundGuard
from productsmanager.application.code2asin.config_ports import AmazonCredentials
from productsmanager.application.enrichment.ports import RequestPacer
from productsmanager.domain.code2asin.config import AmazonConfig


def build_amazon_source(
    config: AmazonConfig, credentials: AmazonCredentials, guard: OutboundGuard, pacer: RequestPacer
) -> SpApiCatalog:
    login = LoginWithAmazon(config.lwa_token_url, credentials, config.timeout_seconds, guard)
    http = AmazonHttp(config.api_endpoint, config.timeout_seconds, guard)
    return SpApiCatalog(login, pacer, config.requests_per_second, http)
