"""Changes pushed from Odoo. An instance's webhook is enabled with a random token (shown once, kept as a
digest, rotatable); a delivery is checked, recorded and answered at once, and the import it asks for is
queued only when its record was not pending already: a burst of deliveries for one record makes one import,
and a duplicate, a replay or an older change arriving late makes none. The import itself (`OdooRecordRefresh`)
reads the record's time from Odoo again and takes it only when it is newer than the last one taken."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Mapping
from typing import Any

from productsmanager.application.odoo.ports import OdooError
from productsmanager.application.odoo.webhook_ports import (
    Arrival,
    OdooRecordImport,
    Outcome,
    WebhookSettings,
    WebhookStatus,
)
from productsmanager.application.ports import Clock, UnitOfWorkFactory
from productsmanager.application.tasks import TaskQueue
from productsmanager.domain.errors import Conflict, DomainError, NotFound
from productsmanager.domain.odoo.webhooks import WebhookDelivery, WebhookToken, is_news, token_matches

log = logging.getLogger(__name__)


class OdooWebhooks:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        tasks: TaskQueue,
        clock: Clock,
        instance_exists: Callable[[uuid.UUID], bool],
    ) -> None:
        self._uow = uow
        self._tasks = tasks
        self._clock = clock
        self._instance_exists = instance_exists

    def enable(self, instance_id: uuid.UUID) -> WebhookToken:
        """A new token (the previous one stops working): the only time it is shown."""
        self._known(instance_id)
        token = WebhookToken.new()
        now = self._clock.now()
        with self._uow() as uow:
            uow.odoo_webhooks.save_settings(instance_id, WebhookSettings(True, token.digest, now), now)
            uow.commit()
        return token

    def rotate(self, instance_id: uuid.UUID) -> WebhookToken:
        """A new token for an enabled webhook; 409 when webhooks are off (enabling makes the first one)."""
        if not self.status(instance_id).enabled:
            raise Conflict("webhooks are not enabled for this instance: enable them first")
        return self.enable(instance_id)

    def disable(self, instance_id: uuid.UUID) -> None:
        self._known(instance_id)
        with self._uow() as uow:
            uow.odoo_webhooks.save_settings(instance_id, WebhookSettings(False, None), self._clock.now())
            uow.commit()

    def status(self, instance_id: uuid.UUID) -> WebhookStatus:
        self._known(instance_id)
        with self._uow() as uow:
            return uow.odoo_webhooks.status(instance_id)

    def authorize(self, instance_id: uuid.UUID, token: str) -> None:
        """A wrong token, or webhooks off, is `NotFound`: the same answer as an unknown address, so nothing tells
        a prober which part was wrong (checked before the body is even read)."""
        with self._uow() as uow:
            settings = uow.odoo_webhooks.settings(instance_id)
        if settings is None or not settings.enabled or not token_matches(settings.token_digest, token):
            raise NotFound("webhook", "at this address")

    def receive(self, instance_id: uuid.UUID, token: str, payload: Mapping[str, Any]) -> Arrival:
        """A delivery: `authorize`, then `accept`."""
        self.authorize(instance_id, token)
        return self.accept(instance_id, payload)

    def accept(self, instance_id: uuid.UUID, payload: Mapping[str, Any]) -> Arrival:
        """A delivery already authorized; a body that is not Odoo's is `ValidationFailed`."""
        delivery = WebhookDelivery.parse(payload)
        with self._uow() as uow:
            arrival = uow.odoo_webhooks.arrive(instance_id, delivery, self._clock.now())
            uow.commit()
        if arrival is Arrival.QUEUED:
            # A broker that is down leaves the record pending: the scheduler's sweep queues it.
            try:
                self._tasks.import_odoo_record(instance_id, delivery.model, delivery.record_id)
            except Exception:
                log.warning("Odoo record %s %s left pending for the sweep", delivery.model, delivery.record_id)
        return arrival

    def _known(self, instance_id: uuid.UUID) -> None:
        if not self._instance_exists(instance_id):
            raise NotFound("Odoo instance", instance_id)


class OdooRecordRefresh:
    """The task of a pushed change: one record of one instance, imported once per change."""

    def __init__(self, uow: UnitOfWorkFactory, records: OdooRecordImport, tasks: TaskQueue, clock: Clock) -> None:
        self._uow = uow
        self._records = records
        self._tasks = tasks
        self._clock = clock

    def run(self, instance_id: uuid.UUID, model: str, record_id: int) -> Outcome | None:
        """The outcome, or None when the record was not pending (a redelivered task: nothing to do)."""
        with self._uow() as uow:
            pending = uow.odoo_webhooks.claim(instance_id, model, record_id, self._clock.now())
            uow.commit()
        if pending is None:
            return None
        taken, error = pending.last_taken, None
        try:
            current = self._records.write_date(instance_id, model, record_id)
            if current is None:
                outcome = Outcome.GONE
            elif not is_news(current, pending.last_taken):
                outcome = Outcome.UNCHANGED
            else:
                error = self._records.take(instance_id, model, record_id)
                outcome, taken = (Outcome.FAILED if error else Outcome.IMPORTED), current
        except OdooError as failed:  # Odoo down, or refusing for now: the change is not lost, only later
            outcome, error = Outcome.DEFERRED, str(failed)
        except DomainError as refused:  # the instance is no longer configured or enabled: recorded, not looped on
            outcome, error = Outcome.FAILED, refused.message
        if outcome is not Outcome.DEFERRED and pending.write_date is not None:
            # What was announced before the claim is dealt with, whatever Odoo's clock said: only a change
            # announced during this import keeps the record pending (a skewed time must not loop).
            taken = max(taken, pending.write_date) if taken is not None else pending.write_date
        with self._uow() as uow:
            again = uow.odoo_webhooks.finish(instance_id, model, record_id, taken, outcome, error, self._clock.now())
            uow.commit()
        if again:
            self._tasks.import_odoo_record(instance_id, model, record_id)
        return outcome
