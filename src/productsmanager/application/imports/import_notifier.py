"""E-mails about finished imports, whatever their source, to the recipients of the `notifications`
settings: the completion e-mail when `emailImportComplete` is on, the error e-mail for failed jobs and jobs
completed with errors (an error, not a success) when `emailImportError` is on."""

from __future__ import annotations

import logging

from productsmanager.application.ports import UnitOfWorkFactory
from productsmanager.application.settings.ports import Settings
from productsmanager.application.tasks import TaskQueue
from productsmanager.domain.imports.jobs import ImportJob, JobStatus

log = logging.getLogger(__name__)
FIRST_ERRORS = 5


class ImportNotifier:
    def __init__(self, uow: UnitOfWorkFactory, settings: Settings, tasks: TaskQueue, public_url: str) -> None:
        self._uow = uow
        self._settings = settings
        self._tasks = tasks
        self._public_url = public_url.rstrip("/")

    def template_for(self, job: ImportJob) -> str | None:
        wanted = self._settings.notifications()
        if job.status is JobStatus.COMPLETED and wanted.email_import_complete:
            return "import_completed"
        if job.status in (JobStatus.FAILED, JobStatus.COMPLETED_WITH_ERRORS) and wanted.email_import_error:
            return "import_failed"
        return None

    def job_ended(self, job: ImportJob) -> None:
        """Never raises: the import is done whatever happens to its e-mails."""
        try:
            template = self.template_for(job)
            recipients = self._settings.notifications().recipients
            if template is None or not recipients:
                return
            context = self._context(job)
            for recipient in recipients:
                self._tasks.send_email(template, recipient, context)
        except Exception:
            log.exception("could not queue the e-mails about import job %s", job.id)

    def _context(self, job: ImportJob) -> dict[str, str]:
        with self._uow() as uow:
            problems = uow.import_jobs.problems(job.id, FIRST_ERRORS, None)
        counts = job.counts
        return {
            "company_name": self._settings.general().company_name,
            "supplier": job.supplier_code,
            "file_name": job.file_name,
            "status": job.status.value.replace("_", " "),
            "failure_reason": job.failure_reason or "",
            "rows_total": str(counts.rows_total),
            "products_created": str(counts.products_created),
            "products_updated": str(counts.products_updated),
            "products_unchanged": str(counts.products_unchanged),
            "errors": str(counts.errors),
            "first_errors": "\n".join(f"row {p.number}: {p.message}" for _, p in problems if not p.warning),
            "job_url": f"{self._public_url}/api/v1/imports/{job.id}",
        }
