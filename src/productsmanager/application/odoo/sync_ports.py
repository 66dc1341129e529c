"""What the Odoo export reads from the catalog, and how it records which Odoo record a product became."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Protocol

from attrs import frozen

from productsmanager.domain.odoo.product_values import ProductSnapshot


@frozen
class SyncCandidate:
    product_id: uuid.UUID
    odoo_product_id: int | None  # the `product.product` it is linked to in the export's instance, if any
    snapshot: ProductSnapshot


class OdooSyncSource(Protocol):
    def candidates(self, instance_id: uuid.UUID, product_ids: Sequence[uuid.UUID]) -> list[SyncCandidate]:
        """The products (those that still exist) with what their offers say: `price` the best price among
        offers in stock (else among all), `cost` the lowest supplier price, `supplier_sku` of the offer with
        the best price, `stock` the sum over suppliers."""
        ...

    def link(self, instance_id: uuid.UUID, links: Sequence[tuple[uuid.UUID, int]]) -> None:
        """Records the link of each (product, Odoo id) in the instance (and, in the default instance,
        `products.odoo_product_id`)."""
        ...
