"""Which Odoo record a product is in each instance. A product may be linked in several instances, an Odoo
record to one product per instance; the default instance's link is also the product's `odoo_product_id`."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from attrs import frozen


@frozen
class ProductLink:
    product_id: uuid.UUID
    odoo_product_id: int
    odoo_template_id: int | None = None
    last_write_date: datetime | None = None  # Odoo's `write_date` of the record last taken by an import (UTC)


class OdooProductLinkRepository(Protocol):
    def links(self, instance_id: uuid.UUID, product_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, ProductLink]:
        """The links of those products in the instance."""
        ...

    def by_odoo_ids(self, instance_id: uuid.UUID, odoo_product_ids: Sequence[int]) -> dict[int, ProductLink]:
        """The links of those Odoo records in the instance, by Odoo id."""
        ...

    def link(self, instance_id: uuid.UUID, links: Sequence[ProductLink], now: datetime) -> None:
        """Records each link (a template id or write date left None keeps the stored one). A record linked to
        another product before is that product's no longer: one product per Odoo record and instance."""
        ...

    def count(self, instance_id: uuid.UUID) -> int: ...
