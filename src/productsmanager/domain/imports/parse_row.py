"""One supplier row made into what the merge needs, or into the problem that keeps it out. Pure rules: the
same row and profile always give the same outcome, whatever reads the file."""

from __future__ import annotations

from productsmanager.domain.catalog import BRAND_MAX, CATEGORY_MAX, DESCRIPTION_MAX, NAME_MAX, SKU_MAX
from productsmanager.domain.imports.cells import NumberFormat, cell_text
from productsmanager.domain.imports.field_rules import (
    CellRefused,
    currency_cell,
    gtin_cell,
    image_url_cell,
    price_cell,
    stock_cell,
    text_cell,
)
from productsmanager.domain.imports.profile import ImportProfile
from productsmanager.domain.imports.rows import ImportRow, RowProblem, SourceRow

PRODUCT_TEXT_LIMITS = {"name": NAME_MAX, "brand": BRAND_MAX, "category": CATEGORY_MAX, "description": DESCRIPTION_MAX}


class RowParser:
    """The profile resolved once per file (which source column feeds which field, how numbers are written),
    so that parsing a row is a few dictionary lookups and the field rules. The first broken rule decides
    the row's problem, the EAN's first: a row without a product cannot be merged at all."""

    __slots__ = ("_currency", "_ean", "_image_url", "_numbers", "_price", "_sku", "_stock", "_texts")

    def __init__(self, profile: ImportProfile) -> None:
        source_of = {target: source for source, target in profile.mapping.items()}
        self._ean = source_of.get("ean")
        self._price = source_of.get("price")
        self._stock = source_of.get("stock")
        self._currency = source_of.get("currency")
        self._sku = source_of.get("supplier_sku")
        self._image_url = source_of.get("image_url")
        self._texts = tuple(
            (source_of[target], target, limit) for target, limit in PRODUCT_TEXT_LIMITS.items() if target in source_of
        )
        self._numbers = NumberFormat(profile.decimal_comma)

    def parse(self, row: SourceRow) -> ImportRow | RowProblem:
        values = row.values
        if row.refusal is not None:
            raw = {name: cell_text(value) for name, value in values.items()}
            return RowProblem(row.number, row.refusal.reason, row.refusal.message, row.refusal.column, raw)
        try:
            gtin = gtin_cell(values.get(self._ean) if self._ean else None, self._ean)
            price = price_cell(values.get(self._price), self._numbers, self._price) if self._price else None
            stock = stock_cell(values.get(self._stock), self._numbers, self._stock) if self._stock else None
            currency = currency_cell(values.get(self._currency), self._currency) if self._currency else None
            sku = text_cell(values.get(self._sku), self._sku, "supplier_sku", SKU_MAX) if self._sku else None
            image_url = image_url_cell(values.get(self._image_url), self._image_url) if self._image_url else None
            fields: dict[str, str] = {}
            for column, target, limit in self._texts:
                text = text_cell(values.get(column), column, target, limit)
                if text is not None:
                    fields[target] = text
        except CellRefused as refused:
            raw = {name: cell_text(value) for name, value in values.items()}
            return RowProblem(row.number, refused.reason, refused.message, refused.column, raw)
        return ImportRow(row.number, gtin, fields, price, currency, stock, sku, image_url)


def row_warnings(row: SourceRow) -> list[RowProblem]:
    """What the reader changed in a row, recorded as warnings next to the row's own outcome."""
    return [RowProblem(row.number, note.reason, note.message, note.column, {}, warning=True) for note in row.warnings]


def parse_row(row: SourceRow, profile: ImportProfile) -> ImportRow | RowProblem:
    """One row on its own; a file goes through one `RowParser`, which resolves the profile once."""
    return RowParser(profile).parse(row)
