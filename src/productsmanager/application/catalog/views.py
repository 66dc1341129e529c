"""Read-side shapes of the catalog, as the API and embedding services see them."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from attrs import frozen


@frozen
class OfferView:
    supplier_id: uuid.UUID
    supplier_code: str
    supplier_name: str
    supplier_sku: str | None
    price: Decimal | None
    currency: str
    stock: int
    updated_at: datetime


@frozen
class ImageRecord:
    """A stored image as the database records it: keys, never URLs (those depend on the store)."""

    id: uuid.UUID
    file_name: str | None
    storage_key: str
    is_primary: bool
    thumbnail_keys: dict[str, str]


@frozen
class ImageView:
    id: uuid.UUID
    file_name: str | None
    file_url: str
    is_primary: bool
    thumbnails: dict[str, str | None]


@frozen
class ProductView:
    id: uuid.UUID
    ean: str
    gtin: str
    name: str
    brand: str | None
    category: str | None
    description: str | None
    asin: str | None
    odoo_product_id: int | None
    attributes: dict[str, Any]
    created_at: datetime
    updated_at: datetime
    offers: tuple[OfferView, ...] = ()
    images: tuple[ImageRecord, ...] | tuple[ImageView, ...] = ()
