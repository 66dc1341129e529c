"""The field catalogue of exports: what a column can hold. Plain product fields, figures over the product's
offers, one supplier's offer (`offers.<CODE>.price|stock|sku`), one attribute (`attributes.<key>`) and image
URLs. A field name is parsed once (`ExportField.parse`) so that a bad one is refused when the export or template
is saved, never while the file is being written."""

from __future__ import annotations

import re

from attrs import frozen

from productsmanager.domain.errors import InvalidValue

PRODUCT_FIELDS: tuple[str, ...] = (
    "id", "ean", "gtin", "name", "brand", "category", "description", "asin", "odoo_product_id", "attributes",
    "created_at", "updated_at",
)  # fmt: skip
OFFER_FIGURES: tuple[str, ...] = ("best_price", "total_stock", "offer_count", "suppliers")
IMAGE_FIELDS: tuple[str, ...] = ("image_url", "thumbnail_small_url", "thumbnail_medium_url", "thumbnail_large_url")
SIMPLE_FIELDS: tuple[str, ...] = (*PRODUCT_FIELDS, *OFFER_FIGURES, *IMAGE_FIELDS)
OFFER_PARTS: tuple[str, ...] = ("price", "stock", "sku")
DEFAULT_FIELDS: tuple[str, ...] = (
    "ean", "name", "brand", "category", "asin", "best_price", "total_stock", "offer_count", "image_url",
    "updated_at",
)  # fmt: skip
NAME_MAX = 200
_SUPPLIER_CODE = re.compile(r"^[A-Za-z0-9_.-]{1,50}$")


@frozen
class ExportField:
    """`kind` is `product`, `figure`, `image`, `offer` (with `supplier` and `part`) or `attribute` (`key`)."""

    name: str
    kind: str
    supplier: str | None = None
    part: str | None = None
    key: str | None = None

    @classmethod
    def parse(cls, raw: object, field: str = "fields") -> ExportField:
        if not isinstance(raw, str) or not raw or len(raw) > NAME_MAX:
            raise InvalidValue(f"a field is a name of 1 to {NAME_MAX} characters", field=field)
        if raw in PRODUCT_FIELDS:
            return cls(raw, "product")
        if raw in OFFER_FIGURES:
            return cls(raw, "figure")
        if raw in IMAGE_FIELDS:
            return cls(raw, "image")
        head, _, rest = raw.partition(".")
        if head == "attributes" and rest and "\x00" not in rest:
            return cls(raw, "attribute", key=rest)
        if head == "offers":
            code, _, part = rest.rpartition(".")
            if _SUPPLIER_CODE.match(code) and part in OFFER_PARTS:
                return cls(f"offers.{code.upper()}.{part}", "offer", supplier=code.upper(), part=part)
        known = ", ".join(SIMPLE_FIELDS)
        raise InvalidValue(
            f"{raw!r} is not an export field; known: {known}, offers.<SUPPLIER>.price|stock|sku, attributes.<key>",
            field=field,
        )


def parse_fields(raw: object, field: str = "fields") -> tuple[ExportField, ...]:
    """A non-empty list of distinct fields (at most 500)."""
    if not isinstance(raw, list) or not raw or len(raw) > 500:
        raise InvalidValue("fields must be a list of 1 to 500 field names", field=field)
    parsed = tuple(ExportField.parse(item, f"{field}[{index}]") for index, item in enumerate(raw))
    names = [f.name for f in parsed]
    if len(set(names)) != len(names):
        raise InvalidValue("a field is listed twice", field=field)
    return parsed
