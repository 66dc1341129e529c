"""What the mapping suggestions read from the catalog: products linked to Odoo records, with their values."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Protocol

LinkedProduct = tuple[int, Mapping[str, object]]
"""The Odoo `product.product` id a product is linked to, and the product's value of each catalog field a mapping
can target (`ean` in its shortest standard form, `price`, `cost`, `stock` as the sync derives them)."""


class LinkedSample(Protocol):
    def sample(self, instance_id: uuid.UUID, limit: int) -> list[LinkedProduct]:
        """Up to `limit` products linked to a record of that Odoo instance, always the same ones for the same
        catalog (so that two calls suggest alike)."""
        ...
