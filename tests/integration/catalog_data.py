"""A small deterministic catalog, built through the use cases, and the Python model of what the listing must
return for it. Timestamps are then set in the database so that sort keys both tie and differ."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlalchemy import bindparam, insert, update

from productsmanager.adapters.sqlalchemy.tables import media_files, media_thumbnails, products
from productsmanager.domain.gtin import STANDARD_LENGTHS, check_digit
from tests.integration.helpers import Backend

SUPPLIERS = ("ACME", "BOLT", "CORE", "DUSK")  # DUSK never makes an offer
NOUNS = ("lamp", "desk", "chair", "pen", "mug", "sofa", "kettle")
BRANDS = ("Acme", "ACME", "acme", "Bolt", None, "Stabilo", "bic")
PRICES = (None, "0", "12.90", "0.1234", "5")
STOCKS = (0, 0, 3)
TIED_NAME = "zeta"
BASE_TIME = datetime(2026, 3, 1, tzinfo=UTC)


@dataclass
class ImageSpec:
    id: uuid.UUID
    file_name: str
    is_primary: bool
    thumbnails: tuple[str, ...]


@dataclass
class ProductSpec:
    """What the catalog holds for one product, as the tests expect to read it back."""

    id: uuid.UUID
    ean: str
    gtin: str
    name: str
    brand: str | None
    asin: str | None
    offers: list[tuple[str, Decimal | None, int]]
    images: list[ImageSpec] = field(default_factory=list)
    created_at: datetime = BASE_TIME
    updated_at: datetime = BASE_TIME

    def forms(self) -> list[str]:
        """Every standard form of the GTIN: the canonical one cut to 8, 12, 13 or 14 digits over zeros."""
        return [self.gtin[14 - n :] for n in STANDARD_LENGTHS if set(self.gtin[: 14 - n]) <= {"0"}]

    def matches(self, q: str) -> bool:
        text = q.strip().lower()
        if text in self.name.lower() or (self.brand is not None and text in self.brand.lower()):
            return True
        return text.isdigit() and len(text) <= 14 and any(form.startswith(text) for form in self.forms())

    @property
    def has_asin(self) -> bool:
        return self.asin is not None

    @property
    def has_price(self) -> bool:
        return any(price is not None and price > 0 for _, price, _ in self.offers)

    @property
    def in_stock(self) -> bool:
        return any(stock > 0 for _, _, stock in self.offers)

    @property
    def has_multiple_suppliers(self) -> bool:
        return len(self.offers) >= 2

    @property
    def has_images(self) -> bool:
        return bool(self.images)


def with_check_digit(payload: str) -> str:
    return payload + str(check_digit(payload))


def _ean(i: int) -> str:
    """EAN-13, UPC-A, EAN-8 and GTIN-14 in turn, so that prefixes of each form can be searched."""
    return (
        with_check_digit(f"400638{i:06d}"),
        with_check_digit(f"036000{i:05d}"),
        with_check_digit(f"9638{i:03d}"),
        with_check_digit(f"1400638{i:06d}"),
    )[i % 4]


def build_catalog(backend: Backend, count: int) -> list[ProductSpec]:
    container = backend.container
    for code in SUPPLIERS:
        container.supplier_service().create({"code": code, "name": f"Supplier {code.title()}"})
    specs: list[ProductSpec] = []
    for i in range(count):
        name = TIED_NAME if i % 16 == 5 else f"{NOUNS[i % len(NOUNS)]}{i:02d}"
        brand, asin = BRANDS[i % len(BRANDS)], f"B{i:09d}" if i % 3 == 0 else None
        fields = {"name": name, "brand": brand, "asin": asin}
        product_id = container.product_editor().create(_ean(i), fields)
        offers: list[tuple[str, Decimal | None, int]] = []
        for k in range(i % 4):
            code, price, stock = SUPPLIERS[(i + k) % 3], PRICES[(i + k) % len(PRICES)], STOCKS[(2 * i + k) % 3]
            container.offer_editor().put(
                product_id, code.lower(), {"price": price, "stock": stock, "supplier_sku": None}
            )
            offers.append((code, None if price is None else Decimal(price), stock))
        view = container.product_reader().get(product_id)
        specs.append(ProductSpec(product_id, view.ean, view.gtin, name, brand, asin, sorted(offers)))
    _add_images(backend, specs)
    _set_timestamps(backend, specs)
    return specs


def _add_images(backend: Backend, specs: list[ProductSpec]) -> None:
    """Image rows as the media pipeline records them (that pipeline is not under test here)."""
    files: list[dict[str, object]] = []
    thumbnails: list[dict[str, object]] = []
    for i, spec in enumerate(specs):
        # The primary image is the newer one: listed first all the same.
        plan = {0: ((False, ("small", "medium", "large")), (True, ("small",))), 3: ((False, ()),)}.get(i % 5, ())
        for n, (is_primary, sizes) in enumerate(plan):
            image = ImageSpec(uuid.uuid4(), f"photo-{i}-{n}.jpg", is_primary, sizes)
            spec.images.append(image)
            sha = f"{i:032x}{n:032x}"
            shard = str(spec.id)[:2]
            files.append(
                {
                    "id": image.id,
                    "product_id": spec.id,
                    "storage_key": f"products/{shard}/{spec.id}/{sha}.jpg",
                    "sha256": sha,
                    "content_type": "image/jpeg",
                    "byte_size": 1000 + n,
                    "width": 1200,
                    "height": 900,
                    "is_primary": is_primary,
                    "source": "upload",
                    "original_file_name": image.file_name,
                    "status": "ready",
                    "created_at": BASE_TIME + timedelta(seconds=n),
                }
            )
            for size in sizes:
                thumbnails.append(
                    {
                        "id": uuid.uuid4(),
                        "media_file_id": image.id,
                        "size": size,
                        "storage_key": f"products/{shard}/{spec.id}/thumbs/{size}/{sha}.jpg",
                        "width": 150,
                        "height": 113,
                        "byte_size": 100,
                    }
                )
    with backend.engine.begin() as conn:
        if files:
            conn.execute(insert(media_files), files)
        if thumbnails:
            conn.execute(insert(media_thumbnails), thumbnails)


def _set_timestamps(backend: Backend, specs: list[ProductSpec]) -> None:
    """Few distinct values for many rows (ties broken by id), a few differing only by microseconds."""
    for i, spec in enumerate(specs):
        spec.created_at = BASE_TIME + timedelta(minutes=(i * 7) % 23)
        spec.updated_at = BASE_TIME + timedelta(hours=(i * 5) % 13, microseconds=123_456 if i % 9 == 0 else 0)
    statement = (
        update(products)
        .where(products.c.id == bindparam("pid"))
        .values(created_at=bindparam("created"), updated_at=bindparam("updated"))
    )
    rows = [{"pid": s.id, "created": s.created_at, "updated": s.updated_at} for s in specs]
    with backend.engine.begin() as conn:
        conn.execute(statement, rows)
