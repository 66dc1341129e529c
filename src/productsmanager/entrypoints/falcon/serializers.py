"""The list envelopes every capability answers with, written once: unbounded lists are a page with the cursor
of the next one, bounded lists (a product's images, the mappings) all their items."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from productsmanager.application.pagination import Page

T = TypeVar("T")
Json = dict[str, Any]


def page(value: Page[T], item: Callable[[T], Json]) -> Json:
    return {"items": [item(entry) for entry in value.items], "next_cursor": value.next_cursor}


def listing(items: Iterable[T], item: Callable[[T], Json]) -> Json:
    return {"items": [item(entry) for entry in items]}
