"""Work taken over while its first worker was in fact still alive (too slow to beat, or paused): of the two
attempts only the later one records anything, so no import row or Odoo log entry is written twice."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from dependency_injector import providers
from sqlalchemy import func, select, update

from productsmanager.adapters.imports.file_reader import FileImportReader
from productsmanager.adapters.sqlalchemy.tables import import_errors, import_jobs, odoo_sync_log, odoo_sync_runs
from productsmanager.application.odoo.odoo_product_export import ExportOutcome
from productsmanager.domain.imports.jobs import JobSource
from productsmanager.domain.imports.profile import ImportProfile
from productsmanager.domain.imports.rows import SourceRow
from productsmanager.domain.odoo.runs import RunKind
from tests.integration.helpers import Backend, Users
from tests.integration.import_helpers import GAMMA_PROFILE, supplier_with_profile

pytestmark = pytest.mark.integration
CSV = b"ean,name,brand,price,stock,sku\n4006381333931,Pen,Stabilo,1.20,5,P1\n4006381333932,Bad,X,1,1,P2\n"


def take_over(backend: Backend, table: object, row_id: uuid.UUID) -> None:
    """What another worker's claim does to the row: one more attempt."""
    with backend.engine.begin() as conn:
        conn.execute(update(table).where(table.c.id == row_id).values(attempts=table.c.attempts + 1))  # type: ignore[attr-defined]


def count(backend: Backend, table: object) -> int:
    with backend.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())  # type: ignore[arg-type]


class TakenOverReader:
    """Reads the file as usual, but another worker takes the job over while the rows are being read."""

    def __init__(self, backend: Backend) -> None:
        self._backend, self._reader, self.job_id = backend, FileImportReader(), uuid.uuid4()

    @contextmanager
    def rows(self, path: Path, file_name: str, profile: ImportProfile) -> Iterator[Iterator[SourceRow]]:
        with self._reader.rows(path, file_name, profile) as rows:
            take_over(self._backend, import_jobs, self.job_id)
            yield rows


def test_an_import_taken_over_midway_saves_nothing_of_the_first_attempt(
    backend: Backend, users: Users, tmp_path: Path
) -> None:
    supplier_with_profile(backend, users.editor, "GAMMA", GAMMA_PROFILE)
    path = tmp_path / "catalog.csv"
    path.write_bytes(CSV)
    job = backend.container.import_manager().submit("GAMMA", path.name, path, JobSource.UPLOAD, queue=False)
    reader = TakenOverReader(backend)
    reader.job_id = job.id
    with backend.container.import_file_reader.override(providers.Object(reader)):
        backend.container.import_runner().run(job.id)
    stored = backend.container.import_manager().get(job.id)
    assert stored.status.value == "processing" and stored.attempts == 2  # the later attempt's, untouched
    assert count(backend, import_errors) == 0  # the first attempt's rejected row was rolled back with its merge
    products = backend.client.simulate_get("/api/v1/products", headers=users.viewer).json["items"]
    assert products == []


class TakenOverExport:
    def __init__(self, backend: Backend) -> None:
        self._backend, self.run_id = backend, uuid.uuid4()

    def export(self, product_ids: list[uuid.UUID]) -> ExportOutcome:
        take_over(self._backend, odoo_sync_runs, self.run_id)
        return ExportOutcome(created=len(product_ids), done={pid: ("created", 7) for pid in product_ids})


def test_an_odoo_run_taken_over_midway_logs_nothing_of_the_first_attempt(backend: Backend) -> None:
    product = backend.container.product_editor().create("4006381333931", {"name": "Pen"})
    sync = backend.container.odoo_sync()
    run = sync.new_run(RunKind.BULK, 1, {"product_ids": [str(product)], "filters": {}})
    export = TakenOverExport(backend)
    export.run_id = run.id
    with backend.container.odoo_product_export.override(providers.Object(export)):
        backend.container.odoo_sync().run_export(run.id, [product], {})
    stored = sync.get_run(run.id)
    assert stored.status.value == "running" and stored.attempts == 2 and stored.succeeded == 0
    assert count(backend, odoo_sync_log) == 0
