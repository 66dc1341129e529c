"""`ProductAmazon`: what Amazon says of one product, per marketplace, as its latest Code2ASIN match gave it."""

from __future__ import annotations

import uuid

from productsmanager.application.code2asin.ports import AmazonData
from productsmanager.application.ports import UnitOfWorkFactory
from productsmanager.domain.errors import NotFound


class ProductAmazon:
    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    def of(self, product_id: uuid.UUID) -> list[AmazonData]:
        """By marketplace; raises `NotFound` for a product that does not exist (none kept is an empty list)."""
        with self._uow() as uow:
            if uow.products.get(product_id) is None:
                raise NotFound("product", product_id)
            return uow.amazon_data.for_product(product_id)
