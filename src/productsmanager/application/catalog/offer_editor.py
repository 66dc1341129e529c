"""Supplier offers on a product: one per product and supplier, replaced as a whole by PUT. A person's change
of an offer's price or stock is recorded in the product's history, as the `manual` source's."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from attrs import frozen

from productsmanager.application.catalog.manual_values import NO_ACCOUNT
from productsmanager.application.catalog.product_reader import ProductReader
from productsmanager.application.catalog.views import OfferView
from productsmanager.application.ports import Clock, UnitOfWork, UnitOfWorkFactory
from productsmanager.domain.catalog import SKU_MAX, SupplierOffer
from productsmanager.domain.errors import InvalidValue, NotFound, ValidationFailed
from productsmanager.domain.history import Actor, ValueChange, history_price, offer_field
from productsmanager.domain.sources import Source
from productsmanager.domain.values import (
    bounded_text,
    parse_currency,
    parse_price,
    parse_stock,
    parse_supplier_code,
)

DEFAULT_CURRENCY = "EUR"


@frozen
class ShownOffer:
    offer: OfferView  # as the product's read side shows it after the PUT
    created: bool  # False: the supplier already had an offer on the product (replaced, or left as it was)


class OfferEditor:
    """`reader` is the read side `put_and_show` answers from; a caller that only writes may leave it out."""

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        clock: Clock,
        default_currency: str = DEFAULT_CURRENCY,
        reader: ProductReader | None = None,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._default_currency = default_currency
        self._reader = reader

    def put(
        self, product_id: uuid.UUID, supplier_code: str, fields: dict[str, Any], *, actor: Actor = NO_ACCOUNT
    ) -> bool:
        """Creates or replaces the offer; returns True when it was created. The product's
        `updated_at` moves with it so that "recently changed" lists and syncs see price changes."""
        values = self._parse(fields)
        code = parse_supplier_code(supplier_code, field="supplier_code")
        now = self._clock.now()
        with self._uow() as uow:
            product = uow.products.get(product_id)
            if product is None:
                raise NotFound("product", product_id)
            supplier = uow.suppliers.get_by_code(code)
            if supplier is None:
                raise NotFound("supplier", code)
            existing = uow.offers.get(product_id, supplier.id)
            offer = SupplierOffer(
                id=existing.id if existing else uuid.uuid4(),
                product_id=product_id,
                supplier_id=supplier.id,
                updated_at=now,
                **values,
            )
            if existing is not None and _same_terms(existing, offer):
                return False
            uow.offers.upsert(offer)
            _record(uow, product_id, supplier.code, existing, offer, actor, now)
            product.updated_at = now
            uow.products.update(product)
            uow.commit()
        return existing is None

    def put_and_show(
        self, product_id: uuid.UUID, supplier_code: str, fields: dict[str, Any], *, actor: Actor = NO_ACCOUNT
    ) -> ShownOffer:
        """Creates or replaces the offer, then reads it on the product as the read side shows it (with the
        supplier's code and name): one call for a caller that answers with the offer. The read comes after the
        commit, outside its transaction; an offer deleted in between is not found."""
        if self._reader is None:  # refused before the write, not after it
            raise TypeError("this OfferEditor was built without a ProductReader: put_and_show needs one")
        created = self.put(product_id, supplier_code, fields, actor=actor)
        code = parse_supplier_code(supplier_code, field="supplier_code")
        offer = next((o for o in self._reader.get(product_id).offers if o.supplier_code == code), None)
        if offer is None:
            raise NotFound("offer", f"of supplier {code} on product {product_id}")
        return ShownOffer(offer, created)

    def delete(self, product_id: uuid.UUID, supplier_code: str, *, actor: Actor = NO_ACCOUNT) -> None:
        code = parse_supplier_code(supplier_code, field="supplier_code")
        now = self._clock.now()
        with self._uow() as uow:
            product = uow.products.get(product_id)
            supplier = uow.suppliers.get_by_code(code)
            existing = None if product is None or supplier is None else uow.offers.get(product_id, supplier.id)
            if product is None or supplier is None or existing is None:
                raise NotFound("offer", f"of supplier {code} on product {product_id}")
            uow.offers.delete(product_id, supplier.id)
            _record(uow, product_id, supplier.code, existing, None, actor, now)
            product.updated_at = now
            uow.products.update(product)
            uow.commit()

    def _parse(self, fields: dict[str, Any]) -> dict[str, Any]:
        errors: list[InvalidValue] = []
        values: dict[str, Any] = {}
        parsers = {
            "supplier_sku": lambda v: bounded_text(v, "supplier_sku", SKU_MAX),
            "price": lambda v: None if v is None else parse_price(v),
            "currency": lambda v: parse_currency(self._default_currency if v is None else v),
            "stock": lambda v: 0 if v is None else parse_stock(v),
        }
        for name, parse in parsers.items():
            try:
                values[name] = parse(fields.get(name))
            except InvalidValue as error:
                errors.append(error)
        if errors:
            raise ValidationFailed(errors)
        return values


def _record(
    uow: UnitOfWork,
    product_id: uuid.UUID,
    code: str,
    before: SupplierOffer | None,
    after: SupplierOffer | None,
    actor: Actor,
    at: datetime,
) -> None:
    """The offer's price and stock changes in the product's history (None: no offer, or no price); only what
    changed, so a new offer without a price records its stock alone."""
    terms = {
        "price": (history_price(before.price) if before else None, history_price(after.price) if after else None),
        "stock": (before.stock if before else None, after.stock if after else None),
    }
    changes = [
        ValueChange.record(product_id, offer_field(code, name), old, new, _MANUAL, actor, at)
        for name, (old, new) in terms.items()
        if old != new
    ]
    if changes:
        uow.product_history.add(changes)


_MANUAL = Source.manual()


def _same_terms(a: SupplierOffer, b: SupplierOffer) -> bool:
    return (a.supplier_sku, a.price, a.currency, a.stock) == (b.supplier_sku, b.price, b.currency, b.stock)
