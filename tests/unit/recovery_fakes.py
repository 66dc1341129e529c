"""In-memory fakes of the recovery ports: work records claimed by the domain's rules, a task queue that
records (or refuses, like a broker that is down)."""

from __future__ import annotations

import uuid
from datetime import datetime

from attrs import define, field

from productsmanager.domain.odoo.runs import SyncRun


@define
class Work:
    """One piece of background work as the sweep sees it."""

    kind: str  # import | odoo | thumbnails
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

    def claim_thumbnails(self, pending_before: datetime, now: datetime, limit: int) -> list[uuid.UUID]:
        return [w.id for w in self._claim("thumbnails", pending_before, None, now, limit)]


class BrokerDown(Exception):
    pass


class SweptTasks:
    """Records what the sweep queues; `down` makes every enqueue fail as a broker that cannot be reached."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, tuple[object, ...]]] = []
        self.down = False

    def _send(self, name: str, *args: object) -> None:
        if self.down:
            raise BrokerDown("connection refused")
        self.sent.append((name, args))

    def run_import(self, job_id: uuid.UUID) -> None:
        self._send("run_import", job_id)

    def generate_thumbnails(self, media_file_id: uuid.UUID, force: bool = False) -> None:
        self._send("generate_thumbnails", media_file_id)

    def bulk_sync_to_odoo(self, run_id: uuid.UUID, product_ids: list[uuid.UUID] | None, filters: dict) -> None:
        self._send("bulk_sync_to_odoo", run_id, product_ids, filters)

    def import_from_odoo(self, run_id: uuid.UUID) -> None:
        self._send("import_from_odoo", run_id)
