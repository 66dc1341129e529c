"""Products pushed to Odoo in batches: one lookup of the batch's records (by id when linked, by barcode when
not), one `create` with a list for the new ones, a `write` only for records whose values really changed.

Idempotent: a linked product is written, never created again; an unlinked product whose barcode Odoo
already has is adopted (linked) instead of duplicated; running the same export twice sends no write."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from attrs import define, field

from productsmanager.application.odoo.manage_config import OdooSetup
from productsmanager.application.odoo.mapping_ports import Effective
from productsmanager.application.odoo.ports import OdooCatalog, OdooConnection, OdooError
from productsmanager.application.odoo.sync_ports import OdooSyncSource, SyncCandidate
from productsmanager.domain.odoo.comparison import changed_fields
from productsmanager.domain.odoo.mappings import DEFAULT_FIELD_MAPPINGS
from productsmanager.domain.odoo.product_values import to_odoo_values

MODEL = "product.product"


class MappingSource(Protocol):
    """`OdooMappings` in the application: the field, category and tax mappings an export applies."""

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
    done: dict[uuid.UUID, tuple[str, int]] = field(factory=dict)  # product → (created|updated|unchanged, Odoo id)


class OdooProductExport:
    def __init__(
        self,
        setup: OdooSetup,
        source: OdooSyncSource,
        catalog: Callable[[OdooConnection], OdooCatalog],
        mappings: MappingSource | None = None,
    ) -> None:
        self._setup = setup
        self._source = source
        self._catalog = catalog
        self._mappings = mappings or DefaultMappings()

    def export(self, product_ids: Sequence[uuid.UUID]) -> ExportOutcome:
        """The mappings are read once per export, so that every batch of one export applies the same ones."""
        config = self._setup.get().config
        catalog = self._catalog(self._setup.connection())
        mappings = self._mappings.effective()
        outcome = ExportOutcome()
        for first in range(0, len(product_ids), config.batch_size):
            candidates = self._source.candidates(product_ids[first : first + config.batch_size])
            self._batch(catalog, candidates, mappings, outcome)
        return outcome

    def _batch(
        self, catalog: OdooCatalog, candidates: list[SyncCandidate], mappings: Effective, outcome: ExportOutcome
    ) -> None:
        wanted = {c.product_id: to_odoo_values(c.snapshot, *mappings) for c in candidates}
        fields = sorted({"barcode", *(key for values in wanted.values() for key in values)})
        linked_ids = [c.odoo_product_id for c in candidates if c.odoo_product_id is not None]
        records = {r["id"]: r for r in catalog.read(MODEL, linked_ids, fields)} if linked_ids else {}
        unlinked = [c for c in candidates if c.odoo_product_id not in records]
        barcodes = [str(wanted[c.product_id].get("barcode")) for c in unlinked]
        found = catalog.search_read(MODEL, [("barcode", "in", barcodes)], fields) if barcodes else []
        by_barcode = {r["barcode"]: r for r in found if r.get("barcode")}
        links: list[tuple[uuid.UUID, int]] = []
        new: list[SyncCandidate] = []
        for candidate in candidates:
            record = records.get(candidate.odoo_product_id)  # type: ignore[arg-type]
            if record is None:
                record = by_barcode.get(str(wanted[candidate.product_id].get("barcode")))
                if record is None:
                    new.append(candidate)
                    continue
                links.append((candidate.product_id, record["id"]))
                outcome.adopted += 1
            self._write_if_changed(catalog, candidate, record, wanted[candidate.product_id], outcome)
        links += self._create(catalog, new, wanted, outcome)
        self._source.link(links)

    def _write_if_changed(
        self,
        catalog: OdooCatalog,
        candidate: SyncCandidate,
        record: dict[str, Any],
        wanted: dict[str, object],
        outcome: ExportOutcome,
    ) -> None:
        changes = changed_fields(record, wanted)
        if not changes:
            outcome.unchanged += 1
            outcome.done[candidate.product_id] = ("unchanged", record["id"])
            return
        try:
            catalog.write(MODEL, [record["id"]], changes)
            outcome.updated += 1
            outcome.done[candidate.product_id] = ("updated", record["id"])
        except OdooError as error:
            outcome.failed[candidate.product_id] = f"{type(error).__name__}: {error}"

    def _create(
        self,
        catalog: OdooCatalog,
        new: list[SyncCandidate],
        wanted: dict[uuid.UUID, dict[str, object]],
        outcome: ExportOutcome,
    ) -> list[tuple[uuid.UUID, int]]:
        """One `create` for the whole list; if Odoo refuses it (one bad record refuses them all), each record
        is created alone so that only the bad ones fail."""
        if not new:
            return []
        try:
            ids = catalog.create(MODEL, [wanted[c.product_id] for c in new])
            assert isinstance(ids, list)
            outcome.created += len(ids)
            links = [(c.product_id, odoo_id) for c, odoo_id in zip(new, ids, strict=True)]
            outcome.done |= {product_id: ("created", odoo_id) for product_id, odoo_id in links}
            return links
        except OdooError:
            links = []
            for candidate in new:
                try:
                    odoo_id = catalog.create(MODEL, wanted[candidate.product_id])
                    assert isinstance(odoo_id, int)
                    links.append((candidate.product_id, odoo_id))
                    outcome.created += 1
                    outcome.done[candidate.product_id] = ("created", odoo_id)
                except OdooError as error:
                    outcome.failed[candidate.product_id] = f"{type(error).__name__}: {error}"
            return links
