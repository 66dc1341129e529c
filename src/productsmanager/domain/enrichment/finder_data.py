"""A `missing_ean` row's raw cells read through its supplier's import profile, with the import's own field
rules: what the finder searches for and what a resolved row's offer holds. A cell the rules refuse (a price
that is no number) is left out rather than failing the row: the row is already one that could not be merged."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from productsmanager.domain.catalog import BRAND_MAX, NAME_MAX, SKU_MAX
from productsmanager.domain.enrichment.finder import RowData
from productsmanager.domain.imports.cells import NumberFormat
from productsmanager.domain.imports.field_rules import CellRefused, price_cell, stock_cell, text_cell
from productsmanager.domain.imports.profile import ImportProfile


def row_data(raw: Mapping[str, str], profile: ImportProfile) -> RowData:
    numbers = NumberFormat(profile.decimal_comma)
    cells = {header.strip(): value for header, value in raw.items()}

    def read(target: str, parse: Callable[[str, str], Any]) -> Any:
        column = profile.column_of(target)
        if column is None or column.strip() not in cells:
            return None
        try:
            return parse(cells[column.strip()], column)
        except CellRefused:
            return None

    return RowData(
        name=read("name", lambda value, column: text_cell(value, column, "name", NAME_MAX)),
        brand=read("brand", lambda value, column: text_cell(value, column, "brand", BRAND_MAX)),
        price=read("price", lambda value, column: price_cell(value, numbers, column)),
        stock=read("stock", lambda value, column: stock_cell(value, numbers, column)),
        sku=read("supplier_sku", lambda value, column: text_cell(value, column, "supplier_sku", SKU_MAX)),
    )
