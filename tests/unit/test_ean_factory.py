"""`build_ean_provider`: the adapter of each provider, built without connecting, and no request at all while no
API key is set (the outbound guard's resolver is never asked)."""

from __future__ import annotations

from typing import Any

import pytest

from productsmanager.adapters.ean.barcode_lookup import BarcodeLookupProvider
from productsmanager.adapters.ean.ean_search import EanSearchProvider
from productsmanager.adapters.ean.factory import build_ean_provider
from productsmanager.adapters.ean.go_upc import GoUpcProvider
from productsmanager.adapters.http.outbound_guard import OutboundGuard
from productsmanager.application.enrichment.ports import ProviderBadKey
from productsmanager.domain.enrichment.providers import ProviderConfig, ProviderName
from productsmanager.domain.gtin import Gtin

ADAPTERS = {
    ProviderName.EAN_SEARCH: EanSearchProvider,
    ProviderName.BARCODE_LOOKUP: BarcodeLookupProvider,
    ProviderName.GO_UPC: GoUpcProvider,
}


def no_resolution(*args: Any) -> list[tuple[Any, ...]]:
    raise AssertionError(f"nothing may be resolved: {args!r}")


@pytest.mark.parametrize("name", list(ProviderName))
@pytest.mark.parametrize("key", [None, "", "  "])
def test_without_a_key_every_call_is_bad_key_before_any_request(name: ProviderName, key: str | None) -> None:
    adapter = build_ean_provider(ProviderConfig(name), key, OutboundGuard(resolver=no_resolution))
    assert isinstance(adapter, ADAPTERS[name])  # an empty base URL is the provider's own
    with pytest.raises(ProviderBadKey, match="no API key"):
        adapter.lookup(Gtin.parse("5099750442227"))
    with pytest.raises(ProviderBadKey):
        adapter.status()
    if name.searches_text:
        with pytest.raises(ProviderBadKey):
            adapter.search("thriller")
    else:
        assert adapter.search("thriller") == []
