"""Odoo's product fields (`fields_get`), kept a few minutes per connection: the mapping screen lists them and
every field mapping saved is checked against them, and the answer only changes when a module is installed."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from productsmanager.application.odoo.ports import OdooCatalog, OdooConnection
from productsmanager.application.ports import Clock

MODEL = "product.product"
ATTRIBUTES = ["string", "type", "relation"]
MAX_AGE = timedelta(minutes=5)


class OdooFieldCache:
    """One per process. Each process asking Odoo once in 5 minutes is cheap, and a stale answer costs at most a
    mapping refused (or accepted) for a field installed (or removed) within the last 5 minutes; so the cache is
    not shared between processes. Keyed by instance and by where and as whom Odoo is called, so that neither
    another instance nor a changed connection ever sees the fields of another."""

    def __init__(self, catalog: Callable[[OdooConnection], OdooCatalog], clock: Clock) -> None:
        self._catalog = catalog
        self._clock = clock
        self._lock = threading.Lock()
        self._entries: dict[tuple[object, ...], tuple[datetime, dict[str, dict[str, Any]]]] = {}

    def fields(self, instance_id: uuid.UUID, connection: OdooConnection) -> dict[str, dict[str, Any]]:
        key = (instance_id, connection.url, connection.database, connection.login, connection.company_id)
        now = self._clock.now()
        with self._lock:
            entry = self._entries.get(key)
        if entry is not None and now - entry[0] < MAX_AGE:
            return entry[1]
        fields = self._catalog(connection).fields_get(MODEL, ATTRIBUTES)
        with self._lock:
            self._entries[key] = (now, fields)
        return fields
