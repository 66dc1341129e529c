"""Products read from Odoo: `product.product` paged with `search_read`, each record made a catalog product
(created, or updated by barcode) and linked. A record without a valid barcode is logged as failed, never
dropped silently and never guessed into a product."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime

from productsmanager.application.odoo.odoo_product_export import DefaultMappings, MappingSource
from productsmanager.application.odoo.odoo_setup import OdooSetup
from productsmanager.application.odoo.ports import OdooCatalog, OdooConnection
from productsmanager.application.ports import Clock, UnitOfWorkFactory
from productsmanager.domain.catalog import BRAND_MAX, CATEGORY_MAX, DESCRIPTION_MAX, NAME_MAX, Product
from productsmanager.domain.gtin import Gtin
from productsmanager.domain.odoo.mappings import OdooFieldMapping
from productsmanager.domain.odoo.product_values import OdooRecordProblem, from_odoo_record
from productsmanager.domain.odoo.runs import SyncLogAction, SyncLogEntry, SyncLogStatus
from productsmanager.domain.odoo.schedules import SyncDirection

MODEL = "product.product"
PRODUCT_FIELDS = {"name": NAME_MAX, "brand": BRAND_MAX, "category": CATEGORY_MAX, "description": DESCRIPTION_MAX}


class OdooProductImport:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        setup: OdooSetup,
        catalog: Callable[[OdooConnection], OdooCatalog],
        clock: Clock,
        mappings: MappingSource | None = None,
    ) -> None:
        self._uow = uow
        self._setup = setup
        self._catalog = catalog
        self._clock = clock
        self._source = mappings or DefaultMappings()

    _mappings: tuple[OdooFieldMapping, ...] = ()

    def run(self, run_id: uuid.UUID) -> list[SyncLogEntry]:
        """Every page of Odoo's products, one transaction per page; the log entries of all of them."""
        config = self._setup.get().config
        catalog = self._catalog(self._setup.connection())
        self._mappings = tuple(m for m in self._source.effective()[0] if m.direction.imports)
        fields = sorted({"barcode", *(m.odoo_field for m in self._mappings)})
        entries: list[SyncLogEntry] = []
        offset = 0
        while True:
            page = catalog.search_read(MODEL, [], fields, offset=offset, limit=config.batch_size, order="id")
            if not page:
                return entries
            entries += self._page(run_id, page)
            offset += len(page)

    def _page(self, run_id: uuid.UUID, records: list[dict[str, object]]) -> list[SyncLogEntry]:
        now = self._clock.now()
        entries = []
        with self._uow() as uow:
            for record in records:
                odoo_id = int(record["id"])  # type: ignore[call-overload]
                values = from_odoo_record(record, self._mappings)
                if isinstance(values, OdooRecordProblem) or not isinstance(values.get("ean"), Gtin):
                    reason = values.message if isinstance(values, OdooRecordProblem) else "the record has no barcode"
                    entries.append(_entry(run_id, None, SyncLogStatus.FAILED, None, odoo_id, reason, now))
                    continue
                gtin: Gtin = values["ean"]  # type: ignore[assignment]
                changes = {k: str(v).strip() for k, v in values.items() if k in PRODUCT_FIELDS and v is not None}
                too_long = [k for k, v in changes.items() if len(v) > PRODUCT_FIELDS[k]]
                if too_long:
                    message = f"{too_long[0]} is longer than the catalog's {PRODUCT_FIELDS[too_long[0]]} characters"
                    entries.append(_entry(run_id, None, SyncLogStatus.FAILED, None, odoo_id, message, now))
                    continue
                product = uow.products.get_by_gtin(gtin)
                if product is None:
                    if not changes.get("name"):
                        reason = "the record has no name"
                        entries.append(_entry(run_id, None, SyncLogStatus.FAILED, None, odoo_id, reason, now))
                        continue
                    product = Product.new(gtin, str(changes.pop("name")), now, **changes)
                    product.odoo_product_id = odoo_id
                    uow.products.add(product)
                    action = SyncLogAction.CREATED
                else:
                    changed = product.apply(changes, now)
                    relinked = product.odoo_product_id != odoo_id
                    product.odoo_product_id = odoo_id
                    if changed or relinked:
                        uow.products.update(product)
                    action = SyncLogAction.UPDATED if changed else SyncLogAction.UNCHANGED
                entries.append(_entry(run_id, product.id, SyncLogStatus.SUCCESS, action, odoo_id, None, now))
            uow.commit()
        return entries


def _entry(
    run_id: uuid.UUID,
    product_id: uuid.UUID | None,
    status: SyncLogStatus,
    action: SyncLogAction | None,
    odoo_id: int,
    error: str | None,
    now: datetime,
) -> SyncLogEntry:
    return SyncLogEntry(uuid.uuid4(), run_id, product_id, SyncDirection.IMPORT, status, action, odoo_id, error, now)
