"""Builds the adapter of a provider configuration: the container binds `guard` and hands the rest of the
application an `EanProviderFactory` (`functools.partial(build_ean_provider, guard=guard)`)."""

from __future__ import annotations

from productsmanager.adapters.ean.barcode_lookup import BarcodeLookupProvider
from productsmanager.adapters.ean.ean_search import EanSearchProvider
from productsmanager.adapters.ean.go_upc import GoUpcProvider
from productsmanager.adapters.http.outbound_guard import OutboundGuard
from productsmanager.application.enrichment.ports import EanProvider
from productsmanager.domain.enrichment.providers import ProviderConfig, ProviderName

ADAPTERS = {
    ProviderName.EAN_SEARCH: EanSearchProvider,
    ProviderName.BARCODE_LOOKUP: BarcodeLookupProvider,
    ProviderName.GO_UPC: GoUpcProvider,
}


def build_ean_provider(config: ProviderConfig, api_key: str | None, guard: OutboundGuard) -> EanProvider:
    """The adapter speaking `config.name`'s API at `config.base_url` (the provider's own when empty) with
    `config.timeout_seconds` and `config.confidence`, every connection through `guard`. Cheap: nothing is
    connected before a call, so one may be built per lookup. Without `api_key` every call is `ProviderBadKey`,
    before any request."""
    adapter: EanProvider = ADAPTERS[config.name](config, api_key, guard)
    return adapter
