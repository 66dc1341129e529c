"""Write-side repositories of the catalog, translating rows to domain objects and back."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Connection, bindparam, delete, func, insert, select, update
from sqlalchemy.engine import RowMapping

from productsmanager.adapters.sqlalchemy.integrity import conflict_on_duplicate
from productsmanager.adapters.sqlalchemy.odoo_link_repository import write_default_link
from productsmanager.adapters.sqlalchemy.tables import products, supplier_offers, suppliers
from productsmanager.domain.catalog import Product, Supplier, SupplierOffer
from productsmanager.domain.gtin import Gtin
from productsmanager.domain.values import Asin


class SqlAlchemySupplierRepository:
    def __init__(self, connection: Connection) -> None:
        self._conn = connection

    def add(self, supplier: Supplier) -> None:
        with conflict_on_duplicate(f"supplier code {supplier.code} is taken", "code"):
            self._conn.execute(insert(suppliers).values(**_supplier_values(supplier)))

    def get(self, supplier_id: uuid.UUID) -> Supplier | None:
        row = self._conn.execute(select(suppliers).where(suppliers.c.id == supplier_id)).mappings().first()
        return Supplier(**row) if row else None

    def get_by_code(self, code: str) -> Supplier | None:
        row = self._conn.execute(select(suppliers).where(suppliers.c.code == code)).mappings().first()
        return Supplier(**row) if row else None

    def list(self, limit: int, after_code: str | None) -> list[Supplier]:
        query = select(suppliers).order_by(suppliers.c.code).limit(limit)
        if after_code is not None:
            query = query.where(suppliers.c.code > after_code)
        return [Supplier(**row) for row in self._conn.execute(query).mappings()]

    def update(self, supplier: Supplier) -> None:
        values = _supplier_values(supplier)
        with conflict_on_duplicate(f"supplier code {supplier.code} is taken", "code"):
            self._conn.execute(update(suppliers).where(suppliers.c.id == supplier.id).values(**values))

    def delete(self, supplier_id: uuid.UUID) -> None:
        self._conn.execute(delete(suppliers).where(suppliers.c.id == supplier_id))

    def count_offers(self, supplier_id: uuid.UUID) -> int:
        query = select(func.count()).where(supplier_offers.c.supplier_id == supplier_id)
        return int(self._conn.execute(query).scalar_one())


_LOCKED = select(products.c.id).where(products.c.id == bindparam("product_id")).with_for_update()


class SqlAlchemyProductRepository:
    def __init__(self, connection: Connection) -> None:
        self._conn = connection

    def add(self, product: Product) -> None:
        with conflict_on_duplicate(f"a product with EAN {product.gtin.display} already exists", "ean"):
            self._conn.execute(insert(products).values(**_product_values(product)))
        if product.odoo_product_id is not None:
            write_default_link(self._conn, product.id, product.odoo_product_id, product.updated_at)

    def get(self, product_id: uuid.UUID) -> Product | None:
        return self._one(select(products).where(products.c.id == product_id))

    def get_by_gtin(self, gtin: Gtin) -> Product | None:
        return self._one(select(products).where(products.c.gtin == gtin.canonical))

    def lock(self, product_id: uuid.UUID) -> bool:
        """PostgreSQL: a row lock. SQLite has none: a no-op UPDATE takes its database write lock (waiting on
        busy_timeout), which must come first in the transaction so that no older snapshot blocks it."""
        if self._conn.dialect.name == "sqlite":
            statement: Any = update(products).where(products.c.id == product_id).values(id=products.c.id)
            return bool(self._conn.execute(statement).rowcount)
        return self._conn.execute(_LOCKED, {"product_id": product_id}).first() is not None

    def update(self, product: Product) -> None:
        values = _product_values(product)
        with conflict_on_duplicate(f"a product with EAN {product.gtin.display} already exists", "ean"):
            self._conn.execute(update(products).where(products.c.id == product.id).values(**values))
        write_default_link(self._conn, product.id, product.odoo_product_id, product.updated_at)

    def delete(self, product_id: uuid.UUID) -> None:
        self._conn.execute(delete(products).where(products.c.id == product_id))

    def _one(self, query: Any) -> Product | None:
        row = self._conn.execute(query).mappings().first()
        return product_from_row(row) if row else None


class SqlAlchemyOfferRepository:
    def __init__(self, connection: Connection) -> None:
        self._conn = connection

    def get(self, product_id: uuid.UUID, supplier_id: uuid.UUID) -> SupplierOffer | None:
        query = select(supplier_offers).where(
            supplier_offers.c.product_id == product_id, supplier_offers.c.supplier_id == supplier_id
        )
        row = self._conn.execute(query).mappings().first()
        return SupplierOffer(**row) if row else None

    def upsert(self, offer: SupplierOffer) -> None:
        values = {
            "id": offer.id,
            "product_id": offer.product_id,
            "supplier_id": offer.supplier_id,
            "supplier_sku": offer.supplier_sku,
            "price": offer.price,
            "currency": offer.currency,
            "stock": offer.stock,
            "updated_at": offer.updated_at,
        }
        changed = self._conn.execute(
            update(supplier_offers).where(supplier_offers.c.id == offer.id).values(**values)
        ).rowcount
        if not changed:
            with conflict_on_duplicate("this offer was created concurrently; retry the request"):
                self._conn.execute(insert(supplier_offers).values(**values))

    def delete(self, product_id: uuid.UUID, supplier_id: uuid.UUID) -> None:
        self._conn.execute(
            delete(supplier_offers).where(
                supplier_offers.c.product_id == product_id, supplier_offers.c.supplier_id == supplier_id
            )
        )


def product_from_row(row: RowMapping) -> Product:
    return Product(
        id=row["id"],
        gtin=Gtin.from_canonical(row["gtin"]),
        name=row["name"],
        brand=row["brand"],
        category=row["category"],
        description=row["description"],
        asin=Asin(row["asin"]) if row["asin"] else None,
        odoo_product_id=row["odoo_product_id"],
        attributes=row["attributes"] or {},
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


def _product_values(product: Product) -> dict[str, Any]:
    return {
        "id": product.id,
        "gtin": product.gtin.canonical,
        "name": product.name,
        "brand": product.brand,
        "category": product.category,
        "description": product.description,
        "asin": product.asin.value if product.asin else None,
        "odoo_product_id": product.odoo_product_id,
        "attributes": product.attributes,
        "created_at": product.created_at,
        "updated_at": product.updated_at,
    }


def _supplier_values(supplier: Supplier) -> dict[str, Any]:
    return {
        "id": supplier.id,
        "code": supplier.code,
        "name": supplier.name,
        "is_active": supplier.is_active,
        "created_at": supplier.created_at,
        "updated_at": supplier.updated_at,
    }
