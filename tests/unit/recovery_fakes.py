"""In-memory fakes of the recovery ports: work records claimed by the domain's rules (the task queue is the
shared `RecordingTaskQueue`)."""

from __future__ import annotations

import uuid
from datetime import datetime

from attrs import define, field

from productsmanager.domain.odoo.runs import SyncRun


@define
class Work:
    """One piece of background work as the sweep sees it."""

    kind: str  # import | odoo | resolve | lookup | code2asin | export | thumbnails
    created_at: datetime
    status: str = "pending"  # pending | running | done | failed
    heartbeat_at: datetime | None = None
    dispatched_at: datetime | None = None
    run: SyncRun | None = None
    attempts: int = 0
    failure: str | None = None
    id: uuid.UUID = field(factory=uuid.uuid4)


class FakeUndispatchedWork:
    """Claims as the SQL does: due when pending since the cutoff (created or last dispatched) or running with a
    heartbeat at or before the stall cutoff; a claim marks it dispatched (and pending again)."""

    def __init__(self) -> None:
        self.items: list[Work] = []

    def add(self, work: Work) -> Work:
        self.items.append(work)
        return work

    def abandon_stalled(self, stalled_before: datetime, now: datetime, max_attempts: int, reason: str) -> int:
        abandoned = 0
        for work in self.items:
            beat = work.heartbeat_at or work.created_at
            stalled = work.kind != "thumbnails" and work.status == "running" and beat <= stalled_before
            if stalled and work.attempts >= max_attempts:
                work.status, work.failure = "failed", reason
                abandoned += 1
        return abandoned

    def _claim(self, kind: str, pending_before: datetime, stalled_before: datetime | None, now: datetime, limit: int):
        taken: list[Work] = []
        for work in sorted(self.items, key=lambda w: w.created_at):
            if work.kind != kind:
                continue
            beat = work.heartbeat_at or work.created_at
            stalled = stalled_before is not None and work.status == "running" and beat <= stalled_before
            pending = work.status == "pending" and (work.dispatched_at or work.created_at) <= pending_before
            if (stalled or pending) and len(taken) < limit:
                work.status, work.dispatched_at = "pending", now
                taken.append(work)
        return taken

    def claim_imports(
        self, pending_before: datetime, stalled_before: datetime, now: datetime, limit: int
    ) -> list[uuid.UUID]:
        return [w.id for w in self._claim("import", pending_before, stalled_before, now, limit)]

    def claim_odoo_runs(
        self, pending_before: datetime, stalled_before: datetime, now: datetime, limit: int
    ) -> list[SyncRun]:
        return [w.run for w in self._claim("odoo", pending_before, stalled_before, now, limit) if w.run]

    def claim_resolve_jobs(
        self, pending_before: datetime, stalled_before: datetime, now: datetime, limit: int
    ) -> list[uuid.UUID]:
        return [w.id for w in self._claim("resolve", pending_before, stalled_before, now, limit)]

    def claim_lookup_jobs(
        self, pending_before: datetime, stalled_before: datetime, now: datetime, limit: int
    ) -> list[uuid.UUID]:
        return [w.id for w in self._claim("lookup", pending_before, stalled_before, now, limit)]

    def claim_code2asin_jobs(
        self, pending_before: datetime, stalled_before: datetime, now: datetime, limit: int
    ) -> list[uuid.UUID]:
        return [w.id for w in self._claim("code2asin", pending_before, stalled_before, now, limit)]

    def claim_exports(
        self, pending_before: datetime, stalled_before: datetime, now: datetime, limit: int
    ) -> list[uuid.UUID]:
        return [w.id for w in self._claim("export", pending_before, stalled_before, now, limit)]

    def claim_thumbnails(self, pending_before: datetime, now: datetime, limit: int) -> list[uuid.UUID]:
        return [w.id for w in self._claim("thumbnails", pending_before, None, now, limit)]

    def claim_odoo_records(
        self, pending_before: datetime, stalled_before: datetime, now: datetime, limit: int
    ) -> list[tuple[uuid.UUID, str, int]]:
        """A pushed record's work: `Work` of kind "odoo_record", its id standing for (instance, model, record)."""
        claimed = self._claim("odoo_record", pending_before, stalled_before, now, limit)
        return [(w.id, "product.product", 1) for w in claimed]
