"""The fake barcode providers over HTTP, configured in a backend as its enabled providers (each with its key
and the fake's base URL): what the lookup and lookup job tests start from."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from productsmanager.domain.enrichment.providers import ProviderName
from tests.integration.fake_ean_providers import KEYS, FakeEanProviders, fake_ean_server
from tests.integration.helpers import Backend

THRILLER, WALKMAN, UNKNOWN = "5099750442227", "012345678905", "4006381333931"
IMAGES = ("https://img.example/thriller-front.jpg", "http://img.example/thriller-back.jpg")


@contextmanager
def lookup_world(
    backend: Backend, *names: ProviderName, images: tuple[str, ...] = IMAGES
) -> Iterator[FakeEanProviders]:
    """The fakes know THRILLER (with `images`) and WALKMAN, not UNKNOWN; `names` (default: all) are enabled."""
    with fake_ean_server() as fake:
        fake.add(THRILLER, "Thriller", brand="Epic", category="Music", images=images, asin="B000002AGZ")
        fake.add(WALKMAN, "Sony Walkman WM-2", brand="Sony", category="Electronics")
        settings = backend.container.ean_provider_settings()
        for priority, name in enumerate(names or tuple(ProviderName), start=1):
            body = {"enabled": True, "priority": priority, "base_url": fake.base_url(name), "timeout_seconds": 2}
            settings.update(name.value, {**body, "requests_per_minute": 6000, "api_key": KEYS[name]}, None)
        yield fake
