"""Dramatiq actors: primitive arguments, the use case looked up in the container, idempotent. Each task's actor
has the task's name and its queue in the task table (`TASKS`): `DramatiqTaskQueue` sends by that name.

A message for work still marked running (Redis redelivers the messages of a worker that stopped beating, a
sweep or a retry may queue it again) is never dropped: it comes back when the work's heartbeat would be stale
(`WorkStillRunning` → `dramatiq.Retry` with that delay), and then finds the work finished, or takes it over."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from typing import TypeVar

import dramatiq

from productsmanager.application.tasks import TASKS, Queue, is_transient
from productsmanager.config import Config
from productsmanager.container import build_container
from productsmanager.domain.imports.import_source import SourceKind
from productsmanager.domain.recovery import WorkAbandoned, WorkStillRunning
from productsmanager.entrypoints.dramatiq.broker import setup_broker

log = logging.getLogger(__name__)
_config = Config.from_env()
broker = setup_broker(_config)
container = build_container(_config)


# How many times a message may look again at work still running (each time a stall period later): as long as
# any real run lasts. It is not spent by failures, which each actor's own rule below limits.
LOOK_AGAIN_RETRIES = 10_000
ODOO_RETRIES = 3


T = TypeVar("T")


def attempt(work: Callable[[], T]) -> T | None:
    """Runs the work; still running elsewhere: `dramatiq.Retry` with the delay until its heartbeat would be
    stale; abandoned (its worker died on it too often, now recorded failed): logged, the message is done."""
    try:
        return work()
    except WorkStillRunning as running:
        log.info("%s: looking again in %s", running.message, running.retry_in)
        raise dramatiq.Retry(running.message, delay=int(running.retry_in.total_seconds() * 1000)) from None
    except WorkAbandoned as abandoned:
        log.warning("%s", abandoned.message)
        return None


def looks_again(retries: int, error: BaseException) -> bool:
    """Only a "still running" comes back: a file that failed fails again; `retry` re-runs a job on purpose."""
    return isinstance(error, dramatiq.Retry) and retries < LOOK_AGAIN_RETRIES


def odoo_retry(retries: int, error: BaseException) -> bool:
    """A "still running" comes back; other failures (Odoo unreachable) up to 3 times, with backoff."""
    return looks_again(retries, error) or retries < ODOO_RETRIES


@dramatiq.actor(queue_name=Queue.DEFAULT, max_retries=3)
def purge_expired_sessions() -> None:
    """Deletes expired and revoked login sessions; running it twice is harmless."""
    count = container.authenticator().purge_expired_sessions()
    log.info("purged %d expired or revoked sessions", count)


@dramatiq.actor(queue_name=TASKS["generate_thumbnails"], max_retries=5, min_backoff=1_000, max_backoff=60_000)
def generate_thumbnails(media_file_id: str, force: bool = False) -> None:
    """Idempotent: thumbnails that exist are kept (unless `force`), keys and rows are replaced, never added."""
    outcome = container.thumbnail_generator().generate(uuid.UUID(media_file_id), force)
    log.info("media file %s: %s", media_file_id, outcome)


def _retry_transient_mail(retries: int, error: BaseException) -> bool:
    """Up to 8 more attempts (backoff from 10 s to 30 min) while the mail server says "later"; a permanent
    refusal or a template bug is logged once and dropped."""
    return retries < MAIL_RETRIES and is_transient(error)


MAIL_RETRIES = 8


@dramatiq.actor(
    queue_name=TASKS["send_password_reset"], retry_when=_retry_transient_mail, min_backoff=10_000, max_backoff=1_800_000
)
def send_password_reset(email: str) -> None:
    """Idempotent enough: a redelivery issues a new token, which supersedes the one of the first run."""
    container.reset_link_sender().send(email)


@dramatiq.actor(
    queue_name=TASKS["send_email"], retry_when=_retry_transient_mail, min_backoff=10_000, max_backoff=1_800_000
)
def send_email(template: str, to: str, context: dict[str, str]) -> None:
    container.mail_sender().send(template, to, context)


@dramatiq.actor(queue_name=TASKS["run_import"], retry_when=looks_again, time_limit=6 * 3600 * 1000)
def run_import(job_id: str) -> None:
    """Not retried by Dramatiq when it fails: a file that failed fails again; `POST /api/v1/imports/{id}/retry`
    re-runs a failed job on purpose. A message for a running job looks again later; for a finished one, or
    one another worker just started, it does nothing."""
    from productsmanager.domain.imports.jobs import JobStateError

    try:
        job = attempt(lambda: container.import_runner().run(uuid.UUID(job_id)))
    except JobStateError as error:
        log.info("import job %s not run: %s", job_id, error)
        return
    if job is not None:
        log.info("import job %s: %s, %s", job_id, job.status.value, job.counts)


@dramatiq.actor(queue_name=TASKS["run_ftp_import"], max_retries=0, time_limit=6 * 3600 * 1000)
def run_ftp_import(supplier_id: str) -> None:
    """A message queued before sources had kinds: the supplier's FTP source."""
    run_source_import.fn(supplier_id, SourceKind.FTP.value)


@dramatiq.actor(queue_name=TASKS["run_source_import"], max_retries=0, time_limit=6 * 3600 * 1000)
def run_source_import(supplier_id: str, kind: str) -> None:
    """A redelivery is harmless: what the source already took is skipped."""
    jobs = container.source_runs().run(uuid.UUID(supplier_id), SourceKind(kind))
    outcome = ", ".join(f"{job.file_name} ({job.status.value})" for job in jobs) or "nothing new"
    log.info("%s import of supplier %s: %s", SourceKind(kind).label, supplier_id, outcome)


@dramatiq.actor(
    queue_name=TASKS["sync_product_to_odoo"], retry_when=odoo_retry, min_backoff=10_000, max_backoff=300_000
)
def sync_product_to_odoo(run_id: str, product_id: str) -> None:
    """Idempotent: a finished run is not run again, and an export writes only what differs in Odoo."""
    run = attempt(lambda: container.odoo_sync().run_export(uuid.UUID(run_id), [uuid.UUID(product_id)], {}))
    if run is not None:
        log.info("Odoo sync run %s: %s", run_id, run.status.value)


@dramatiq.actor(
    queue_name=TASKS["bulk_sync_to_odoo"],
    retry_when=odoo_retry,
    min_backoff=10_000,
    max_backoff=300_000,
    time_limit=6 * 3600 * 1000,
)
def bulk_sync_to_odoo(run_id: str, product_ids: list[str] | None, filters: dict[str, object]) -> None:
    ids = [uuid.UUID(pid) for pid in product_ids] if product_ids is not None else None
    run = attempt(lambda: container.odoo_sync().run_export(uuid.UUID(run_id), ids, filters))
    if run is not None:
        log.info("Odoo sync run %s: %s (%d of %d)", run_id, run.status.value, run.succeeded, run.requested)


@dramatiq.actor(
    queue_name=TASKS["import_from_odoo"],
    retry_when=odoo_retry,
    min_backoff=10_000,
    max_backoff=300_000,
    time_limit=6 * 3600 * 1000,
)
def import_from_odoo(run_id: str) -> None:
    run = attempt(lambda: container.odoo_sync().run_import(uuid.UUID(run_id)))
    if run is not None:
        log.info("Odoo import run %s: %s", run_id, run.status.value)


@dramatiq.actor(queue_name=TASKS["run_odoo_schedule"], max_retries=0, time_limit=6 * 3600 * 1000)
def run_odoo_schedule(schedule_id: str) -> None:
    """Not retried by Dramatiq: the next scheduled run comes an interval later. A redelivery is harmless: the
    export writes only what changed and adopts by barcode what Odoo already has."""
    run = container.odoo_schedule_manager().run(uuid.UUID(schedule_id))
    log.info("Odoo schedule %s: run %s %s", schedule_id, run.id, run.status.value)


@dramatiq.actor(queue_name=TASKS["import_odoo_record"], max_retries=0, time_limit=600 * 1000)
def import_odoo_record(instance_id: str, model: str, record_id: int) -> None:
    """Not retried by Dramatiq: a record Odoo could not give stays pending for the scheduler's sweep. A
    redelivery is harmless: a record not pending any more is left alone."""
    outcome = container.odoo_record_refresh().run(uuid.UUID(instance_id), model, int(record_id))
    log.info("Odoo %s %s pushed: %s", model, record_id, outcome.value if outcome else "not pending")


@dramatiq.actor(queue_name=TASKS["resolve_products"], retry_when=looks_again, time_limit=6 * 3600 * 1000)
def resolve_products(job_id: str) -> None:
    """Not retried by Dramatiq when it fails: the job records its error. A message for a running job looks again
    later (then takes it over from its last batch if its worker died); for a finished one it does nothing."""
    job = attempt(lambda: container.product_resolution().run(uuid.UUID(job_id)))
    if job is not None:
        log.info("resolve job %s: %s, %d of %d products, %d changed", job_id, job.status.value, job.processed,
                 job.total, job.changed)  # fmt: skip


@dramatiq.actor(queue_name=TASKS["lookup_eans"], retry_when=looks_again, time_limit=6 * 3600 * 1000)
def lookup_eans(job_id: str) -> None:
    """Not retried by Dramatiq when it fails: the job records its error. A message for a running job looks again
    later (then takes it over with its pending GTINs if its worker died); for a finished one it does nothing."""
    job = attempt(lambda: container.lookup_job_runner().run(uuid.UUID(job_id)))
    if job is not None:
        log.info("lookup job %s: %s, %d of %d, %d found", job_id, job.status.value, job.processed, job.total,
                 job.found)  # fmt: skip


@dramatiq.actor(queue_name=TASKS["download_lookup_images"], max_retries=3, time_limit=2 * 3600 * 1000)
def download_lookup_images(job_id: str) -> None:
    """Retried a few times when it fails as a whole (the database away): images stored already are found by
    their SHA-256, never stored twice."""
    outcome = container.lookup_images().download(uuid.UUID(job_id))
    log.info("lookup job %s images: %d stored, %d known, %d failed", job_id, outcome.stored, outcome.known,
             outcome.failed)  # fmt: skip


@dramatiq.actor(queue_name=TASKS["find_eans"], max_retries=0, time_limit=6 * 3600 * 1000)
def find_eans(job_id: str) -> None:
    """Not retried by Dramatiq: the job records its error. A redelivered message searches only the rows still
    waiting, so running it twice asks no provider twice for a row."""
    job = container.ean_finder_search().run(uuid.UUID(job_id))
    log.info("EAN Finder job %s: %s, %d of %d rows, %d with candidates", job_id, job.status.value, job.processed,
             job.total, job.found)  # fmt: skip


@dramatiq.actor(queue_name=TASKS["run_code2asin_job"], retry_when=looks_again, time_limit=6 * 3600 * 1000)
def run_code2asin_job(job_id: str) -> None:
    """Not retried by Dramatiq when it fails: the job records its error. A message for a running job looks again
    later (then takes it over where it stopped if its worker died); for a finished one it does nothing."""
    job = attempt(lambda: container.code2asin_job_runner().run(uuid.UUID(job_id)))
    if job is not None:
        log.info("Code2ASIN job %s: %s, %d of %d EANs, %d matched, %d ASINs set, %d images stored", job_id,
                 job.status.value, job.processed, job.eans, job.matched, job.asins_set, job.images_stored)  # fmt: skip


@dramatiq.actor(queue_name=TASKS["run_export"], retry_when=looks_again, time_limit=6 * 3600 * 1000)
def run_export(job_id: str) -> None:
    """Not retried by Dramatiq when it fails: the job records its error. A message for a running export looks
    again later (then takes it over, writing the file again, if its worker died); a finished one is left."""
    job = attempt(lambda: container.export_runner().run(uuid.UUID(job_id)))
    if job is not None:
        log.info("export %s: %s, %d rows, %d bytes", job_id, job.status.value, job.rows, job.bytes)
