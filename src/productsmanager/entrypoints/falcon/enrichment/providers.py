"""The barcode providers: every one, one, an administrator's change to one, and its test."""

from __future__ import annotations

from collections.abc import Callable

import falcon

from productsmanager.application.enrichment.ean_provider_settings import EanProviderSettings, provider_name
from productsmanager.entrypoints.falcon.enrichment import serializers
from productsmanager.entrypoints.falcon.enrichment.schemas import BODIES
from productsmanager.entrypoints.falcon.requests import respond


class EanProvidersResource:
    def __init__(self, settings: Callable[[], EanProviderSettings]) -> None:
        self._settings = settings

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        respond(resp, serializers.providers(self._settings().list()))


class EanProviderResource:
    def __init__(self, settings: Callable[[], EanProviderSettings]) -> None:
        self._settings = settings

    def on_get(self, req: falcon.Request, resp: falcon.Response, provider: str) -> None:
        respond(resp, serializers.provider(self._settings().get(provider)))

    def on_put(self, req: falcon.Request, resp: falcon.Response, provider: str) -> None:
        """The provider is checked before the body: an unknown one is a 404, whatever the body."""
        provider_name(provider)
        body = BODIES.read(req, "EanProviderPut")
        respond(resp, serializers.provider(self._settings().update(provider, body, req.context.user.id)))


class EanProviderTestResource:
    def __init__(self, settings: Callable[[], EanProviderSettings]) -> None:
        self._settings = settings

    def on_post(self, req: falcon.Request, resp: falcon.Response, provider: str) -> None:
        """200 whatever the provider answered."""
        respond(resp, serializers.test(self._settings().test(provider)))
