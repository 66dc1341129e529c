"""Recurring Odoo syncs: export a filtered part of the catalog, or import from Odoo, every N minutes.

A schedule knows when it is due; the scheduler that asks claims it in the database before enqueuing, so two
schedulers running at once never start it twice. Times are aware datetimes (UTC)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from attrs import evolve, field, frozen

from productsmanager.domain.errors import InvalidValue
from productsmanager.domain.field_errors import FieldErrors
from productsmanager.domain.odoo.instances import DEFAULT_INSTANCE_ID

INTERVAL_MINUTES = (5, 10_080)  # Odoo schedules are looked at every 5 minutes; at least once a week
NAME_MAX = 100
FILTER_VALUE_MAX = 200
_FILTER_KEY = re.compile(r"^[a-z][a-z0-9_]{0,49}$")


class SyncDirection(StrEnum):
    EXPORT = "export"
    IMPORT = "import"


@frozen
class SyncSchedule:
    """`product_filter` holds the filters of the product list (`brand`, `in_stock`...) as text, checked against
    the list's own filters by the application; empty means the whole catalog. Not hashable (it holds a dict)."""

    id: uuid.UUID
    name: str
    direction: SyncDirection
    interval_minutes: int
    product_filter: dict[str, str] = field(factory=dict)
    enabled: bool = True
    last_run_at: datetime | None = None
    next_run_at: datetime | None = None
    instance_id: uuid.UUID = DEFAULT_INSTANCE_ID  # the Odoo instance the schedule syncs with

    @classmethod
    def new(
        cls,
        name: str,
        direction: SyncDirection | str,
        interval_minutes: int,
        product_filter: Mapping[str, str] | None = None,
        enabled: bool = True,
    ) -> SyncSchedule:
        """A schedule that never ran: due at the first look of an enabled scheduler. Raises `ValidationFailed`."""
        raw = {"name": name, "direction": direction, "interval_minutes": interval_minutes, "enabled": enabled}
        return cls.parse({**raw, "product_filter": dict(product_filter or {})})

    @classmethod
    def parse(cls, raw: Mapping[str, Any]) -> SyncSchedule:
        """A new schedule from the API's JSON shape; every broken rule is named by its field, all at once."""
        return cls(uuid.uuid4(), **_validate(raw, partial=False))

    def revise(self, raw: Mapping[str, Any]) -> SyncSchedule:
        """The fields given in `raw` changed (PUT). A new interval counts from the last run, so shortening it
        takes effect at once rather than after the old, longer wait."""
        changes = _validate(raw, partial=True)
        revised = evolve(self, **changes)
        if "interval_minutes" in changes and revised.last_run_at is not None:
            revised = evolve(revised, next_run_at=revised.next_after(revised.last_run_at))
        return revised

    def is_due(self, now: datetime) -> bool:
        """Enabled, and never ran or its next run time has come. A disabled schedule runs only when asked."""
        if not self.enabled:
            return False
        return self.last_run_at is None or self.next_run_at is None or now >= self.next_run_at

    def next_after(self, run_at: datetime) -> datetime:
        """One interval after a run, not a catch-up of missed ones: a scheduler down for a day runs each
        schedule once when it comes back, not once per missed interval."""
        return run_at + timedelta(minutes=self.interval_minutes)

    def ran(self, run_at: datetime) -> SyncSchedule:
        """Recorded when a run starts (is claimed), so that the next look does not start it again."""
        return evolve(self, last_run_at=run_at, next_run_at=self.next_after(run_at))

    def toggle(self) -> SyncSchedule:
        """Enabled becomes disabled and back; a schedule re-enabled after its next run time is due at once."""
        return evolve(self, enabled=not self.enabled)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "name": self.name,
            "direction": self.direction.value,
            "interval_minutes": self.interval_minutes,
            "product_filter": dict(self.product_filter),
            "enabled": self.enabled,
            "last_run_at": self.last_run_at.isoformat() if self.last_run_at else None,
            "next_run_at": self.next_run_at.isoformat() if self.next_run_at else None,
        }


def _validate(raw: Mapping[str, Any], *, partial: bool) -> dict[str, Any]:
    with FieldErrors() as errors:
        errors.unknown((key for key in raw if key not in _CHECKS), "a schedule field")
        if not partial:
            errors.required(raw, _REQUIRED)
        values = errors.parse(raw, _CHECKS)
    return values


def _name(raw: object) -> str:
    if not isinstance(raw, str) or not raw.strip() or len(raw.strip()) > NAME_MAX:
        raise InvalidValue(f"name must be 1-{NAME_MAX} characters", field="name")
    return raw.strip()


def _direction(raw: object) -> SyncDirection:
    if raw not in tuple(SyncDirection):
        raise InvalidValue("direction must be export or import", field="direction")
    return SyncDirection(raw)


def _interval(raw: object) -> int:
    low, high = INTERVAL_MINUTES
    if isinstance(raw, bool) or not isinstance(raw, int) or not low <= raw <= high:
        raise InvalidValue(f"interval_minutes must be a whole number from {low} to {high}", field="interval_minutes")
    return raw


def _filter(raw: object) -> dict[str, str]:
    if not isinstance(raw, Mapping):
        raise InvalidValue("product_filter must be an object of text values", field="product_filter")
    for key, value in raw.items():
        if not isinstance(key, str) or not _FILTER_KEY.match(key):
            raise InvalidValue(f"product_filter key {key!r} is not a filter name", field="product_filter")
        if not isinstance(value, str) or len(value) > FILTER_VALUE_MAX:
            raise InvalidValue(f"product_filter {key} must be text of at most 200 characters", field="product_filter")
    return dict(raw)


def _enabled(raw: object) -> bool:
    if not isinstance(raw, bool):
        raise InvalidValue("enabled must be true or false", field="enabled")
    return raw


_CHECKS = {
    "name": _name,
    "direction": _direction,
    "interval_minutes": _interval,
    "product_filter": _filter,
    "enabled": _enabled,
}
_REQUIRED = ("name", "direction", "interval_minutes")
