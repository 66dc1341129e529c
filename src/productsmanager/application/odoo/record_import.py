"""Odoo's side of a pushed change for one instance: the record's `write_date` read from Odoo (the delivery's is
not trusted), and its import as a run of its own (kind `webhook`, logged like any import, taken over by the
sweep with the same records if its worker dies)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime

from productsmanager.application.odoo.instance_scope import ForInstance
from productsmanager.application.odoo.odoo_records import OdooRecords
from productsmanager.application.odoo.odoo_setup import OdooSetup
from productsmanager.application.odoo.odoo_sync import OdooSync
from productsmanager.application.odoo.ports import OdooCatalog, OdooConnection
from productsmanager.domain.errors import DomainError
from productsmanager.domain.odoo.comparison import odoo_datetime
from productsmanager.domain.odoo.runs import RunKind, RunStatus


class OdooRecordTaker:
    def __init__(
        self,
        setup: ForInstance[OdooSetup],
        sync: ForInstance[OdooSync],
        catalog: Callable[[OdooConnection], OdooCatalog],
    ) -> None:
        self._setup = setup
        self._sync = sync
        self._catalog = catalog

    def write_date(self, instance_id: uuid.UUID, model: str, record_id: int) -> datetime | None:
        catalog = self._catalog(self._setup(instance_id=instance_id).connection())
        found = catalog.read(model, [record_id], ["write_date"])
        # None for a record without a time too: it cannot be ordered, so it is treated as gone, never looped on.
        return odoo_datetime(found[0].get("write_date")) if found else None

    def take(self, instance_id: uuid.UUID, model: str, record_id: int) -> str | None:
        """Runs the import of the record now, in this task; its failure when the run did not take it."""
        sync = self._sync(instance_id=instance_id)
        records = OdooRecords(model, (record_id,))
        try:
            run = sync.new_run(RunKind.WEBHOOK, 1, {"records": records.to_request()})
        except DomainError as refused:  # the instance was disabled or deleted since the delivery
            return refused.message
        run = sync.run_import(run.id)
        if run.status is RunStatus.COMPLETED:
            return None
        return run.error or f"Odoo's {model} {record_id} could not be taken: see run {run.id}'s log"
