"""Creating, changing and deleting products. One product per GTIN, whatever form the EAN came in.

A person's values of the shared fields (`name`, `brand`, `category`, `description`, `asin`, `attributes`) are the
`manual` source's: they go through precedence like every other source's, and each change of what the product
shows is recorded in its history with the person as actor. The other fields (EAN, Odoo id) are the product's
own and are written as given."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from productsmanager.application.catalog.manual_values import NO_ACCOUNT, SHARED_CHANGES, ManualEdit
from productsmanager.application.catalog.product_reader import ProductReader
from productsmanager.application.catalog.views import ProductView
from productsmanager.application.ports import Clock, UnitOfWork, UnitOfWorkFactory
from productsmanager.application.settings.ports import Settings
from productsmanager.domain.catalog import Product, parse_product_changes
from productsmanager.domain.errors import Conflict, InvalidValue, NotFound
from productsmanager.domain.gtin import Gtin
from productsmanager.domain.history import Actor
from productsmanager.domain.precedence import is_shared_field
from productsmanager.domain.sources import Source


class ProductEditor:
    """`settings` give the ranking of sources (`product_data`); `reader` is the read side the `*_and_show`
    methods answer from, which a caller that only writes (a script, a service that embeds the package and built
    the editor itself) may leave out. `actor` is who edits: a signed-in person's account, or none."""

    def __init__(
        self, uow: UnitOfWorkFactory, clock: Clock, settings: Settings, reader: ProductReader | None = None
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._settings = settings
        self._reader = reader

    def create(self, ean: str, fields: dict[str, Any], *, actor: Actor = NO_ACCOUNT) -> uuid.UUID:
        """Creates the product with the given values as the person's; its history records each value it shows."""
        gtin = Gtin.parse(ean)
        changes = parse_product_changes(fields, creating=True)
        edit = ManualEdit.of(changes)
        own = {name: value for name, value in changes.items() if name not in SHARED_CHANGES}
        now = self._clock.now()
        try:
            with self._uow() as uow:
                existing = uow.products.get_by_gtin(gtin)
                if existing is not None:
                    raise _duplicate(gtin, existing.id)
                shown = edit.shown_on_creation()
                product = Product.new(gtin, shown.pop("name"), now, **shown, **own)
                uow.products.add(product)
                self._apply(uow, product.id, edit, actor, now, created=True)
                uow.commit()
        except Conflict as conflict:
            if conflict.existing_id is not None:
                raise
            raise self._race_lost(gtin) from conflict
        return product.id

    def create_and_show(self, ean: str, fields: dict[str, Any], *, actor: Actor = NO_ACCOUNT) -> ProductView:
        """Creates the product, then reads it as the read side shows it (offers, images, URLs): one call for a
        caller that answers with the new product. The read comes after the commit, outside its transaction."""
        reader = self._read_side()
        return reader.get(self.create(ean, fields, actor=actor))

    def _race_lost(self, gtin: Gtin) -> Conflict:
        """Another request created the GTIN between our check and our insert: name the product it made."""
        with self._uow() as uow:
            winner = uow.products.get_by_gtin(gtin)
        if winner is None:
            return Conflict(f"a product with EAN {gtin.display} was being created concurrently; retry", field="ean")
        return _duplicate(gtin, winner.id)

    def update(self, product_id: uuid.UUID, fields: dict[str, Any], *, actor: Actor = NO_ACCOUNT) -> bool:
        """Changes only the given fields, including the EAN; returns whether the product shows anything new. A
        shared field set to null withdraws the person's value (the next source's shows), `attributes` is the
        person's whole set of attributes, and a person's value equal to the one shown changes nothing shown
        (it is kept all the same, and now outranks the other sources)."""
        changes = parse_product_changes(fields, creating=False)
        own = {name: value for name, value in changes.items() if name not in SHARED_CHANGES}
        now = self._clock.now()
        with self._uow() as uow:
            product = uow.products.get(product_id)
            if product is None:
                raise NotFound("product", product_id)
            if "ean" in fields:
                gtin = Gtin.parse(fields["ean"])
                other = uow.products.get_by_gtin(gtin)
                if other is not None and other.id != product.id:
                    raise _duplicate(gtin, other.id)
                own["gtin"] = gtin
            changed = product.apply(own, now)
            if changed:  # written before resolving, which changes the shared fields of the stored row
                uow.products.update(product)
            if any(name in changes for name in SHARED_CHANGES):
                edit = ManualEdit.of(changes, self._manual_fields(uow, product_id) if "attributes" in changes else ())
                changed = self._apply(uow, product_id, edit, actor, now) or changed
            uow.commit()
        return changed

    def update_and_show(
        self, product_id: uuid.UUID, fields: dict[str, Any], *, actor: Actor = NO_ACCOUNT
    ) -> ProductView:
        """Changes the given fields, then reads the product as the read side shows it, changed or not: one call
        for a caller that answers with the product. The read comes after the commit, outside its transaction."""
        reader = self._read_side()
        self.update(product_id, fields, actor=actor)
        return reader.get(product_id)

    def withdraw_value(self, product_id: uuid.UUID, field: str, *, actor: Actor = NO_ACCOUNT) -> bool:
        """Drops the person's value of a shared field (`attributes.<key>` for an attribute): the field falls back
        to the next source's value, or to none. The name is never left without a value, so the person's name is
        withdrawn only when another source has one. Returns whether the product shows anything new."""
        if not isinstance(field, str) or not is_shared_field(field):
            raise InvalidValue(
                f"{repr(field)[:80]} is not a shared product field: name, brand, category, description, asin or "
                "attributes.<key>",
                field="field",
            )
        with self._uow() as uow:
            if uow.products.get(product_id) is None:
                raise NotFound("product", product_id)
            of_field = [c for c in uow.product_values.candidates(product_id) if c.field == field]
            if not any(c.source == _MANUAL for c in of_field):
                raise NotFound("manual value", f"of {field} on product {product_id}")
            if field == "name" and not any(c.source != _MANUAL and c.has_value for c in of_field):
                raise Conflict(
                    "no other source has a name for this product: its manual name can be changed, not withdrawn",
                    field="field",
                )
            changed = self._apply(uow, product_id, ManualEdit({}, (field,)), actor, self._clock.now())
            uow.commit()
        return changed

    def withdraw_value_and_show(self, product_id: uuid.UUID, field: str, *, actor: Actor = NO_ACCOUNT) -> ProductView:
        """Withdraws the person's value, then reads the product as the read side shows it."""
        reader = self._read_side()
        self.withdraw_value(product_id, field, actor=actor)
        return reader.get(product_id)

    @staticmethod
    def _manual_fields(uow: UnitOfWork, product_id: uuid.UUID) -> list[str]:
        return [c.field for c in uow.product_values.candidates(product_id) if c.source == _MANUAL]

    def _apply(
        self,
        uow: UnitOfWork,
        product_id: uuid.UUID,
        edit: ManualEdit,
        actor: Actor,
        now: datetime,
        *,
        created: bool = False,
    ) -> bool:
        """Stores the person's values, drops the withdrawn ones, and makes the product show what precedence
        makes of every source's values now; whether it shows anything new."""
        if edit.given:
            uow.product_values.give(_MANUAL, {product_id: edit.given}, now)
        for name in edit.withdrawn:
            uow.product_values.withdraw(product_id, name, _MANUAL)
        precedence = self._settings.product_data().precedence()
        return bool(uow.product_values.resolve([product_id], precedence, actor, now, created=created))

    def _read_side(self) -> ProductReader:
        """Asked before the write: an editor built without a reader refuses at once rather than after writing."""
        if self._reader is None:
            raise TypeError("this ProductEditor was built without a ProductReader: the *_and_show methods need one")
        return self._reader

    def delete(self, product_id: uuid.UUID) -> None:
        with self._uow() as uow:
            if uow.products.get(product_id) is None:
                raise NotFound("product", product_id)
            uow.products.delete(product_id)
            uow.commit()


_MANUAL = Source.manual()


def _duplicate(gtin: Gtin, existing_id: uuid.UUID) -> Conflict:
    return Conflict(
        f"a product with EAN {gtin.display} already exists: {existing_id}",
        field="ean",
        existing_id=existing_id,
    )
