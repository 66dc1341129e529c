"""A worker that dies in the middle of an import: the catalog shows nothing of the interrupted run, the job
stays `processing` until its heartbeat is older than the stall time, then a retry finishes it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from dependency_injector import providers
from sqlalchemy import func, select, update

from productsmanager.adapters.imports.file_reader import FileImportReader
from productsmanager.adapters.sqlalchemy.tables import import_jobs, products
from productsmanager.domain.gtin import check_digit
from productsmanager.domain.imports.jobs import JobSource
from productsmanager.domain.imports.profile import ImportProfile
from productsmanager.domain.imports.rows import SourceRow
from tests.integration.helpers import Backend, Users
from tests.integration.import_helpers import finished, supplier_with_profile, upload

pytestmark = pytest.mark.integration
ROWS = 12_000  # more than two staging batches


class Killed(BaseException):
    """The process died (kill -9): nothing in the application handles it."""


class DyingReader:
    def __init__(self, after: int) -> None:
        self._reader, self._after = FileImportReader(), after

    @contextmanager
    def rows(self, path: Path, file_name: str, profile: ImportProfile) -> Iterator[Iterator[SourceRow]]:
        with self._reader.rows(path, file_name, profile) as rows:
            yield self._until_death(rows)

    def _until_death(self, rows: Iterator[SourceRow]) -> Iterator[SourceRow]:
        for n, row in enumerate(rows):
            if n == self._after:
                raise Killed
            yield row


def catalog_file() -> bytes:
    lines = ["ean,name,price,stock"]
    for n in range(ROWS):
        payload = f"20{n:010d}"
        lines.append(f"{payload}{check_digit(payload)},Item {n},1.50,{n % 9}")
    return ("\n".join(lines) + "\n").encode()


def count_products(backend: Backend) -> int:
    with backend.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(products)).scalar_one())


def test_a_run_killed_halfway_leaves_the_catalog_untouched_and_the_retry_finishes(
    backend: Backend, users: Users, caplog: Any
) -> None:
    profile = {"mapping": {"ean": "ean", "name": "name", "price": "price", "stock": "stock"}}
    supplier_with_profile(backend, users.editor, "GAMMA", profile)
    with backend.container.import_file_reader.override(providers.Object(DyingReader(after=11_000))):
        accepted = upload(backend, users.editor, "catalog.csv", "GAMMA", catalog_file())
        job = finished(backend, users.editor, accepted.json["id"])
    assert job["status"] == "processing" and job["stalled"] is False and count_products(backend) == 0

    early = backend.client.simulate_post(f"/api/v1/imports/{job['id']}/retry", headers=users.editor)
    assert early.status_code == 409  # still beating as far as anyone can tell
    long_ago = datetime.now(UTC) - timedelta(minutes=11)
    with backend.engine.begin() as conn:
        conn.execute(update(import_jobs).values(heartbeat_at=long_ago, started_at=long_ago))

    stalled = backend.client.simulate_get(f"/api/v1/imports/{job['id']}", headers=users.viewer).json
    assert stalled["status"] == "processing" and stalled["stalled"] is True
    retried = backend.client.simulate_post(f"/api/v1/imports/{job['id']}/retry", headers=users.editor)
    assert retried.status_code == 202
    done = finished(backend, users.editor, job["id"])
    assert done["status"] == "completed" and done["attempts"] == 2
    assert done["counts"]["products_created"] == ROWS and count_products(backend) == ROWS


def test_heartbeats_are_written_while_a_job_with_rejected_rows_runs(
    backend: Backend, users: Users, caplog: pytest.LogCaptureFixture
) -> None:
    """On SQLite a rejected row written straight to `import_errors` took the write lock for the whole job, so
    the heartbeat (another connection) waited 30 s and failed the job."""
    profile = {"mapping": {"ean": "ean", "name": "name", "price": "price", "stock": "stock"}}
    supplier_with_profile(backend, users.editor, "GAMMA", profile)
    data = catalog_file().replace(b",1.50,", b",abc,", 50)  # 50 rejected rows in the first batch
    path = Path(backend.container.config().data_dir) / "with-errors.csv"
    path.write_bytes(data)
    job = backend.container.import_manager().submit("GAMMA", path.name, path, JobSource.UPLOAD, queue=False)
    done = backend.container.import_runner(heartbeat_seconds=0.0).run(job.id)
    assert done.status.value == "completed_with_errors" and done.counts.errors == 50
    assert done.counts.products_created == ROWS - 50
    assert "could not record the heartbeat" not in caplog.text
