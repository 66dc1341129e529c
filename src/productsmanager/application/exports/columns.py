"""A product's cells for the columns of an export: each field's value taken from the product as the catalog's
read model gives it, image URLs made by the same `MediaLinks` as the API's."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from decimal import Decimal

import orjson
from attrs import frozen

from productsmanager.application.catalog.product_reader import MediaLinks
from productsmanager.application.catalog.views import ImageRecord, ProductView
from productsmanager.domain.exports.fields import ExportField
from productsmanager.domain.exports.templates import ExportTemplate

Cell = str | int | Decimal | None
_SIZES = {"thumbnail_small_url": "small", "thumbnail_medium_url": "medium", "thumbnail_large_url": "large"}


@frozen
class Column:
    header: str
    field: ExportField | None = None
    value: str | None = None


def columns_of(fields: Sequence[str], headers: Sequence[str]) -> tuple[Column, ...]:
    """The job's columns as it recorded them: a header with `=text` holds that fixed value."""
    return tuple(
        Column(header, value=name[1:]) if name.startswith("=") else Column(header, field=ExportField.parse(name))
        for name, header in zip(fields, headers, strict=True)
    )


def recorded(template: ExportTemplate | None, fields: Sequence[ExportField]) -> tuple[list[str], list[str]]:
    """(fields, headers) to record on the job: a fixed value is kept as `=value`."""
    if template is None:
        return [f.name for f in fields], [f.name for f in fields]
    names = [c.field.name if c.field is not None else f"={c.value}" for c in template.columns]
    return names, [c.header for c in template.columns]


class Cells:
    def __init__(self, links: MediaLinks) -> None:
        self._links = links

    def row(self, columns: Sequence[Column], product: ProductView) -> list[Cell]:
        primary = _primary(product)
        return [c.value if c.field is None else self._cell(c.field, product, primary) for c in columns]

    def _cell(self, field: ExportField, product: ProductView, image: ImageRecord | None) -> Cell:
        if field.kind == "product":
            return _plain(getattr(product, field.name))
        if field.kind == "figure":
            return _FIGURES[field.name](product)
        if field.kind == "attribute":
            value = product.attributes.get(field.key or "")
            return value if isinstance(value, str) or value is None else orjson.dumps(value).decode()
        if field.kind == "offer":
            offer = next((o for o in product.offers if o.supplier_code == field.supplier), None)
            if offer is None:
                return None
            return {"price": offer.price, "stock": offer.stock, "sku": offer.supplier_sku}[field.part or "price"]
        if image is None:
            return None
        if field.name == "image_url":
            return self._links.original_url(image.id, image.storage_key)
        key = image.thumbnail_keys.get(_SIZES[field.name])
        return self._links.thumbnail_url(image.id, _SIZES[field.name], key) if key else None


def _primary(product: ProductView) -> ImageRecord | None:
    images = [i for i in product.images if isinstance(i, ImageRecord)]
    return next((i for i in images if i.is_primary), images[0] if images else None)


def _plain(value: object) -> Cell:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode() if value else None
    return value if value is None or isinstance(value, str | int | Decimal) else str(value)


def _best_price(product: ProductView) -> Cell:
    prices = [o.price for o in product.offers if o.price is not None and o.price > 0]
    return min(prices) if prices else None


_FIGURES: dict[str, Callable[[ProductView], Cell]] = {
    "best_price": _best_price,
    "total_stock": lambda p: sum(o.stock for o in p.offers),
    "offer_count": lambda p: len(p.offers),
    "suppliers": lambda p: ",".join(sorted(o.supplier_code for o in p.offers)) or None,
}
