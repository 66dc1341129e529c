"""Hostile supplier files through the real import path, on both databases: every job ends, with a reason
(a failure reason, or the rows' problems), and no file takes the process down; a workbook that would make
calamine abort the process fails with "sheet too large", and so does its retry. In child processes: the
peak memory growth of the importing process stays small whatever a file's line lengths."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from productsmanager.domain.imports.jobs import ImportJob, JobSource, JobStatus
from tests.hostile_supplier_files import (
    CORPUS,
    CSV_PROFILE,
    MIB,
    XLSX_PROFILE,
    HostileFile,
    gzip_zeros,
    import_in_child,
    long_row_csv,
    one_line_csv,
)
from tests.integration.helpers import Backend

pytestmark = pytest.mark.integration
# A line held whole would lift the process by at least its size (bytes, then text): 64 MB files prove it is not.
MEMORY_LINE = 64 * MIB
GROWTH_BOUND_KB = 24 * 1024


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("hostile")


def imported(backend: Backend, path: Path, name: str, profile: dict[str, object]) -> ImportJob:
    container = backend.container
    supplier = container.supplier_service().create({"code": "HOSTILE", "name": "Hostile files"})
    container.import_manager().save_profile(supplier.id, profile)
    job = container.import_manager().submit("HOSTILE", name, path, JobSource.UPLOAD, queue=False)
    return container.import_runner().run(job.id)


def problems_of(backend: Backend, job: ImportJob) -> list[str]:
    with backend.container.uow() as uow:
        return [problem.reason for _id, problem in uow.import_jobs.problems(job.id, 1000, None)]


@pytest.mark.parametrize("hostile", CORPUS, ids=lambda hostile: hostile.name)
def test_every_hostile_file_ends_its_job_with_a_reason(backend: Backend, corpus: Path, hostile: HostileFile) -> None:
    job = imported(backend, hostile.make(corpus), hostile.name, hostile.profile)
    problems = problems_of(backend, job)
    assert job.status.value in hostile.expect, (job.status, job.failure_reason, problems)
    if job.status is JobStatus.FAILED:
        assert job.failure_reason and hostile.reason in job.failure_reason
    else:
        assert hostile.reason == "" or hostile.reason in problems, problems
        assert (job.counts.errors > 0) == (job.status is JobStatus.COMPLETED_WITH_ERRORS)
        assert "internal error" not in str(job.failure_reason)


def test_a_workbook_that_would_abort_the_process_fails_and_so_does_its_retry(backend: Backend, corpus: Path) -> None:
    hostile = next(hostile for hostile in CORPUS if hostile.name == "a1_and_xfd1048576.xlsx")
    job = imported(backend, hostile.make(corpus), hostile.name, hostile.profile)
    assert job.status is JobStatus.FAILED and job.failure_reason
    assert job.failure_reason.startswith("sheet too large: its cells span A1:XFD1048576 (17,179,869,184 cells")
    backend.container.import_manager().retry(job.id)
    assert backend.container.task_queue().drain(timeout=60)
    again = backend.container.import_manager().get(job.id)
    assert (again.status, again.failure_reason, again.attempts) == (JobStatus.FAILED, job.failure_reason, 2)


def test_warnings_about_dropped_nuls_are_counted_and_kept_with_the_row(backend: Backend, corpus: Path) -> None:
    hostile = next(hostile for hostile in CORPUS if hostile.name == "nul_cells.csv")
    job = imported(backend, hostile.make(corpus), hostile.name, hostile.profile)
    assert job.status is JobStatus.COMPLETED and job.counts.warnings == 2 and job.counts.errors == 0
    with backend.container.uow() as uow:
        found = uow.import_jobs.problems(job.id, 10, None)
    assert sorted((p.number, p.reason, p.column, p.warning) for _id, p in found) == [
        (2, "nul_dropped", "name", True), (3, "nul_dropped", "ean", True),
    ]  # fmt: skip
    with backend.engine.connect() as conn:
        names = dict(conn.execute(text("SELECT gtin, name FROM products ORDER BY gtin")).all())
    assert names["04006381333931"] == "Creme" and names["00000096385074"] == "Pen"


@pytest.mark.parametrize(
    ("name", "write", "size"),
    [("one_line.csv", one_line_csv, MEMORY_LINE), ("long_row.csv", long_row_csv, MEMORY_LINE),
     ("zeros_no_newline.csv.gz", gzip_zeros, 256 * MIB)],
)  # fmt: skip
def test_no_line_is_held_whole_in_the_importing_process(tmp_path: Path, name: str, write: object, size: int) -> None:
    path = tmp_path / name
    write(path, size)  # type: ignore[operator]
    child = import_in_child(path, name, CSV_PROFILE)
    assert child.returncode == 0, child.stderr
    assert child.status in ("failed", "completed_with_errors") and (child.reason or child.problems)
    assert child.growth_kb < GROWTH_BOUND_KB, f"{name}: +{child.growth_kb / 1024:.0f} MB"


def test_a_workbook_whose_grid_calamine_cannot_allocate_does_not_crash_the_importing_process(corpus: Path) -> None:
    hostile = next(hostile for hostile in CORPUS if hostile.name == "a1_and_xfd1048576.xlsx")
    child = import_in_child(hostile.make(corpus), hostile.name, XLSX_PROFILE)
    assert child.returncode == 0, child.stderr[-1000:]
    assert child.status == "failed" and child.reason.startswith("sheet too large")
