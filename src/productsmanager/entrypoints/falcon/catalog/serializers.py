"""Products, offers, suppliers, a product's sources and its history as JSON (snake_case, ISO-8601 UTC, UUIDs
and decimals as strings; values as the JSON they are)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from productsmanager.application.catalog.product_sources import FieldSources
from productsmanager.application.catalog.views import ImageView, OfferView, ProductView
from productsmanager.domain.catalog import Supplier
from productsmanager.domain.history import ValueChange
from productsmanager.domain.precedence import RankedCandidate


def price_text(price: Decimal | None) -> str | None:
    """At least two places (`12.90`), more only when they carry information (`0.1234`)."""
    if price is None:
        return None
    return f"{price:.2f}" if price == price.quantize(Decimal("0.01")) else format(price.normalize(), "f")


def offer(view: OfferView) -> dict[str, Any]:
    return {
        "supplier_id": view.supplier_id,
        "supplier_code": view.supplier_code,
        "supplier_name": view.supplier_name,
        "supplier_sku": view.supplier_sku,
        "price": price_text(view.price),
        "currency": view.currency,
        "stock": view.stock,
        "updated_at": view.updated_at,
    }


def image(view: ImageView) -> dict[str, Any]:
    return {
        "id": view.id,
        "file_name": view.file_name,
        "file_url": view.file_url,
        "is_primary": view.is_primary,
        "thumbnails": view.thumbnails,
    }


def product(view: ProductView) -> dict[str, Any]:
    return {
        "id": view.id,
        "ean": view.ean,
        "gtin": view.gtin,
        "name": view.name,
        "brand": view.brand,
        "category": view.category,
        "description": view.description,
        "asin": view.asin,
        "odoo_product_id": view.odoo_product_id,
        "attributes": view.attributes,
        "created_at": view.created_at,
        "updated_at": view.updated_at,
        "offers": [offer(o) for o in view.offers],
        "images": [image(i) for i in view.images if isinstance(i, ImageView)],
    }


def supplier(value: Supplier) -> dict[str, Any]:
    return {
        "id": value.id,
        "code": value.code,
        "name": value.name,
        "is_active": value.is_active,
        "created_at": value.created_at,
        "updated_at": value.updated_at,
    }


def field_sources(view: FieldSources) -> dict[str, Any]:
    return {
        "field": view.field,
        "value": view.value,
        "source": None if view.source is None else str(view.source),
        "candidates": [candidate(ranked) for ranked in view.candidates],
    }


def candidate(ranked: RankedCandidate) -> dict[str, Any]:
    value = ranked.candidate
    return {
        "source": str(value.source),
        "value": value.value,
        "given_at": value.given_at,
        "first_given_at": value.first_given_at,
        "standing": str(ranked.standing),
        "wins": ranked.wins,
    }


def value_change(change: ValueChange) -> dict[str, Any]:
    return {
        "field": change.field,
        "old": change.old,
        "new": change.new,
        "source": str(change.source),
        "actor": change.actor.to_json(),
        "changed_at": change.changed_at,
    }
