"""Background work as the use cases ask for it. Production sends it to Dramatiq workers (Redis); the embedded
default runs it in-process. Each task is idempotent: running it twice does no harm.

`TASKS` is the one table of tasks: a task's name is the `TaskQueue` method that asks for it, the Dramatiq
actor that runs it (messages already queued in Redis name their actor, so a name never changes) and the key
of its handler in the in-process queue; its value is the queue it goes on."""

from __future__ import annotations

import uuid
from abc import ABC, abstractmethod
from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import Protocol

from productsmanager.application.mail.ports import MailDeliveryFailed


class Queue(StrEnum):
    """Workers are started per queue, so that slow work (an import of hours) never holds up quick work (a
    reset e-mail)."""

    DEFAULT = "default"  # mail, housekeeping
    MEDIA = "media"
    IMPORTS = "imports"
    ODOO = "odoo"
    ENRICHMENT = "enrichment"  # EAN lookup jobs, the EAN Finder, Code2ASIN: paced by the providers
    EXPORTS = "exports"  # files of the whole catalog: long, and kept off the imports they would wait behind


TASKS: Mapping[str, Queue] = MappingProxyType(
    {
        "generate_thumbnails": Queue.MEDIA,
        "send_password_reset": Queue.DEFAULT,
        "send_email": Queue.DEFAULT,
        "run_import": Queue.IMPORTS,
        "run_ftp_import": Queue.IMPORTS,  # messages queued before sources had kinds: an FTP source's run
        "run_source_import": Queue.IMPORTS,
        "sync_product_to_odoo": Queue.ODOO,
        "bulk_sync_to_odoo": Queue.ODOO,
        "import_from_odoo": Queue.ODOO,
        "run_odoo_schedule": Queue.ODOO,
        "import_odoo_record": Queue.ODOO,  # a change pushed from Odoo by webhook: one record, in seconds
        # With the imports: a catalog-wide rewrite of products, kept off the mail and Odoo workers.
        "resolve_products": Queue.IMPORTS,
        "lookup_eans": Queue.ENRICHMENT,
        "download_lookup_images": Queue.ENRICHMENT,
        # The EAN Finder's text searches, paced per provider; with the imports whose rows it searches for.
        "find_eans": Queue.ENRICHMENT,
        # Amazon's pace holds it; its images are downloaded by the same task, after the matches are applied.
        "run_code2asin_job": Queue.ENRICHMENT,
        "run_export": Queue.EXPORTS,
    }
)


def is_transient(error: BaseException) -> bool:
    """Worth another attempt later: the mail server was unreachable or answered "try again". The rule both
    the workers' retries and the in-process background runner's follow."""
    return isinstance(error, MailDeliveryFailed) and error.transient


class TaskQueue(Protocol):
    """Every method but `drain` raises `DependencyUnavailable` when the broker cannot be reached: the caller
    keeps work it recorded as pending (`queue_recorded_work`) and lets the error through for work it did not
    record. Each method queues the task of its own name on the queue `TASKS` gives."""

    def generate_thumbnails(self, media_file_id: uuid.UUID, force: bool = False) -> None:
        """(Re)creates the thumbnails of one stored image."""
        ...

    def send_password_reset(self, email: str) -> None:
        """Looks the address up and, if it names an active account, issues a reset token and mails the link.
        Done in the background so that the request takes the same time whether or not the account exists;
        the token never travels through the queue."""
        ...

    def send_email(self, template: str, to: str, context: dict[str, str]) -> None:
        """Renders the message `template` and sends it to `to`, retried with backoff while the failure is
        transient. `context` holds nothing secret (the queue stores it)."""
        ...

    def run_import(self, job_id: uuid.UUID) -> None:
        """Runs an import job (a pending one, or a failed or stalled one again)."""
        ...

    def run_ftp_import(self, supplier_id: uuid.UUID) -> None:
        """Runs the supplier's FTP source (the task's name before sources had kinds)."""
        ...

    def run_source_import(self, supplier_id: uuid.UUID, kind: str) -> None:
        """Runs the supplier's import source of `kind` (ftp, gdrive, email): what is new there is imported."""
        ...

    def sync_product_to_odoo(self, run_id: uuid.UUID, product_id: uuid.UUID) -> None:
        """Exports one product (run `run_id`)."""
        ...

    def bulk_sync_to_odoo(
        self, run_id: uuid.UUID, product_ids: list[uuid.UUID] | None, filters: dict[str, object]
    ) -> None:
        """Exports those products, or those the product-list filters select."""
        ...

    def import_from_odoo(self, run_id: uuid.UUID) -> None:
        """Reads Odoo's products into the catalog."""
        ...

    def run_odoo_schedule(self, schedule_id: uuid.UUID) -> None:
        """Runs one Odoo sync schedule (an export of its filtered products to Odoo)."""
        ...

    def import_odoo_record(self, instance_id: uuid.UUID, model: str, record_id: int) -> None:
        """Imports one Odoo record whose change the instance's webhook announced (once per change)."""
        ...

    def resolve_products(self, job_id: uuid.UUID) -> None:
        """Runs a resolve job (every product re-resolved after `source_priority` changed), or takes over a
        stalled one from its last saved batch."""
        ...

    def lookup_eans(self, job_id: uuid.UUID) -> None:
        """Runs a lookup job (its pending GTINs at the barcode providers), or takes over a stalled one."""
        ...

    def download_lookup_images(self, job_id: uuid.UUID) -> None:
        """Downloads the images an applied lookup job found into the products' media (stored once each)."""

    def find_eans(self, job_id: uuid.UUID) -> None:
        """Runs an EAN Finder job: the text search of its waiting rows at the providers."""
        ...

    def run_code2asin_job(self, job_id: uuid.UUID) -> None:
        """Runs a Code2ASIN job (matching, applying, images), or takes over a stalled one where it stopped."""
        ...

    def run_export(self, job_id: uuid.UUID) -> None:
        """Runs an export (products into a file on its platform), or takes over a stalled one from the start."""
        ...

    def drain(self, timeout: float = 30.0) -> bool:
        """Waits until the work this queue runs in this process is done; False if some is still running after
        `timeout` seconds. For tests, benchmarks and a clean shutdown: work handed to other processes (the
        Dramatiq workers) is not waited for, its records (job rows, runs) say when it is done."""
        ...


class TaskDispatcher(ABC):
    """Every `TaskQueue` method as one call of `_dispatch(task name, its arguments)`, defaults filled in, so
    an implementation says only how a task is sent (to a broker, to a thread, into a test's record) and
    cannot queue a task under another name than the table's."""

    def generate_thumbnails(self, media_file_id: uuid.UUID, force: bool = False) -> None:
        self._dispatch("generate_thumbnails", media_file_id, force)

    def send_password_reset(self, email: str) -> None:
        self._dispatch("send_password_reset", email)

    def send_email(self, template: str, to: str, context: dict[str, str]) -> None:
        self._dispatch("send_email", template, to, context)

    def run_import(self, job_id: uuid.UUID) -> None:
        self._dispatch("run_import", job_id)

    def run_ftp_import(self, supplier_id: uuid.UUID) -> None:
        self._dispatch("run_ftp_import", supplier_id)

    def run_source_import(self, supplier_id: uuid.UUID, kind: str) -> None:
        self._dispatch("run_source_import", supplier_id, kind)

    def sync_product_to_odoo(self, run_id: uuid.UUID, product_id: uuid.UUID) -> None:
        self._dispatch("sync_product_to_odoo", run_id, product_id)

    def bulk_sync_to_odoo(
        self, run_id: uuid.UUID, product_ids: list[uuid.UUID] | None, filters: dict[str, object]
    ) -> None:
        self._dispatch("bulk_sync_to_odoo", run_id, product_ids, filters)

    def import_from_odoo(self, run_id: uuid.UUID) -> None:
        self._dispatch("import_from_odoo", run_id)

    def run_odoo_schedule(self, schedule_id: uuid.UUID) -> None:
        self._dispatch("run_odoo_schedule", schedule_id)

    def import_odoo_record(self, instance_id: uuid.UUID, model: str, record_id: int) -> None:
        self._dispatch("import_odoo_record", instance_id, model, record_id)

    def resolve_products(self, job_id: uuid.UUID) -> None:
        self._dispatch("resolve_products", job_id)

    def lookup_eans(self, job_id: uuid.UUID) -> None:
        self._dispatch("lookup_eans", job_id)

    def download_lookup_images(self, job_id: uuid.UUID) -> None:
        self._dispatch("download_lookup_images", job_id)

    def find_eans(self, job_id: uuid.UUID) -> None:
        self._dispatch("find_eans", job_id)

    def run_code2asin_job(self, job_id: uuid.UUID) -> None:
        self._dispatch("run_code2asin_job", job_id)

    def run_export(self, job_id: uuid.UUID) -> None:
        self._dispatch("run_export", job_id)

    @abstractmethod
    def drain(self, timeout: float = 30.0) -> bool: ...

    @abstractmethod
    def _dispatch(self, task: str, *args: object) -> None:
        """`task` is a key of `TASKS`; `args` are the method's arguments as the caller gave them."""
