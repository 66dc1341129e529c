"""Where the sweep finds work to dispatch again, and claims it.

A claim is a compare-and-set: the work is marked dispatched (and stalled work put back to `pending`) only if it
is still due when the marking happens, so that of two schedulers sweeping at once each piece of work is
claimed by one of them only."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Protocol

from productsmanager.domain.odoo.runs import SyncRun


class UndispatchedWork(Protocol):
    def abandon_stalled(self, stalled_before: datetime, now: datetime, max_attempts: int, reason: str) -> int:
        """Import jobs, Odoo runs and resolve jobs stalled (no heartbeat since `stalled_before`) after
        `max_attempts` or more attempts are recorded failed with `reason` instead of being run again; how many."""
        ...

    def claim_imports(
        self, pending_before: datetime, stalled_before: datetime, now: datetime, limit: int
    ) -> list[uuid.UUID]:
        """Import jobs with a kept file that are pending since (created or last dispatched) `pending_before`
        or earlier, or processing with no heartbeat since `stalled_before` (put back to pending); each marked
        dispatched at `now`. At most `limit` of each, oldest first."""
        ...

    def claim_odoo_runs(
        self, pending_before: datetime, stalled_before: datetime, now: datetime, limit: int
    ) -> list[SyncRun]:
        """The same for Odoo sync runs that keep their request (stalled ones: running without a heartbeat)."""
        ...

    def claim_resolve_jobs(
        self, pending_before: datetime, stalled_before: datetime, now: datetime, limit: int
    ) -> list[uuid.UUID]:
        """The same for resolve jobs: queued since `pending_before`, or running without a heartbeat (put back
        to queued: the next attempt goes on from the last batch saved)."""
        ...

    def claim_lookup_jobs(
        self, pending_before: datetime, stalled_before: datetime, now: datetime, limit: int
    ) -> list[uuid.UUID]:
        """The same for EAN lookup jobs: queued since `pending_before`, or running without a heartbeat (put
        back to queued: the next attempt goes on with the GTINs still pending)."""
        ...

    def claim_code2asin_jobs(
        self, pending_before: datetime, stalled_before: datetime, now: datetime, limit: int
    ) -> list[uuid.UUID]:
        """The same for Code2ASIN jobs (stalled ones put back to queued: the next attempt goes on in the stage
        the job was in)."""
        ...

    def claim_exports(
        self, pending_before: datetime, stalled_before: datetime, now: datetime, limit: int
    ) -> list[uuid.UUID]:
        """The same for export jobs (stalled ones put back to queued: the next attempt writes the file again)."""
        ...

    def claim_thumbnails(self, pending_before: datetime, now: datetime, limit: int) -> list[uuid.UUID]:
        """Media files whose thumbnails are still pending since (uploaded or last dispatched) `pending_before`."""
        ...

    def claim_odoo_records(
        self, pending_before: datetime, stalled_before: datetime, now: datetime, limit: int
    ) -> list[tuple[uuid.UUID, str, int]]:
        """Records an Odoo webhook announced whose import never started, was deferred (Odoo down) or whose
        worker died: (instance, model, record id), each claimed by one sweep."""
        ...
