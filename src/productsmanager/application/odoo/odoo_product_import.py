"""Products read from Odoo: `product.product` paged with `search_read`. Odoo is one source of a product's
shared fields among others, so a page's records are made products (created, or found by barcode) and linked,
then their values are given as Odoo's all at once and the page's products resolved set-wise: a product shows
Odoo's value only where Odoo ranks best (`source_priority`), and every change lands in its history with the
run as actor. Each record taken is its product's link in the run's instance (with Odoo's `write_date`, which
tells a later change from one already taken). A record without a valid barcode is logged as failed, never
dropped silently and never guessed into a product."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime

from productsmanager.application.odoo.instance_scope import ForInstance
from productsmanager.application.odoo.link_ports import ProductLink
from productsmanager.application.odoo.odoo_product_export import DefaultMappings, MappingSource
from productsmanager.application.odoo.odoo_records import MODEL, OdooRecords
from productsmanager.application.odoo.odoo_setup import OdooSetup
from productsmanager.application.odoo.ports import OdooCatalog, OdooConnection
from productsmanager.application.ports import Clock, UnitOfWork, UnitOfWorkFactory
from productsmanager.application.settings.ports import Settings
from productsmanager.domain.catalog import BRAND_MAX, CATEGORY_MAX, DESCRIPTION_MAX, NAME_MAX, Product
from productsmanager.domain.gtin import Gtin
from productsmanager.domain.history import Actor
from productsmanager.domain.odoo.comparison import odoo_datetime, odoo_many2one_id
from productsmanager.domain.odoo.instances import DEFAULT_INSTANCE_ID
from productsmanager.domain.odoo.mappings import OdooFieldMapping
from productsmanager.domain.odoo.product_values import OdooRecordProblem, from_odoo_record
from productsmanager.domain.odoo.runs import SyncLogAction, SyncLogEntry, SyncLogStatus
from productsmanager.domain.odoo.schedules import SyncDirection
from productsmanager.domain.precedence import ValuePrecedence
from productsmanager.domain.sources import Source

PRODUCT_FIELDS = {"name": NAME_MAX, "brand": BRAND_MAX, "category": CATEGORY_MAX, "description": DESCRIPTION_MAX}
"""The shared fields an Odoo record can give (the mappings have no local field for an attribute)."""

LINK_FIELDS = ("product_tmpl_id", "write_date")  # kept with a product's link: its template, when it last changed
Placed = tuple[int, uuid.UUID]  # a record taken: its Odoo id and its product


class OdooProductImport:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        setup: ForInstance[OdooSetup],
        catalog: Callable[[OdooConnection], OdooCatalog],
        clock: Clock,
        settings: Settings,
        mappings: ForInstance[MappingSource] | None = None,
        instance_id: uuid.UUID = DEFAULT_INSTANCE_ID,
    ) -> None:
        self._uow = uow
        self._instance_id = instance_id
        self._setup = setup(instance_id=instance_id)
        self._catalog = catalog
        self._clock = clock
        self._settings = settings
        self._source = mappings(instance_id=instance_id) if mappings is not None else DefaultMappings()

    _mappings: tuple[OdooFieldMapping, ...] = ()

    def run(self, run_id: uuid.UUID, records: OdooRecords | None = None) -> list[SyncLogEntry]:
        """Every page of Odoo's products (or of `records` only: the variants of the products or templates a
        webhook named), one transaction per page; the log entries of all of them. The precedence is read once,
        so that every page of one run ranks the sources alike."""
        config = self._setup.get().config
        catalog = self._catalog(self._setup.connection())
        self._mappings = tuple(m for m in self._source.effective()[0] if m.direction.imports)
        precedence = self._settings.product_data().precedence()
        fields = sorted({"barcode", *LINK_FIELDS, *(m.odoo_field for m in self._mappings)})
        entries: list[SyncLogEntry] = []
        offset = 0
        while True:
            domain = records.domain() if records is not None else []
            page = catalog.search_read(MODEL, domain, fields, offset=offset, limit=config.batch_size, order="id")
            if not page:
                return entries
            entries += self._page(run_id, page, precedence)
            offset += len(page)

    def _page(
        self, run_id: uuid.UUID, records: list[dict[str, object]], precedence: ValuePrecedence
    ) -> list[SyncLogEntry]:
        """Products created or linked record by record; then one `give` of the page's values as Odoo's, one
        resolution of the existing products and one of the new ones (every value they show is new)."""
        now = self._clock.now()
        outcomes: list[SyncLogEntry | Placed] = []
        given: dict[uuid.UUID, dict[str, str]] = {}
        created: set[uuid.UUID] = set()
        links: list[ProductLink] = []
        default = self._instance_id == DEFAULT_INSTANCE_ID
        with self._uow() as uow:
            for record in records:
                odoo_id = int(record["id"])  # type: ignore[call-overload]
                read = self._read(record)
                if isinstance(read, str):
                    outcomes.append(_entry(run_id, None, SyncLogStatus.FAILED, None, odoo_id, read, now))
                    continue
                gtin, values = read
                product = uow.products.get_by_gtin(gtin)
                if product is None:
                    if not values.get("name"):
                        reason = "the record has no name"
                        outcomes.append(_entry(run_id, None, SyncLogStatus.FAILED, None, odoo_id, reason, now))
                        continue
                    details = {k: v for k, v in values.items() if k != "name"}
                    odoo_product_id = odoo_id if default else None  # `products.odoo_product_id`: the default's
                    product = Product.new(gtin, values["name"], now, odoo_product_id=odoo_product_id, **details)
                    uow.products.add(product)
                    created.add(product.id)
                links.append(_link(product.id, record))
                given[product.id] = values
                outcomes.append((odoo_id, product.id))
            relinked = self._link(uow, links, created, now)  # before the resolution, which writes shown values
            updated = self._resolve(uow, run_id, given, created, precedence, now) | relinked
            uow.commit()
        return [
            outcome if isinstance(outcome, SyncLogEntry) else self._success(run_id, outcome, created, updated, now)
            for outcome in outcomes
        ]

    def _link(
        self, uow: UnitOfWork, links: list[ProductLink], created: set[uuid.UUID], now: datetime
    ) -> set[uuid.UUID]:
        """Records each record taken as its product's link in the instance (with its template and write date);
        the existing products linked to another record, or to none, before."""
        before = uow.odoo_links.links(self._instance_id, [link.product_id for link in links])
        relinked = {
            link.product_id
            for link in links
            if link.product_id not in created
            and (link.product_id not in before or before[link.product_id].odoo_product_id != link.odoo_product_id)
        }
        uow.odoo_links.link(self._instance_id, links, now)
        return relinked

    def _read(self, record: dict[str, object]) -> tuple[Gtin, dict[str, str]] | str:
        """The record's barcode and its values of the shared fields, or why it cannot be taken."""
        values = from_odoo_record(record, self._mappings)
        if isinstance(values, OdooRecordProblem):
            return values.message
        gtin = values.get("ean")
        if not isinstance(gtin, Gtin):
            return "the record has no barcode"
        shared = {k: str(v).strip() for k, v in values.items() if k in PRODUCT_FIELDS and v is not None}
        too_long = [k for k, v in shared.items() if len(v) > PRODUCT_FIELDS[k]]
        if too_long:
            return f"{too_long[0]} is longer than the catalog's {PRODUCT_FIELDS[too_long[0]]} characters"
        return gtin, shared

    @staticmethod
    def _resolve(
        uow: UnitOfWork,
        run_id: uuid.UUID,
        given: dict[uuid.UUID, dict[str, str]],
        created: set[uuid.UUID],
        precedence: ValuePrecedence,
        now: datetime,
    ) -> set[uuid.UUID]:
        """The existing products whose shown values changed."""
        if not given:
            return set()
        actor = Actor.odoo_run(run_id)
        uow.product_values.give(Source.odoo(), given, now)
        existing = [product_id for product_id in given if product_id not in created]
        changed = uow.product_values.resolve(existing, precedence, actor, now) if existing else set()
        if created:
            uow.product_values.resolve([pid for pid in given if pid in created], precedence, actor, now, created=True)
        return changed

    @staticmethod
    def _success(
        run_id: uuid.UUID, placed: Placed, created: set[uuid.UUID], updated: set[uuid.UUID], now: datetime
    ) -> SyncLogEntry:
        odoo_id, product_id = placed
        if product_id in created:
            action = SyncLogAction.CREATED
        else:
            action = SyncLogAction.UPDATED if product_id in updated else SyncLogAction.UNCHANGED
        return _entry(run_id, product_id, SyncLogStatus.SUCCESS, action, odoo_id, None, now)


def _link(product_id: uuid.UUID, record: dict[str, object]) -> ProductLink:
    odoo_id = int(record["id"])  # type: ignore[call-overload]
    template_id = odoo_many2one_id(record.get("product_tmpl_id"))
    return ProductLink(product_id, odoo_id, template_id, odoo_datetime(record.get("write_date")))


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
