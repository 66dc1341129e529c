"""Sends tasks to Dramatiq workers by actor name, so that adapters need not import the entrypoints. A broker
that cannot be reached raises `DependencyUnavailable("broker")`: the caller decides whether the work is kept
(recorded as pending, swept later) or refused with 503."""

from __future__ import annotations

import uuid

import dramatiq
from dramatiq.errors import BrokerConnectionError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from productsmanager.application.dependencies import DependencyUnavailable

# The Redis broker lets the client's own errors through; other brokers raise dramatiq's.
UNREACHABLE = (BrokerConnectionError, RedisConnectionError, RedisTimeoutError)


class DramatiqTaskQueue:
    def __init__(self, broker: dramatiq.Broker) -> None:
        self._broker = broker

    def generate_thumbnails(self, media_file_id: uuid.UUID, force: bool = False) -> None:
        self._send("media", "generate_thumbnails", str(media_file_id), force)

    def send_password_reset(self, email: str) -> None:
        self._send("default", "send_password_reset", email)

    def send_email(self, template: str, to: str, context: dict[str, str]) -> None:
        self._send("default", "send_email", template, to, context)

    def run_import(self, job_id: uuid.UUID) -> None:
        self._send("imports", "run_import", str(job_id))

    def run_ftp_import(self, supplier_id: uuid.UUID) -> None:
        self._send("imports", "run_ftp_import", str(supplier_id))

    def sync_product_to_odoo(self, run_id: uuid.UUID, product_id: uuid.UUID) -> None:
        self._send("odoo", "sync_product_to_odoo", str(run_id), str(product_id))

    def bulk_sync_to_odoo(
        self, run_id: uuid.UUID, product_ids: list[uuid.UUID] | None, filters: dict[str, object]
    ) -> None:
        ids = [str(pid) for pid in product_ids] if product_ids is not None else None
        self._send("odoo", "bulk_sync_to_odoo", str(run_id), ids, filters)

    def import_from_odoo(self, run_id: uuid.UUID) -> None:
        self._send("odoo", "import_from_odoo", str(run_id))

    def run_odoo_schedule(self, schedule_id: uuid.UUID) -> None:
        self._send("odoo", "run_odoo_schedule", str(schedule_id))

    def _send(self, queue: str, actor: str, *args: object) -> None:
        message = dramatiq.Message(queue_name=queue, actor_name=actor, args=args, kwargs={}, options={})
        try:
            self._broker.enqueue(message)
        except UNREACHABLE as error:
            raise DependencyUnavailable("broker", f"{actor} on {queue}: {type(error).__name__}: {error}") from error
