"""The EAN export as an Excel-compatible CSV file (see `excel_csv`): its filters, read as the product list
reads them (every bad value a 400 naming its parameter), and its streamed body."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import falcon

from productsmanager.application.catalog.product_reader import BOOLEAN_FILTERS, ProductQuery
from productsmanager.application.code2asin.ean_export import HEADER, EanExport
from productsmanager.application.excel_csv import excel_csv, timestamped_name
from productsmanager.entrypoints.falcon.problems import bad_request
from productsmanager.entrypoints.falcon.requests import boolean, single
from productsmanager.entrypoints.falcon.routing import QueryParam, flag

TEXT_FILTERS = ("q", "supplier_code", "brand")
TEXT_MAX = 500
EXPORT_PARAMS = (
    *(flag(name) for name in BOOLEAN_FILTERS),
    QueryParam(name="q", description="name or brand containing it, or an EAN starting with it"),
    QueryParam(name="supplier_code"),
    QueryParam(name="brand"),
)


def export_query(req: falcon.Request) -> ProductQuery:
    values: dict[str, Any] = {name: boolean(req, name) for name in BOOLEAN_FILTERS}
    for name in TEXT_FILTERS:
        raw = single(req, name)
        if raw is not None and len(raw) > TEXT_MAX:
            raise bad_request(name, f"'{name}' is too long")
        values[name] = raw or None
    return ProductQuery(**values)


def export_file_name(now: datetime) -> str:
    return timestamped_name("eans", now)


def csv_body(export: EanExport, query: ProductQuery) -> Iterator[bytes]:
    return excel_csv(HEADER, export.rows(query))
