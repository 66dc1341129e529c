"""Products pushed to Odoo in batches: one lookup of the batch's records (by id when linked, by barcode when
not), one `create` with a list for the new ones, a `write` only for records whose values really changed.

Idempotent: a linked product is written, never created again; an unlinked product whose barcode Odoo
already has is adopted (linked) instead of duplicated; running the same export twice sends no write. Links
are per instance: a product exported to two instances is linked in both."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from attrs import define, field

from productsmanager.application.odoo.instance_scope import ForInstance
from productsmanager.application.odoo.mapping_ports import Effective
from productsmanager.application.odoo.odoo_setup import OdooSetup
from productsmanager.application.odoo.ports import OdooCatalog, OdooConnection, OdooError, OdooUnreachable
from productsmanager.application.odoo.sync_ports import OdooSyncSource, SyncCandidate
from productsmanager.domain.odoo.comparison import changed_fields, odoo_gtin, same_gtin
from productsmanager.domain.odoo.instances import DEFAULT_INSTANCE_ID
from productsmanager.domain.odoo.mappings import DEFAULT_FIELD_MAPPINGS
from productsmanager.domain.odoo.product_values import to_odoo_values
from productsmanager.domain.odoo.runs import SyncLogAction

MODEL = "product.product"


class MappingSource(Protocol):
    """`OdooMappingManager` in the application: the field, category and tax mappings an export applies."""

    def effective(self) -> Effective: ...


class DefaultMappings:
    """The default field mappings, no category or tax: what an export applies with no mapping configured."""

    def effective(self) -> Effective:
        return DEFAULT_FIELD_MAPPINGS, (), ()


@define
class ExportOutcome:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    adopted: int = 0
    failed: dict[uuid.UUID, str] = field(factory=dict)
    done: dict[uuid.UUID, tuple[SyncLogAction, int]] = field(factory=dict)  # product → (what was done, Odoo id)
    interrupted: OdooError | None = None  # what stopped the export before every batch was done

    def fail_remaining(self, product_ids: Sequence[uuid.UUID]) -> None:
        """Every product of `product_ids` not done yet is failed with the interruption's reason."""
        reason = f"{type(self.interrupted).__name__}: {self.interrupted}"
        self.failed |= {pid: reason for pid in product_ids if pid not in self.done and pid not in self.failed}


class OdooProductExport:
    def __init__(
        self,
        setup: ForInstance[OdooSetup],
        source: OdooSyncSource,
        catalog: Callable[[OdooConnection], OdooCatalog],
        mappings: ForInstance[MappingSource] | None = None,
        instance_id: uuid.UUID = DEFAULT_INSTANCE_ID,
    ) -> None:
        self._instance_id = instance_id
        self._setup = setup(instance_id=instance_id)
        self._source = source
        self._catalog = catalog
        self._mappings = mappings(instance_id=instance_id) if mappings is not None else DefaultMappings()

    def export(self, product_ids: Sequence[uuid.UUID]) -> ExportOutcome:
        """The mappings are read once per export, so that every batch of one export applies the same ones. An
        Odoo failure that stops a batch (its lookup) stops the export: what was done stays done, every other
        product is failed with the reason, and `interrupted` says why."""
        config = self._setup.get().config
        catalog = self._catalog(self._setup.connection())
        mappings = self._mappings.effective()
        outcome = ExportOutcome()
        for first in range(0, len(product_ids), config.batch_size):
            candidates = self._source.candidates(self._instance_id, product_ids[first : first + config.batch_size])
            try:
                self._batch(catalog, candidates, mappings, outcome)
            except OdooError as error:
                outcome.interrupted = error
                outcome.fail_remaining(product_ids[first:])
                break
        return outcome

    def _batch(
        self, catalog: OdooCatalog, candidates: list[SyncCandidate], mappings: Effective, outcome: ExportOutcome
    ) -> None:
        wanted = {c.product_id: to_odoo_values(c.snapshot, *mappings) for c in candidates}
        fields = sorted({"barcode", *(key for values in wanted.values() for key in values)})
        linked_ids = [c.odoo_product_id for c in candidates if c.odoo_product_id is not None]
        records = {r["id"]: r for r in catalog.read(MODEL, linked_ids, fields)} if linked_ids else {}
        unlinked = [c for c in candidates if c.odoo_product_id not in records]
        by_gtin = self._records_by_gtin(catalog, unlinked, fields)
        links: list[tuple[uuid.UUID, int]] = []
        new: list[SyncCandidate] = []
        try:
            for candidate in candidates:
                record = records.get(candidate.odoo_product_id)  # type: ignore[arg-type]
                if record is None:
                    record = by_gtin.get(candidate.snapshot.gtin.canonical)
                    if record is None:
                        new.append(candidate)
                        continue
                    links.append((candidate.product_id, record["id"]))
                    outcome.adopted += 1
                self._write_if_changed(catalog, candidate, record, wanted[candidate.product_id], outcome)
            self._create(catalog, new, wanted, outcome, links)
        finally:  # what was adopted stays linked even when Odoo went away in the middle of the batch
            self._source.link(self._instance_id, links)

    @staticmethod
    def _records_by_gtin(
        catalog: OdooCatalog, unlinked: list[SyncCandidate], fields: list[str]
    ) -> dict[str, dict[str, Any]]:
        """Odoo's records for the unlinked candidates, by canonical GTIN. Odoo compares barcodes as strings, so
        the lookup asks for every spelling of each GTIN (`012345678905`, `0012345678905`, `00012345678905`) and
        the answers are matched by parsed GTIN: a product Odoo stores in another form is adopted, not doubled."""
        forms = sorted({form for c in unlinked for form in c.snapshot.gtin.forms})
        found = catalog.search_read(MODEL, [("barcode", "in", forms)], fields) if forms else []
        by_gtin: dict[str, dict[str, Any]] = {}
        for record in sorted(found, key=lambda r: r["id"]):  # two spellings in Odoo: the oldest record wins
            gtin = odoo_gtin(record.get("barcode"))
            if gtin is not None:
                by_gtin.setdefault(gtin.canonical, record)
        return by_gtin

    def _write_if_changed(
        self,
        catalog: OdooCatalog,
        candidate: SyncCandidate,
        record: dict[str, Any],
        wanted: dict[str, object],
        outcome: ExportOutcome,
    ) -> None:
        if "barcode" in wanted and same_gtin(record.get("barcode"), wanted["barcode"]):
            wanted = {k: v for k, v in wanted.items() if k != "barcode"}  # Odoo's spelling of the same GTIN stays
        changes = changed_fields(record, wanted)
        if not changes:
            outcome.unchanged += 1
            outcome.done[candidate.product_id] = (SyncLogAction.UNCHANGED, record["id"])
            return
        try:
            catalog.write(MODEL, [record["id"]], changes)
            outcome.updated += 1
            outcome.done[candidate.product_id] = (SyncLogAction.UPDATED, record["id"])
        except OdooUnreachable:
            raise  # not this product's fault: the export stops, and is retried
        except OdooError as error:
            outcome.failed[candidate.product_id] = f"{type(error).__name__}: {error}"

    def _create(
        self,
        catalog: OdooCatalog,
        new: list[SyncCandidate],
        wanted: dict[uuid.UUID, dict[str, object]],
        outcome: ExportOutcome,
        links: list[tuple[uuid.UUID, int]],
    ) -> None:
        """One `create` for the whole list; if Odoo refuses it (one bad record refuses them all), each record
        is created alone so that only the bad ones fail. Odoo gone away is nobody's fault: it stops the export.
        Each record created is appended to `links` at once, so none is lost if a later one stops the export."""
        if not new:
            return
        try:
            ids = catalog.create(MODEL, [wanted[c.product_id] for c in new])
            assert isinstance(ids, list)
            outcome.created += len(ids)
            created = [(c.product_id, odoo_id) for c, odoo_id in zip(new, ids, strict=True)]
            links += created
            outcome.done |= {product_id: (SyncLogAction.CREATED, odoo_id) for product_id, odoo_id in created}
            return
        except OdooUnreachable:
            raise
        except OdooError:
            pass
        for candidate in new:
            try:
                odoo_id = catalog.create(MODEL, wanted[candidate.product_id])
            except OdooUnreachable:
                raise
            except OdooError as error:
                outcome.failed[candidate.product_id] = f"{type(error).__name__}: {error}"
                continue
            assert isinstance(odoo_id, int)
            links.append((candidate.product_id, odoo_id))
            outcome.created += 1
            outcome.done[candidate.product_id] = (SyncLogAction.CREATED, odoo_id)
