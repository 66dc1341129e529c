"""A schedule's product filter is a set of filters of the product list (`GET /api/v1/products`), kept as text:
checked here against the list's own filters, and turned into the `ProductQuery` the export pages through."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from productsmanager.application.catalog.product_reader import BOOLEAN_FILTERS, ProductQuery
from productsmanager.domain.errors import InvalidValue, ValidationFailed

TEXT_FILTERS: tuple[str, ...] = ("q", "supplier_code", "brand")
PRODUCT_FILTERS: tuple[str, ...] = (*BOOLEAN_FILTERS, *TEXT_FILTERS)
_TRUE, _FALSE = ("true", "1"), ("false", "0")


def check_filter(product_filter: Mapping[str, str]) -> None:
    """Raises `ValidationFailed` naming every key that is not a product-list filter or whose value it would
    refuse, so that a schedule never fails at run time on what could be said when it was saved."""
    errors = []
    for key, value in product_filter.items():
        field = f"product_filter.{key}"
        if key not in PRODUCT_FILTERS:
            known = ", ".join(PRODUCT_FILTERS)
            errors.append(InvalidValue(f"{key!r} is not a filter of the product list; known: {known}", field=field))
        elif key in BOOLEAN_FILTERS and value.lower() not in (*_TRUE, *_FALSE):
            errors.append(InvalidValue(f"{key!r} must be true or false, not {value!r}", field=field))
        elif key in TEXT_FILTERS and not value.strip():
            errors.append(InvalidValue(f"{key!r} must not be empty", field=field))
    if errors:
        raise ValidationFailed(errors)


def product_query(product_filter: Mapping[str, str]) -> ProductQuery:
    """The product-list query of a schedule's filter (text values, as stored); `ProductReader.ids` pages it."""
    values: dict[str, Any] = {}
    for key, value in product_filter.items():
        values[key] = value.lower() in _TRUE if key in BOOLEAN_FILTERS else value.strip()
    return ProductQuery(**values)
