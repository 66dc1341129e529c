"""Fakes for the Odoo import's unit tests: Odoo's records read page by page, mappings that read a brand and a
description, and a unit of work that records each call of its product values (to check a page is set-wise)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from productsmanager.application.odoo.ports import OdooConnection
from productsmanager.domain.odoo.mappings import DEFAULT_FIELD_MAPPINGS, MappingDirection, OdooFieldMapping
from productsmanager.domain.sources import Source
from tests.unit.fakes import FakeUnitOfWork


class PagedOdoo:
    """Odoo's `product.product` records, read page by page as `search_read` answers."""

    def __init__(self) -> None:
        self.records: list[dict[str, Any]] = []

    def __call__(self, connection: OdooConnection) -> PagedOdoo:
        return self

    def add(self, barcode: str | bool, name: str | bool = False, **values: Any) -> int:
        odoo_id = len(self.records) + 1
        self.records.append({"id": odoo_id, "barcode": barcode, "name": name, "default_code": False, **values})
        return odoo_id

    def search_read(self, model: str, domain: list[Any], fields: list[str], **paging: Any) -> list[dict[str, Any]]:
        offset, limit = paging["offset"], paging["limit"]
        return [{k: r[k] for k in ("id", *fields) if k in r} for r in self.records[offset : offset + limit]]


class BrandAndDescription:
    """The default mappings, and Odoo's `x_brand` and `description_sale` read as brand and description."""

    def effective(self) -> tuple[tuple[OdooFieldMapping, ...], tuple[()], tuple[()]]:
        extra = (
            OdooFieldMapping("brand", "x_brand", MappingDirection.IMPORT),
            OdooFieldMapping("description", "description_sale"),
        )
        return DEFAULT_FIELD_MAPPINGS + extra, (), ()


class CountingValues:
    """The unit of work's product values, with each call recorded (to check the page is set-wise)."""

    def __init__(self, inner: Any, calls: list[tuple[str, int, bool | None]]) -> None:
        self._inner, self._calls = inner, calls

    def give(self, source: Source, values: Any, at: Any) -> None:
        self._calls.append(("give", len(values), None))
        self._inner.give(source, values, at)

    def resolve(self, product_ids: Sequence[uuid.UUID], *args: Any, **kwargs: Any) -> set[uuid.UUID]:
        self._calls.append(("resolve", len(product_ids), kwargs.get("created", False)))
        return set(self._inner.resolve(product_ids, *args, **kwargs))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


class CountingUnitOfWork(FakeUnitOfWork):
    def __init__(self) -> None:
        super().__init__()
        self.value_calls: list[tuple[str, int, bool | None]] = []

    def __enter__(self) -> CountingUnitOfWork:
        super().__enter__()
        self.product_values = CountingValues(self.product_values, self.value_calls)  # type: ignore[assignment]
        return self
