"""Shared by the Odoo sync tests (the `odoo` fixture itself is in conftest.py): barcodes, and an Odoo import or
export run the way the API runs one (a recorded run, done by the task queue's worker)."""

from __future__ import annotations

from productsmanager.domain.gtin import check_digit
from productsmanager.domain.odoo.runs import SyncRun
from tests.integration.fake_odoo import FakeOdoo
from tests.integration.helpers import Backend

PRODUCTS = "product.product"


def ean(n: int) -> str:
    """A valid EAN-13 in the in-store range 20-29, distinct per n."""
    payload = f"20{n:010d}"
    return payload + str(check_digit(payload))


def finished_run(backend: Backend, run: SyncRun) -> SyncRun:
    """The run once the worker is done with it."""
    assert backend.container.task_queue().drain(timeout=60)
    return backend.container.odoo_sync().get_run(run.id)  # type: ignore[no-any-return]


def import_from_odoo(backend: Backend) -> SyncRun:
    """An Odoo import run (`POST /api/v1/odoo/import`), finished."""
    return finished_run(backend, backend.container.odoo_sync().request_import())


def odoo_export_writes(backend: Backend, odoo: FakeOdoo) -> int:
    """Exports every product of the catalog as a bulk sync run with no filter (`POST /api/v1/odoo/bulk-sync`
    with `{}`), and returns how many products the fake Odoo was asked to write (records in `write` calls;
    records created are not writes). The run must complete: a failed product would hide a write."""
    before = odoo.written[PRODUCTS]
    run = finished_run(backend, backend.container.odoo_sync().request_bulk(None, {}))
    assert run.status.value == "completed", run.error
    return odoo.written[PRODUCTS] - before
