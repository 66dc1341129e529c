"""Background work as the use cases ask for it. Production sends it to Dramatiq workers (Redis); the embedded
default runs it in-process. Each task is idempotent: running it twice does no harm."""

from __future__ import annotations

import uuid
from typing import Protocol


class TaskQueue(Protocol):
    """Every method raises `DependencyUnavailable` when the broker cannot be reached: the caller keeps work it
    recorded as pending (`queue_recorded_work`) and lets the error through for work it did not record."""

    def generate_thumbnails(self, media_file_id: uuid.UUID, force: bool = False) -> None:
        """On the `media` queue: (re)create the thumbnails of one stored image."""
        ...

    def send_password_reset(self, email: str) -> None:
        """On the `default` queue: looks the address up and, if it names an active account, issues a reset
        token and mails the link. Done in the background so that the request takes the same time whether
        or not the account exists; the token never travels through the queue."""
        ...

    def send_email(self, template: str, to: str, context: dict[str, str]) -> None:
        """On the `default` queue: renders the message `template` and sends it to `to`, retried with backoff
        while the failure is transient. `context` holds nothing secret (the queue stores it)."""
        ...

    def run_import(self, job_id: uuid.UUID) -> None:
        """On the `imports` queue: runs an import job (a pending one, or a failed or stalled one again)."""
        ...

    def run_ftp_import(self, supplier_id: uuid.UUID) -> None:
        """On the `imports` queue: fetches the supplier's newest new file from its FTP source and imports it."""
        ...

    def sync_product_to_odoo(self, run_id: uuid.UUID, product_id: uuid.UUID) -> None:
        """On the `odoo` queue: exports one product (run `run_id`)."""
        ...

    def bulk_sync_to_odoo(
        self, run_id: uuid.UUID, product_ids: list[uuid.UUID] | None, filters: dict[str, object]
    ) -> None:
        """On the `odoo` queue: exports those products, or those the product-list filters select."""
        ...

    def import_from_odoo(self, run_id: uuid.UUID) -> None:
        """On the `odoo` queue: reads Odoo's products into the catalog."""
        ...

    def run_odoo_schedule(self, schedule_id: uuid.UUID) -> None:
        """On the `odoo` queue: runs one Odoo sync schedule (an export of its filtered products to Odoo)."""
        ...
