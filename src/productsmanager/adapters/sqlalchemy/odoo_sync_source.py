"""The catalog as the Odoo export reads it: products with their offers and their link in the export's instance,
two statements per batch."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import Engine, and_, select

from productsmanager.adapters.sqlalchemy.odoo_link_repository import write_links
from productsmanager.adapters.sqlalchemy.tables import odoo_product_links, products, supplier_offers, suppliers
from productsmanager.application.odoo.link_ports import ProductLink
from productsmanager.application.odoo.sync_ports import SyncCandidate
from productsmanager.domain.gtin import Gtin
from productsmanager.domain.odoo.product_values import ProductSnapshot


class SqlAlchemyOdooSyncSource:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def candidates(self, instance_id: uuid.UUID, product_ids: Sequence[uuid.UUID]) -> list[SyncCandidate]:
        p, o, k = products, supplier_offers, odoo_product_links
        linked = and_(k.c.product_id == p.c.id, k.c.instance_id == instance_id)
        with self._engine.connect() as conn:
            query = select(p, k.c.odoo_product_id.label("linked_odoo_id")).outerjoin(k, linked)
            rows = conn.execute(query.where(p.c.id.in_(list(product_ids)))).mappings().all()
            offers: dict[uuid.UUID, list[Any]] = defaultdict(list)
            query = (
                select(o.c.product_id, o.c.price, o.c.stock, o.c.supplier_sku, suppliers.c.code)
                .join(suppliers, suppliers.c.id == o.c.supplier_id)
                .where(o.c.product_id.in_(list(product_ids)))
            )
            for offer in conn.execute(query):
                offers[offer.product_id].append(offer)
        by_id = {row["id"]: row for row in rows}
        return [_candidate(by_id[pid], offers[pid]) for pid in product_ids if pid in by_id]

    def link(self, instance_id: uuid.UUID, links: Sequence[tuple[uuid.UUID, int]]) -> None:
        if not links:
            return
        with self._engine.begin() as conn:
            write_links(conn, instance_id, [ProductLink(pid, odoo_id) for pid, odoo_id in links], datetime.now(UTC))


def _candidate(row: Any, offers: list[Any]) -> SyncCandidate:
    """Offers at the same price are told apart by supplier code: whatever order the database returns them in,
    the same offer is the best one, so an export never flips Odoo's reference between equal offers."""
    priced = [offer for offer in offers if offer.price is not None]
    in_stock = [offer for offer in priced if offer.stock > 0] or priced
    best = min(in_stock, key=_price_then_supplier, default=None)
    cheapest = min(priced, key=_price_then_supplier, default=None)
    snapshot = ProductSnapshot(
        gtin=Gtin.from_canonical(row["gtin"]),
        name=row["name"],
        brand=row["brand"],
        category=row["category"],
        description=row["description"],
        supplier_sku=best.supplier_sku if best is not None else None,
        price=Decimal(str(best.price)) if best is not None else None,
        cost=Decimal(str(cheapest.price)) if cheapest is not None else None,
        stock=sum(offer.stock for offer in offers) if offers else None,
        vat_rate=_vat_rate(row["attributes"]),
    )
    return SyncCandidate(row["id"], row["linked_odoo_id"], snapshot)


def _price_then_supplier(offer: Any) -> tuple[Decimal, str]:
    return Decimal(str(offer.price)), offer.code


def _vat_rate(attributes: Any) -> Decimal | None:
    """A product's VAT rate is its `vat_rate` attribute, in percent (`20`, `"5.5"`); anything else is no rate:
    the product then goes to Odoo without taxes, and Odoo keeps the ones it has."""
    raw = attributes.get("vat_rate") if isinstance(attributes, dict) else None
    if isinstance(raw, bool) or not isinstance(raw, int | float | str):
        return None
    try:
        rate = Decimal(str(raw).strip())
    except InvalidOperation:
        return None
    return rate if rate.is_finite() else None
