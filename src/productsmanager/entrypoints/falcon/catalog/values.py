"""Where a product's values come from: withdrawing a person's value, the sources of each field, the history."""

from __future__ import annotations

from collections.abc import Callable

import falcon

from productsmanager.application.catalog.product_editor import ProductEditor
from productsmanager.application.catalog.product_history import ProductHistory
from productsmanager.application.catalog.product_sources import ProductSources
from productsmanager.entrypoints.falcon import serializers as envelopes
from productsmanager.entrypoints.falcon.catalog import serializers
from productsmanager.entrypoints.falcon.catalog.history_query import history_query
from productsmanager.entrypoints.falcon.requests import path_uuid, person, respond


class ProductValueResource:
    def __init__(self, editor: Callable[[], ProductEditor]) -> None:
        self._editor = editor

    def on_delete(self, req: falcon.Request, resp: falcon.Response, product_id: str, field: str) -> None:
        product = self._editor().withdraw_value_and_show(path_uuid(product_id, "product"), field, actor=person(req))
        respond(resp, serializers.product(product))


class ProductSourcesResource:
    def __init__(self, sources: Callable[[], ProductSources]) -> None:
        self._sources = sources

    def on_get(self, req: falcon.Request, resp: falcon.Response, product_id: str) -> None:
        fields = self._sources().get(path_uuid(product_id, "product"))
        respond(resp, envelopes.listing(fields, serializers.field_sources))


class ProductHistoryResource:
    def __init__(self, history: Callable[[], ProductHistory]) -> None:
        self._history = history

    def on_get(self, req: falcon.Request, resp: falcon.Response, product_id: str) -> None:
        query = history_query(req)
        page = self._history().page(
            path_uuid(product_id, "product"),
            limit=query.limit,
            cursor=query.cursor,
            field=query.field,
            source=query.source,
        )
        respond(resp, envelopes.page(page, serializers.value_change))
