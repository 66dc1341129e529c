"""The EAN Finder's rows as people decide them: listed with their candidates, resolved with a GTIN (the
product created or found, given the row's name and brand as the supplier's values, and the supplier's offer
made from the row's price, stock and SKU), or dismissed.

The supplier's values go through product data precedence like an import's: they only show where no person
(or better-ranked source) has set the field. Resolving and closing the row happen in one transaction, and the
row is closed only if it was still open, so two people resolving the same row at once make one offer."""

from __future__ import annotations

import uuid
from datetime import datetime

from productsmanager.application.pagination import InvalidCursor, Page, check_limit, page_of, single_key_after
from productsmanager.application.ports import Clock, UnitOfWorkFactory
from productsmanager.application.settings.ports import Settings
from productsmanager.domain.catalog import Product, SupplierOffer
from productsmanager.domain.enrichment.finder import FinderRow, FinderRowClosed, FinderStatus
from productsmanager.domain.errors import InvalidGtin, NotFound
from productsmanager.domain.gtin import Gtin
from productsmanager.domain.history import Actor, ValueChange, history_price, offer_field
from productsmanager.domain.sources import Source
from productsmanager.domain.values import parse_supplier_code

ORDERING = "ean_finder_rows"


class EanFinderRows:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, settings: Settings, default_currency: str = "EUR") -> None:
        self._uow = uow
        self._clock = clock
        self._settings = settings
        self._default_currency = default_currency

    def page(
        self, supplier_code: str | None, status: FinderStatus | None, cursor: str | None = None, limit: int = 50
    ) -> Page[FinderRow]:
        """By id (keyset); `supplier_code` and `status` filter."""
        key = single_key_after(cursor, ORDERING)
        try:
            after = uuid.UUID(key) if key is not None else None
        except ValueError:
            raise InvalidCursor("cursor is malformed", field="cursor") from None
        code = parse_supplier_code(supplier_code, field="supplier") if supplier_code is not None else None
        with self._uow() as uow:
            rows = uow.ean_finder.page(code, status, after, check_limit(limit) + 1)
        return page_of(rows, limit, ORDERING, lambda row: (str(row.id),))

    def get(self, row_id: uuid.UUID) -> FinderRow:
        with self._uow() as uow:
            row = uow.ean_finder.get(row_id)
        if row is None:
            raise NotFound("EAN Finder row", row_id)
        return row

    def dismiss(self, row_id: uuid.UUID) -> FinderRow:
        with self._uow() as uow:
            row = _open_row(uow.ean_finder.get(row_id), row_id)
            if not uow.ean_finder.close(row.id, FinderStatus.DISMISSED, None, self._clock.now()):
                raise FinderRowClosed(f"EAN Finder row {row_id} was decided meanwhile")
            uow.commit()
        return self.get(row_id)

    def resolve(self, row_id: uuid.UUID, gtin_text: str, actor: Actor) -> FinderRow:
        """Raises `InvalidGtin` (field `gtin`), `NotFound`, `FinderRowClosed` (already resolved or dismissed)."""
        try:
            gtin = Gtin.parse(gtin_text)
        except InvalidGtin as invalid:
            raise type(invalid)(invalid.message, field="gtin") from invalid
        now = self._clock.now()
        with self._uow() as uow:
            row = _open_row(uow.ean_finder.get(row_id), row_id)
            supplier = uow.suppliers.get(row.supplier_id)
            if supplier is None:
                raise NotFound("supplier", row.supplier_id)
            product = uow.products.get_by_gtin(gtin)
            created = product is None
            if product is None:  # made showing the supplier's values: the only ones it has (`created` below)
                product = Product.new(gtin, _name_of(row, gtin), now, brand=row.data.brand)
                uow.products.add(product)
            given = {"name": row.data.name, "brand": row.data.brand}
            uow.product_values.give(Source.supplier(supplier.code), {product.id: given}, now)
            precedence = self._settings.product_data().precedence()
            uow.product_values.resolve([product.id], precedence, actor, now, created=created)
            existing = uow.offers.get(product.id, supplier.id)
            offer = SupplierOffer(
                id=existing.id if existing else uuid.uuid4(),
                product_id=product.id,
                supplier_id=supplier.id,
                supplier_sku=row.data.sku,
                price=row.data.price,
                currency=existing.currency if existing else self._default_currency,
                stock=row.data.stock or 0,
                updated_at=now,
            )
            uow.offers.upsert(offer)
            uow.product_history.add(_offer_changes(supplier.code, existing, offer, actor, now))
            if not uow.ean_finder.close(row.id, FinderStatus.RESOLVED, gtin, now):
                raise FinderRowClosed(f"EAN Finder row {row_id} was decided meanwhile")
            uow.commit()
        return self.get(row_id)


def _open_row(row: FinderRow | None, row_id: uuid.UUID) -> FinderRow:
    if row is None:
        raise NotFound("EAN Finder row", row_id)
    row.require_open()
    return row


def _name_of(row: FinderRow, gtin: Gtin) -> str:
    """The name a new product starts with before precedence resolves it: the row's, else the candidate's."""
    chosen = next((c.name for c in row.candidates if c.gtin == gtin and c.name), None)
    return row.data.name or chosen or gtin.display


def _offer_changes(
    code: str, before: SupplierOffer | None, after: SupplierOffer, actor: Actor, at: datetime
) -> list[ValueChange]:
    """The offer's price and stock changes, recorded as the supplier's (its row gave them) with the person."""
    terms = {
        "price": (history_price(before.price) if before else None, history_price(after.price)),
        "stock": (before.stock if before else None, after.stock),
    }
    source = Source.supplier(code)
    return [
        ValueChange.record(after.product_id, offer_field(code, name), old, new, source, actor, at)
        for name, (old, new) in terms.items()
        if old != new
    ]
