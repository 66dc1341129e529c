"""`productsmanager imports ...`: importing a supplier file from the command line, with a progress bar and
the job's summary."""

from __future__ import annotations

from pathlib import Path

import click

from productsmanager.domain.imports.jobs import JobSource, JobStatus
from productsmanager.entrypoints.cli.context import open_container


@click.group()
def imports() -> None:
    """Supplier catalog imports."""


@imports.command("run")
@click.option("--supplier", "supplier_code", required=True, help="Code of the supplier the file comes from.")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, readable=True, path_type=Path))
def run(supplier_code: str, file: Path) -> None:
    """Import FILE (CSV or XLSX, plain, .gz or .zip) with the supplier's import profile, in this process.
    The job is recorded like any other (GET /api/v1/imports); exits 1 when it failed or rejected rows."""
    with open_container() as container:
        job = container.import_manager().submit(supplier_code, file.name, file, JobSource.CLI, queue=False)
        if job.status is not JobStatus.FAILED:
            # The number of rows is known only at the end: the bar counts rows read, then completes.
            with click.progressbar(length=1, label=f"import {file.name}", show_percent=False) as bar:

                def progress(rows: int) -> None:
                    bar.label = f"import {file.name}: {rows} rows read"
                    bar.render_progress()

                job = container.import_runner().run(job.id, progress)
                bar.update(1)
    c = job.counts
    click.echo(f"job {job.id}: {job.status.value}")
    if job.failure_reason:
        click.echo(f"reason: {job.failure_reason}", err=True)
    click.echo(
        f"processed {c.rows_total} rows, succeeded {c.rows_total - c.errors}, failed {c.errors}; "
        f"products created {c.products_created}, updated {c.products_updated}, unchanged {c.products_unchanged}; "
        f"offers upserted {c.offers_upserted}, zeroed {c.offers_zeroed}, removed {c.offers_removed}; "
        f"warnings {c.warnings}"
    )
    if job.status is not JobStatus.COMPLETED:
        raise click.exceptions.Exit(1)
