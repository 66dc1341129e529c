"""Creating, changing and deleting products. One product per GTIN, whatever form the EAN came in."""

from __future__ import annotations

import uuid
from typing import Any

from productsmanager.application.catalog.product_reader import ProductReader
from productsmanager.application.catalog.views import ProductView
from productsmanager.application.ports import Clock, UnitOfWorkFactory
from productsmanager.domain.catalog import Product, parse_product_changes
from productsmanager.domain.errors import Conflict, NotFound
from productsmanager.domain.gtin import Gtin


class ProductEditor:
    """`reader` is the read side the `*_and_show` methods answer from; a caller that only writes (a script, a
    service that embeds the package and built the editor itself) may leave it out."""

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, reader: ProductReader | None = None) -> None:
        self._uow = uow
        self._clock = clock
        self._reader = reader

    def create(self, ean: str, fields: dict[str, Any]) -> uuid.UUID:
        gtin = Gtin.parse(ean)
        changes = parse_product_changes(fields, creating=True)
        try:
            with self._uow() as uow:
                existing = uow.products.get_by_gtin(gtin)
                if existing is not None:
                    raise _duplicate(gtin, existing.id)
                product = Product.new(gtin, changes.pop("name"), self._clock.now(), **changes)
                uow.products.add(product)
                uow.commit()
        except Conflict as conflict:
            if conflict.existing_id is not None:
                raise
            raise self._race_lost(gtin) from conflict
        return product.id

    def create_and_show(self, ean: str, fields: dict[str, Any]) -> ProductView:
        """Creates the product, then reads it as the read side shows it (offers, images, URLs): one call for a
        caller that answers with the new product. The read comes after the commit, outside its transaction."""
        reader = self._read_side()
        return reader.get(self.create(ean, fields))

    def _race_lost(self, gtin: Gtin) -> Conflict:
        """Another request created the GTIN between our check and our insert: name the product it made."""
        with self._uow() as uow:
            winner = uow.products.get_by_gtin(gtin)
        if winner is None:
            return Conflict(f"a product with EAN {gtin.display} was being created concurrently; retry", field="ean")
        return _duplicate(gtin, winner.id)

    def update(self, product_id: uuid.UUID, fields: dict[str, Any]) -> bool:
        """Changes only the given fields, including the EAN; returns whether anything changed."""
        changes = parse_product_changes(fields, creating=False)
        with self._uow() as uow:
            product = uow.products.get(product_id)
            if product is None:
                raise NotFound("product", product_id)
            if "ean" in fields:
                gtin = Gtin.parse(fields["ean"])
                other = uow.products.get_by_gtin(gtin)
                if other is not None and other.id != product.id:
                    raise _duplicate(gtin, other.id)
                changes["gtin"] = gtin
            changed = product.apply(changes, self._clock.now())
            if changed:
                uow.products.update(product)
                uow.commit()
        return changed

    def update_and_show(self, product_id: uuid.UUID, fields: dict[str, Any]) -> ProductView:
        """Changes the given fields, then reads the product as the read side shows it, changed or not: one call
        for a caller that answers with the product. The read comes after the commit, outside its transaction."""
        reader = self._read_side()
        self.update(product_id, fields)
        return reader.get(product_id)

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


def _duplicate(gtin: Gtin, existing_id: uuid.UUID) -> Conflict:
    return Conflict(
        f"a product with EAN {gtin.display} already exists: {existing_id}",
        field="ean",
        existing_id=existing_id,
    )
