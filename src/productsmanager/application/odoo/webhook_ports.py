"""Ports of the changes pushed from Odoo: each instance's webhook (its token's digest, whether enabled, how
deliveries go) and each record's state (the newest change announced, the last one taken), kept so that a
delivery is answered at once and the import it asks for runs once per change."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime
from typing import Protocol

from attrs import frozen

from productsmanager.domain.odoo.webhooks import WebhookDelivery


class Arrival(enum.StrEnum):
    """What a delivery did to its record's state."""

    QUEUED = "queued"  # the record became pending: its import is to be queued
    COALESCED = "coalesced"  # the record was pending already: the import under way or queued takes this too
    DUPLICATE = "duplicate"  # not newer than what was taken (a duplicate, a replay, an older change late)


class Outcome(enum.StrEnum):
    IMPORTED = "imported"
    UNCHANGED = "unchanged"  # Odoo's record was not newer than the one taken: nothing to import
    GONE = "gone"  # the record no longer exists in Odoo (deleted, archived away)
    FAILED = "failed"  # Odoo's record cannot be taken as it is (no barcode...): again at its next change
    DEFERRED = "deferred"  # Odoo could not be reached: the record stays pending, for the scheduler's sweep


@frozen
class WebhookSettings:
    enabled: bool
    token_digest: str | None
    enabled_at: datetime | None = None


@frozen
class WebhookStatus:
    """Whether deliveries arrive and what became of them (`GET …/webhook`)."""

    enabled: bool
    received: int = 0
    duplicates: int = 0
    coalesced: int = 0
    imported: int = 0
    unchanged: int = 0
    failed: int = 0
    pending: int = 0
    last_received_at: datetime | None = None
    last_imported_at: datetime | None = None
    last_error: str | None = None
    last_error_at: datetime | None = None


@frozen
class PendingRecord:
    model: str
    record_id: int
    write_date: datetime | None  # the newest change announced (None: a delivery without write_date)
    last_taken: datetime | None  # Odoo's write_date of the record when it was last imported


class OdooWebhookRepository(Protocol):
    """`uow.odoo_webhooks`."""

    def settings(self, instance_id: uuid.UUID) -> WebhookSettings | None: ...
    def save_settings(self, instance_id: uuid.UUID, settings: WebhookSettings, now: datetime) -> None: ...
    def arrive(self, instance_id: uuid.UUID, delivery: WebhookDelivery, now: datetime) -> Arrival:
        """Records a delivery and counts it, atomically: two deliveries of one record at once make one of them
        `QUEUED` at most."""
        ...

    def claim(self, instance_id: uuid.UUID, model: str, record_id: int, now: datetime) -> PendingRecord | None:
        """The pending record, marked as being imported now; None when it is not pending (a redelivered task)."""
        ...

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
        """Records the import's outcome and `taken` (Odoo's write_date looked at); True when a newer change was
        announced meanwhile, so the record is still pending and its import is to be queued again at once. A
        `DEFERRED` record stays pending, unclaimed, for the sweep (False)."""
        ...

    def claim_stalled(
        self, pending_before: datetime, stalled_before: datetime, now: datetime, limit: int
    ) -> list[tuple[uuid.UUID, str, int]]:
        """Pending records whose import never started (announced before `pending_before`: the message was
        lost, the broker down, Odoo deferred it) or whose worker died (claimed before `stalled_before`), each
        given to one sweep only, unclaimed, for it to queue."""
        ...

    def status(self, instance_id: uuid.UUID) -> WebhookStatus: ...


class OdooRecordImport(Protocol):
    """Odoo's side of a pushed change: the record's current `write_date`, and its import through the product
    data precedence (source `odoo`) for the instance."""

    def write_date(self, instance_id: uuid.UUID, model: str, record_id: int) -> datetime | None:
        """None when the record does not exist (any more). Raises `OdooError`."""
        ...

    def take(self, instance_id: uuid.UUID, model: str, record_id: int) -> str | None:
        """Imports the record (a template: its variants); the reason when Odoo's record could not be taken
        (no barcode...), None when taken. Raises `OdooError`."""
        ...
