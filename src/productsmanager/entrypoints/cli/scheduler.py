"""`productsmanager scheduler`: every minute, queues the work that is due (import sources of every kind, FTP,
Google Drive and e-mail, on their schedule; Odoo sync schedules) and sweeps: work that never reached a worker
(pending past the grace, `PM_DISPATCH_GRACE_SECONDS`) and work whose worker died (no heartbeat for
`PM_IMPORT_STALL_MINUTES`) is dispatched again; expired downloads and the upload wizard's files abandoned for a
day are deleted. Safe to run in several copies: each due source, schedule or piece of swept work is claimed by
one tick only."""

from __future__ import annotations

import logging
import time

import click

log = logging.getLogger("productsmanager.scheduler")


@click.command("scheduler")
@click.option("--once", is_flag=True, help="Run one tick and exit (for cron or a test).")
@click.option("--interval", type=click.IntRange(5, 3600), default=60, show_default=True, help="Seconds between ticks.")
def scheduler(once: bool, interval: int) -> None:
    """Queue scheduled work when it is due (import sources: FTP, Google Drive, e-mail; Odoo syncs) and dispatch
    again work that is stuck (pending imports, Odoo runs and thumbnails, stalled imports and Odoo runs). Needs
    the workers to run it (PM_REDIS_URL), or runs it in this process on the embedded default. With
    PM_DATABASE_URL, PM_SECRET_KEYS is required."""
    from productsmanager.entrypoints.cli.context import ensure_schema, load_config, log_data_dir, open_container
    from productsmanager.entrypoints.cli.secret_keys import require_secret_keys

    config = load_config()
    require_secret_keys(config)
    log_data_dir(config)
    # One tick says at once what is wrong with the database; the long-running scheduler waits for it instead
    # (a database restarting or being migrated must not leave the schedules unattended once it is back).
    with open_container(config, ready_schema=once) as container:
        while not once:
            try:
                ensure_schema(container, config)
                break
            except click.ClickException as error:
                log.error("%s; trying again in %d s", error.message, interval)
                time.sleep(interval)
        while True:
            started = time.monotonic()
            try:
                queued = container.import_sources().queue_due()
                odoo = container.odoo_schedule_manager().queue_due()
                click.echo(f"tick: {len(queued)} import source run(s) queued, {len(odoo)} Odoo schedule(s) queued")
            except Exception:  # one failed tick (database restarting) must not stop the scheduler
                log.exception("scheduler tick failed")
            try:  # apart: schedules that cannot be queued must not keep stuck work from being swept
                click.echo(f"sweep: {container.work_sweep().sweep().summary()}")
            except Exception:
                log.exception("scheduler sweep failed")
            try:
                click.echo(f"exports: {container.exports().purge_expired()} expired download(s) deleted")
            except Exception:
                log.exception("deleting expired exports failed")
            try:
                click.echo(f"uploads: {container.abandoned_uploads().sweep()} abandoned upload(s) deleted")
            except Exception:
                log.exception("deleting abandoned uploads failed")
            if once:
                break
            time.sleep(max(0.0, interval - (time.monotonic() - started)))
        container.task_queue().drain(timeout=6 * 3600)  # embedded: the work queued here finishes before it exits
