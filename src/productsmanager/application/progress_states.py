"""What each kind of long work publishes as its state: small, JSON-able, and named like the fields of the
capability's REST job resource (so that a page or an API client reads an event and a `GET` the same way).
`status` is always there; the rest is what changes while the work runs (counts, the error). The topics are
`import:<job id>`, `odoo_run:<run id>`, `lookup_job:<job id>`, `code2asin_job:<job id>`, `export:<export
id>` and `thumbnails:<product id>` (one event per media file of the product). A use case takes its kind's
announcer (`import_progress(events)`, ...) and calls it with the work right after each commit."""

from __future__ import annotations

from typing import Any

import attrs

from productsmanager.application.events import EventPublisher
from productsmanager.application.progress import Announcer
from productsmanager.domain.code2asin.jobs import Code2AsinJob
from productsmanager.domain.enrichment.lookup_jobs import LookupJob
from productsmanager.domain.events import TopicKind
from productsmanager.domain.exports.jobs import ExportJob
from productsmanager.domain.imports.jobs import ImportJob
from productsmanager.domain.media_files import MediaFile
from productsmanager.domain.odoo.runs import SyncRun

State = dict[str, Any]
# The counters of a Code2ASIN job, as its resource's `counts` lists them.
CODE2ASIN_COUNTERS = (
    "eans", "matched", "ambiguous", "not_found", "errors", "asins_set", "images_stored", "images_known",
    "images_failed",
)  # fmt: skip


def import_state(job: ImportJob) -> State:
    counts, reason = attrs.asdict(job.counts), job.failure_reason
    return {"status": job.status.value, "counts": counts, "failure_reason": reason, "attempts": job.attempts}


def odoo_run_state(run: SyncRun) -> State:
    return {
        "status": run.status.value,
        "kind": run.kind.value,
        "requested": run.requested,
        "succeeded": run.succeeded,
        "failed": run.failed,
        "error": run.error,
    }


def lookup_job_state(job: LookupJob) -> State:
    return {
        "status": job.status.value,
        "progress": {"processed": job.processed, "total": job.total},
        "counts": {"found": job.found, "not_found": job.not_found, "errors": job.errors},
        "error": job.error,
    }


def code2asin_job_state(job: Code2AsinJob) -> State:
    return {
        "status": job.status.value,
        "stage": None if job.stage is None else job.stage.value,
        "processed": job.processed,
        "counts": {name: getattr(job, name) for name in CODE2ASIN_COUNTERS},
        "error": job.error,
    }


def export_state(job: ExportJob) -> State:
    """No `download_url`: it is signed per reader, and an event goes to every watcher; the page reads it."""
    return {"status": job.status.value, "rows": job.rows, "bytes": job.bytes, "error": job.error}


def thumbnails_state(media: MediaFile) -> State:
    return {"media_file_id": str(media.id), "status": media.status.value, "failure_reason": media.failure_reason}


def import_progress(events: EventPublisher) -> Announcer[ImportJob]:
    return Announcer(events, TopicKind.IMPORT, import_state)


def odoo_run_progress(events: EventPublisher) -> Announcer[SyncRun]:
    return Announcer(events, TopicKind.ODOO_RUN, odoo_run_state)


def lookup_job_progress(events: EventPublisher) -> Announcer[LookupJob]:
    return Announcer(events, TopicKind.LOOKUP_JOB, lookup_job_state)


def code2asin_job_progress(events: EventPublisher) -> Announcer[Code2AsinJob]:
    return Announcer(events, TopicKind.CODE2ASIN_JOB, code2asin_job_state)


def export_progress(events: EventPublisher) -> Announcer[ExportJob]:
    return Announcer(events, TopicKind.EXPORT, export_state)


def thumbnails_progress(events: EventPublisher) -> Announcer[MediaFile]:
    """Under the product's topic: its page shows every image, and watches one topic for them all."""
    return Announcer(events, TopicKind.THUMBNAILS, thumbnails_state, topic_id=lambda media: media.product_id)
