"""One row of a results file read into what Code2ASIN records: the EAN, Amazon's item when the tool found an
ASIN, or why the row cannot count. Only the EAN and the ASIN can make a row an error: the other cells are
Amazon's description, kept when they read and left out when they do not (a price of `N/A` is no price)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal

from attrs import frozen

from productsmanager.domain.code2asin.items import AmazonItem, SalesRank
from productsmanager.domain.code2asin.marketplaces import MARKETPLACES, Marketplace
from productsmanager.domain.code2asin.results_layout import ResultsField, ResultsMapping, normalise_header
from productsmanager.domain.errors import InvalidValue
from productsmanager.domain.gtin import Gtin
from productsmanager.domain.imports.cells import cell_text
from productsmanager.domain.values import Asin, parse_price

# What the tools write where they found no ASIN (normalised): the EAN is then `not_found`, not an error.
NO_ASIN = frozenset({
    "", "0", "na", "n a", "none", "null", "nan", "not found", "no asin", "no match", "no result", "no results",
    "introuvable", "non trouve", "pas trouve", "aucun", "aucun resultat", "aucun asin", "inconnu", "unknown",
})  # fmt: skip
_URL_SPLIT = re.compile(r"[\s,;|]+")
_NUMBER = re.compile(r"\d[\d\s.,\u00a0\u202f']*")
_BY_COUNTRY = {m.country.lower(): m for m in MARKETPLACES.values()} | {"gb": MARKETPLACES["amazon.co.uk"]}


@frozen
class RowReading:
    """`gtin` None: the EAN cannot be read (`error` says why). `item` None with no `error`: no ASIN found."""

    gtin: Gtin | None
    item: AmazonItem | None = None
    error: str | None = None
    ean: str = ""  # the EAN cell as written, for the error of an unreadable one


def read_row(values: Mapping[str, object], mapping: ResultsMapping, marketplace: Marketplace) -> RowReading:
    """`values` by column header, as the import readers give them; `marketplace` where the row names none."""
    ean_text = _text(values, mapping.column_of(ResultsField.EAN))
    try:
        gtin = Gtin.parse(ean_text)
    except InvalidValue as error:
        return RowReading(None, None, error.message, ean_text[:50])
    asin_text = _text(values, mapping.column_of(ResultsField.ASIN))
    if normalise_header(asin_text) in NO_ASIN:
        return RowReading(gtin, ean=ean_text)
    try:
        asin = Asin.parse(asin_text)
    except InvalidValue as error:
        return RowReading(gtin, None, f"EAN {gtin}: {error.message}", ean_text)
    category = _text(values, mapping.column_of(ResultsField.CATEGORY)) or None
    rank = _whole(_text(values, mapping.column_of(ResultsField.SALES_RANK)))
    item = AmazonItem.of(
        asin,
        _marketplace(_text(values, mapping.column_of(ResultsField.MARKETPLACE)), marketplace).site,
        gtins=(gtin,),
        title=_text(values, mapping.column_of(ResultsField.TITLE)),
        brand=_text(values, mapping.column_of(ResultsField.BRAND)),
        category=category,
        sales_ranks=() if rank is None else (SalesRank((category or "Sales rank")[:300], rank),),
        image_urls=[
            url
            for column in mapping.columns_of(ResultsField.IMAGE_URL)
            for url in _URL_SPLIT.split(_text(values, column))
            if url
        ],
        price=price_of(_text(values, mapping.column_of(ResultsField.PRICE))),
    )
    return RowReading(gtin, item, None, ean_text)


def price_of(text: str) -> Decimal | None:
    """`12,99 €`, `EUR 1,234.50`, `1 234,50`: the last `,` or `.` followed by one or two digits is the
    decimal mark, other marks group thousands. None when no price can be read."""
    found = _NUMBER.search(text)
    if found is None:
        return None
    number = re.sub(r"[\s\u00a0\u202f']", "", found.group()).rstrip(".,")
    decimal = re.search(r"[.,](\d{1,2})$", number)
    whole = number[: decimal.start()] if decimal else number
    plain = re.sub(r"[.,]", "", whole) + (f".{decimal.group(1)}" if decimal else "")
    try:
        return parse_price(plain)
    except InvalidValue:
        return None


def _whole(text: str) -> int | None:
    """`1 234`, `#1,234`, `1234 in Toys`: the first number, grouping marks dropped."""
    found = _NUMBER.search(text)
    digits = re.sub(r"\D", "", found.group()) if found else ""
    return int(digits) if digits and len(digits) <= 12 else None


def _marketplace(text: str, default: Marketplace) -> Marketplace:
    if not text:
        return default
    try:
        return Marketplace.parse(text)
    except InvalidValue:
        return _BY_COUNTRY.get(text.strip().lower(), default)


def _text(values: Mapping[str, object], column: str | None) -> str:
    return "" if column is None else cell_text(values.get(column)).strip()
