"""In-memory fakes of the catalog's read side: the view of one product, read from what a `FakeUnitOfWork` has
committed (as the real view reads from the database, outside any unit of work), and links that name the key."""

from __future__ import annotations

import uuid

from productsmanager.application.catalog.views import ImageRecord, OfferView, ProductView
from productsmanager.domain.catalog import Product
from productsmanager.domain.gtin import Gtin
from tests.unit.fakes import FakeUnitOfWork


class FakeProductCatalogView:
    """The single-product reads of `ProductCatalogView`, what a use case answering with one product needs:
    offers ordered by supplier code, images primary first then oldest, as the SQL view orders them."""

    def __init__(self, uow: FakeUnitOfWork) -> None:
        self._uow = uow
        self.reads = 0

    def by_id(self, product_id: uuid.UUID) -> ProductView | None:
        self.reads += 1
        product = self._uow.committed.products.get(product_id)
        return None if product is None else self._view(product)

    def by_gtin(self, gtin: Gtin) -> ProductView | None:
        self.reads += 1
        product = next((p for p in self._uow.committed.products.values() if p.gtin == gtin), None)
        return None if product is None else self._view(product)

    def _view(self, product: Product) -> ProductView:
        store = self._uow.committed
        offers = []
        for offer in (o for o in store.offers.values() if o.product_id == product.id):
            supplier = store.suppliers[offer.supplier_id]
            terms = (offer.supplier_sku, offer.price, offer.currency, offer.stock, offer.updated_at)
            offers.append(OfferView(supplier.id, supplier.code, supplier.name, *terms))
        files = [m for m in store.media.values() if m.product_id == product.id]
        files.sort(key=lambda m: (not m.is_primary, m.created_at, m.id))
        images = tuple(
            ImageRecord(
                id=m.id,
                file_name=m.original_file_name,
                storage_key=m.storage_key,
                is_primary=m.is_primary,
                thumbnail_keys={t.size: t.storage_key for (mid, _), t in store.thumbnails.items() if mid == m.id},
            )
            for m in files
        )
        assert product.created_at is not None and product.updated_at is not None
        return ProductView(
            id=product.id,
            ean=product.gtin.display,
            gtin=product.gtin.canonical,
            name=product.name,
            brand=product.brand,
            category=product.category,
            description=product.description,
            asin=None if product.asin is None else product.asin.value,
            odoo_product_id=product.odoo_product_id,
            attributes=dict(product.attributes),
            created_at=product.created_at,
            updated_at=product.updated_at,
            offers=tuple(sorted(offers, key=lambda o: o.supplier_code)),
            images=images,
        )


class FakeMediaLinks:
    """URLs that name the key they lead to, so that a test sees which object a link points at."""

    def original_url(self, media_file_id: uuid.UUID, key: str) -> str:
        return f"https://media.test/{key}"

    def thumbnail_url(self, media_file_id: uuid.UUID, size: str, key: str) -> str:
        return f"https://media.test/{key}"
