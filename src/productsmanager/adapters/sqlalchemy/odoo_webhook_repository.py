"""Odoo webhooks' settings and counts, and each announced record's state, in statements that settle races
between deliveries, imports and sweeps by themselves (conditional updates, an insert that does nothing on
conflict): two deliveries of one record at once queue one import, an import that ends while a newer change
arrives leaves the record pending."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, case, func, literal, or_, select, true, update
from sqlalchemy.dialects import postgresql, sqlite

from productsmanager.adapters.sqlalchemy.tables import odoo_webhook_records, odoo_webhooks
from productsmanager.adapters.sqlalchemy.types import UtcDateTime
from productsmanager.application.odoo.webhook_ports import (
    Arrival,
    Outcome,
    PendingRecord,
    WebhookSettings,
    WebhookStatus,
)
from productsmanager.domain.odoo.webhooks import WebhookDelivery

w = odoo_webhooks
r = odoo_webhook_records
COUNTERS = ("received", "duplicates", "coalesced", "imported", "unchanged", "failed")


class SqlAlchemyOdooWebhookRepository:
    def __init__(self, connection: Connection) -> None:
        self._conn = connection
        self._insert = postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert

    def settings(self, instance_id: uuid.UUID) -> WebhookSettings | None:
        row = self._conn.execute(select(w).where(w.c.instance_id == instance_id)).mappings().first()
        return WebhookSettings(row["enabled"], row["token_digest"], row["enabled_at"]) if row else None

    def save_settings(self, instance_id: uuid.UUID, settings: WebhookSettings, now: datetime) -> None:
        values = {"enabled": settings.enabled, "token_digest": settings.token_digest,
                  "enabled_at": settings.enabled_at, "updated_at": now}  # fmt: skip
        statement = self._insert(w).values(instance_id=instance_id, **{c: 0 for c in COUNTERS}, **values)
        self._conn.execute(statement.on_conflict_do_update(index_elements=[w.c.instance_id], set_=values))

    def arrive(self, instance_id: uuid.UUID, delivery: WebhookDelivery, now: datetime) -> Arrival:
        key = _key(instance_id, delivery.model, delivery.record_id)
        when = literal(delivery.write_date, UtcDateTime())
        news = true() if delivery.write_date is None else or_(r.c.last_taken.is_(None), when > r.c.last_taken)
        newest = r.c.write_date if delivery.write_date is None else case(
            (or_(r.c.write_date.is_(None), when > r.c.write_date), when), else_=r.c.write_date
        )  # fmt: skip
        arrival = None
        for _ in range(2):  # a second pass only when another delivery inserted the row meanwhile
            became = update(r).where(*key, r.c.pending.is_(False), news)
            if self._conn.execute(became.values(pending=True, write_date=when, announced_at=now)).rowcount:
                arrival = Arrival.QUEUED
            elif self._conn.execute(
                update(r).where(*key, r.c.pending.is_(True), news).values(write_date=newest)
            ).rowcount:
                arrival = Arrival.COALESCED
            elif self._conn.execute(select(r.c.record_id).where(*key)).first() is not None:
                arrival = Arrival.DUPLICATE
            else:
                row = {"instance_id": instance_id, "model": delivery.model, "record_id": delivery.record_id,
                       "pending": True, "write_date": delivery.write_date, "announced_at": now}  # fmt: skip
                inserted = self._insert(r).values(**row).on_conflict_do_nothing().returning(r.c.record_id)
                arrival = Arrival.QUEUED if self._conn.execute(inserted).first() is not None else None
            if arrival is not None:
                break
        arrival = arrival or Arrival.COALESCED
        self._count(instance_id, {"received": 1, "duplicates": arrival is Arrival.DUPLICATE,
                                  "coalesced": arrival is Arrival.COALESCED}, last_received_at=now)  # fmt: skip
        return arrival

    def claim(self, instance_id: uuid.UUID, model: str, record_id: int, now: datetime) -> PendingRecord | None:
        statement = (
            update(r)
            .where(*_key(instance_id, model, record_id), r.c.pending.is_(True), r.c.claimed_at.is_(None))
            .values(claimed_at=now)
            .returning(r.c.write_date, r.c.last_taken)
        )
        row = self._conn.execute(statement).first()
        return PendingRecord(model, record_id, row[0], row[1]) if row is not None else None

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
        key = _key(instance_id, model, record_id)
        if outcome is Outcome.DEFERRED:  # still pending, unclaimed: the sweep queues it after the grace
            self._conn.execute(update(r).where(*key).values(claimed_at=None, announced_at=now))
            again = False
        else:
            when = literal(taken, UtcDateTime())
            newer = and_(r.c.write_date.is_not(None), or_(when.is_(None), r.c.write_date > when))
            statement = update(r).where(*key).values(claimed_at=None, last_taken=when, pending=newer)
            row = self._conn.execute(statement.returning(r.c.pending)).first()
            again = bool(row and row[0])
        counts = {"imported": outcome is Outcome.IMPORTED, "unchanged": outcome is Outcome.UNCHANGED,
                  "failed": outcome in (Outcome.FAILED, Outcome.DEFERRED)}  # fmt: skip
        extra: dict[str, Any] = {"last_imported_at": now} if outcome is Outcome.IMPORTED else {}
        if error is not None:
            extra |= {"last_error": error[:2000], "last_error_at": now}
        self._count(instance_id, counts, **extra)
        return again

    def claim_stalled(
        self, pending_before: datetime, stalled_before: datetime, now: datetime, limit: int
    ) -> list[tuple[uuid.UUID, str, int]]:
        """Pending records never imported since announced before `pending_before` (their message lost, the
        broker down, Odoo deferred) or claimed before `stalled_before` (the worker died), each taken by one
        sweep (compare and set on its times) and made unclaimed for the task queued."""
        stuck = or_(and_(r.c.claimed_at.is_(None), r.c.announced_at < pending_before), r.c.claimed_at < stalled_before)
        rows = self._conn.execute(
            select(r.c.instance_id, r.c.model, r.c.record_id, r.c.announced_at, r.c.claimed_at)
            .where(r.c.pending.is_(True), stuck)
            .order_by(r.c.announced_at)
            .limit(limit)
        ).all()
        taken = []
        for instance_id, model, record_id, announced_at, claimed_at in rows:
            same = r.c.claimed_at.is_(None) if claimed_at is None else r.c.claimed_at == claimed_at
            statement = update(r).where(*_key(instance_id, model, record_id), r.c.announced_at == announced_at, same)
            if self._conn.execute(statement.values(announced_at=now, claimed_at=None)).rowcount:
                taken.append((instance_id, model, record_id))
        return taken

    def status(self, instance_id: uuid.UUID) -> WebhookStatus:
        row = self._conn.execute(select(w).where(w.c.instance_id == instance_id)).mappings().first()
        pending = self._conn.execute(
            select(func.count()).where(r.c.instance_id == instance_id, r.c.pending.is_(True))
        ).scalar_one()
        if row is None:
            return WebhookStatus(False, pending=pending)
        return WebhookStatus(
            enabled=row["enabled"],
            **{name: row[name] for name in COUNTERS},
            pending=pending,
            last_received_at=row["last_received_at"],
            last_imported_at=row["last_imported_at"],
            last_error=row["last_error"],
            last_error_at=row["last_error_at"],
        )

    def _count(self, instance_id: uuid.UUID, counts: dict[str, bool | int], **values: Any) -> None:
        increments = {name: getattr(w.c, name) + int(by) for name, by in counts.items() if by}
        self._conn.execute(update(w).where(w.c.instance_id == instance_id).values(**increments, **values))


def _key(instance_id: uuid.UUID, model: str, record_id: int) -> tuple[Any, ...]:
    return (r.c.instance_id == instance_id, r.c.model == model, r.c.record_id == record_id)
