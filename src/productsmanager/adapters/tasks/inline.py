"""Runs tasks in the calling process: the embedded default has no worker to hand them to. Thumbnails run at
once; mail goes to a background thread (`BackgroundRunner`), never inside the request that asked for it."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable

from productsmanager.adapters.tasks.background import BackgroundRunner
from productsmanager.application.auth.request_reset import ResetLinkSender
from productsmanager.application.imports.ftp_imports import FtpImports
from productsmanager.application.imports.import_runner import ImportRunner
from productsmanager.application.mail.mail_sender import MailSender
from productsmanager.application.media.thumbnail_generator import ThumbnailGenerator
from productsmanager.application.odoo.odoo_schedule_manager import OdooScheduleManager
from productsmanager.application.odoo.odoo_sync import OdooSync

log = logging.getLogger(__name__)


class InlineTaskQueue:
    def __init__(
        self,
        thumbnails: Callable[[], ThumbnailGenerator],
        reset_links: Callable[[], ResetLinkSender],
        mail: Callable[[], MailSender],
        background: BackgroundRunner,
        imports: Callable[[], ImportRunner] | None = None,
        ftp_imports: Callable[[], FtpImports] | None = None,
        odoo: Callable[[], OdooSync] | None = None,
        odoo_schedules: Callable[[], OdooScheduleManager] | None = None,
    ) -> None:
        self._thumbnails = thumbnails
        self._reset_links = reset_links
        self._mail = mail
        self.background = background
        self._imports = imports
        self._ftp_imports = ftp_imports
        self._odoo = odoo
        self._odoo_schedules = odoo_schedules

    def generate_thumbnails(self, media_file_id: uuid.UUID, force: bool = False) -> None:
        """A failure is logged, not raised: the upload that asked for it has succeeded, and
        `productsmanager media thumbnails --missing-only` or the API's regenerate call repairs it."""
        try:
            self._thumbnails().generate(media_file_id, force)
        except Exception:
            log.exception("thumbnails of media file %s failed", media_file_id)

    def send_password_reset(self, email: str) -> None:
        self.background.submit("password reset e-mail", lambda: self._reset_links().send(email))

    def send_email(self, template: str, to: str, context: dict[str, str]) -> None:
        self.background.submit(f"e-mail {template}", lambda: self._mail().send(template, to, context))

    def run_import(self, job_id: uuid.UUID) -> None:
        """In the background thread: an import may take minutes, longer than any request should."""
        if self._imports is None:
            raise RuntimeError("no import runner was given to the in-process task queue")
        runner = self._imports
        self.background.submit(f"import job {job_id}", lambda: runner().run(job_id))

    def run_ftp_import(self, supplier_id: uuid.UUID) -> None:
        if self._ftp_imports is None:
            raise RuntimeError("no FTP import use case was given to the in-process task queue")
        ftp = self._ftp_imports
        self.background.submit(f"FTP import of supplier {supplier_id}", lambda: ftp().run(supplier_id))

    def sync_product_to_odoo(self, run_id: uuid.UUID, product_id: uuid.UUID) -> None:
        odoo = self._odoo_sync()
        self.background.submit(f"Odoo sync run {run_id}", lambda: odoo().run_export(run_id, [product_id], {}))

    def bulk_sync_to_odoo(
        self, run_id: uuid.UUID, product_ids: list[uuid.UUID] | None, filters: dict[str, object]
    ) -> None:
        odoo = self._odoo_sync()
        self.background.submit(f"Odoo sync run {run_id}", lambda: odoo().run_export(run_id, product_ids, filters))

    def import_from_odoo(self, run_id: uuid.UUID) -> None:
        odoo = self._odoo_sync()
        self.background.submit(f"Odoo import run {run_id}", lambda: odoo().run_import(run_id))

    def _odoo_sync(self) -> Callable[[], OdooSync]:
        if self._odoo is None:
            raise RuntimeError("no Odoo sync use case was given to the in-process task queue")
        return self._odoo

    def run_odoo_schedule(self, schedule_id: uuid.UUID) -> None:
        """In the background thread: an export talks to Odoo for as long as the catalog takes."""
        if self._odoo_schedules is None:
            raise RuntimeError("no Odoo schedules use case was given to the in-process task queue")
        schedules = self._odoo_schedules
        self.background.submit(f"Odoo schedule {schedule_id}", lambda: schedules().run(schedule_id))
