"""An in-memory `OdooWebhookRepository` with the SQL adapter's rules, a unit of work holding it, and an Odoo
whose records' times a test moves."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from types import TracebackType

import attrs
from attrs import define, field

from productsmanager.application.odoo.ports import OdooUnreachable
from productsmanager.application.odoo.webhook_ports import (
    Arrival,
    Outcome,
    PendingRecord,
    WebhookSettings,
    WebhookStatus,
)
from productsmanager.domain.errors import Conflict
from productsmanager.domain.odoo.webhooks import WebhookDelivery, is_news

Key = tuple[uuid.UUID, str, int]


@define
class RecordState:
    pending: bool = False
    write_date: datetime | None = None
    last_taken: datetime | None = None
    claimed_at: datetime | None = None


@define
class FakeWebhookRepository:
    settings_by_instance: dict[uuid.UUID, WebhookSettings] = field(factory=dict)
    records: dict[Key, RecordState] = field(factory=dict)
    counts: dict[uuid.UUID, WebhookStatus] = field(factory=dict)

    def settings(self, instance_id: uuid.UUID) -> WebhookSettings | None:
        return self.settings_by_instance.get(instance_id)

    def save_settings(self, instance_id: uuid.UUID, settings: WebhookSettings, now: datetime) -> None:
        self.settings_by_instance[instance_id] = settings

    def arrive(self, instance_id: uuid.UUID, delivery: WebhookDelivery, now: datetime) -> Arrival:
        state = self.records.setdefault((instance_id, delivery.model, delivery.record_id), RecordState())
        if not is_news(delivery.write_date, state.last_taken):
            arrival = Arrival.DUPLICATE
        elif state.pending:
            arrival = Arrival.COALESCED
        else:
            arrival = Arrival.QUEUED
            state.pending = True
        if arrival is not Arrival.DUPLICATE and delivery.write_date is not None:
            state.write_date = max(filter(None, (state.write_date, delivery.write_date)))
        self._count(instance_id, received=1, duplicates=arrival is Arrival.DUPLICATE,
                    coalesced=arrival is Arrival.COALESCED, last_received_at=now)  # fmt: skip
        return arrival

    def claim(self, instance_id: uuid.UUID, model: str, record_id: int, now: datetime) -> PendingRecord | None:
        state = self.records.get((instance_id, model, record_id))
        if state is None or not state.pending or state.claimed_at is not None:
            return None
        state.claimed_at = now
        return PendingRecord(model, record_id, state.write_date, state.last_taken)

    def finish(
        self,
        instance_id: uuid.UUID,
        model: str,
        record_id: int,
        taken: datetime | None,
        outcome: Outcome,
        error: str | None,
        now: datetime,
    ) -> bool:
        state = self.records[(instance_id, model, record_id)]
        state.claimed_at = None
        state.last_taken = taken
        again = outcome is not Outcome.DEFERRED and state.write_date is not None and is_news(state.write_date, taken)
        state.pending = again or outcome is Outcome.DEFERRED
        self._count(instance_id, imported=outcome is Outcome.IMPORTED, unchanged=outcome is Outcome.UNCHANGED,
                    failed=outcome in (Outcome.FAILED, Outcome.DEFERRED))  # fmt: skip
        return again

    def claim_stalled(self, pending_before: datetime, stalled_before: datetime, now: datetime, limit: int) -> list[Key]:
        stuck = [key for key, state in self.records.items() if state.pending][:limit]
        for key in stuck:
            self.records[key].claimed_at = None
        return stuck

    def status(self, instance_id: uuid.UUID) -> WebhookStatus:
        settings = self.settings_by_instance.get(instance_id)
        counted = self.counts.get(instance_id, WebhookStatus(False))
        pending = sum(1 for key, state in self.records.items() if key[0] == instance_id and state.pending)
        return attrs.evolve(counted, enabled=bool(settings and settings.enabled), pending=pending)

    def _count(self, instance_id: uuid.UUID, **changes: object) -> None:
        status = self.counts.get(instance_id, WebhookStatus(False))
        updates = {
            name: getattr(status, name) + int(bool(value)) if isinstance(value, bool | int) else value
            for name, value in changes.items()
        }
        self.counts[instance_id] = attrs.evolve(status, **updates)


class WebhookUnitOfWork:
    """One shared repository: these tests are about the rules of deliveries, not about transactions."""

    def __init__(self) -> None:
        self.odoo_webhooks = FakeWebhookRepository()
        self.commits = 0

    def __call__(self) -> WebhookUnitOfWork:
        return self

    def __enter__(self) -> WebhookUnitOfWork:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        return None

    def commit(self) -> None:
        self.commits += 1


@define
class FakeOdooRecords:
    """Odoo's records' `write_date`s; `take` records what was imported, at which time."""

    times: dict[tuple[str, int], datetime] = field(factory=dict)
    taken: list[tuple[str, int, datetime]] = field(factory=list)
    down: bool = False
    refuse: set[int] = field(factory=set)
    after_take: Callable[[], None] | None = None  # what happens in Odoo while an import runs

    unconfigured: bool = False

    def write_date(self, instance_id: uuid.UUID, model: str, record_id: int) -> datetime | None:
        if self.unconfigured:
            raise Conflict("set the Odoo connection first")
        if self.down:
            raise OdooUnreachable("could not connect to odoo.example:443")
        return self.times.get((model, record_id))

    def take(self, instance_id: uuid.UUID, model: str, record_id: int) -> str | None:
        if record_id in self.refuse:
            return "the record has no barcode"
        self.taken.append((model, record_id, self.times[(model, record_id)]))
        if self.after_take is not None:
            hook, self.after_take = self.after_take, None
            hook()
        return None
