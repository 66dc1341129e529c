"""Fakes for the settings: the stored rows, settings a test sets by hand, and a monotonic clock it moves."""

from __future__ import annotations

import copy
import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import NamedTuple

from productsmanager.domain.settings import (
    EanLookupSettings,
    GeneralSettings,
    ImportDefaults,
    MediaSettings,
    NotificationSettings,
    ProductDataSettings,
    SettingsSnapshot,
)


class StoredSetting(NamedTuple):
    value: object
    updated_at: datetime | None
    updated_by: uuid.UUID | None


class FakeSettingsRepository:
    def __init__(self, rows: dict[str, StoredSetting]) -> None:
        self._rows = rows

    def load(self) -> dict[str, object]:
        return {key: copy.deepcopy(row.value) for key, row in self._rows.items()}

    def save(self, values: Mapping[str, object], updated_at: datetime, updated_by: uuid.UUID | None) -> None:
        for key, value in values.items():
            self._rows[key] = StoredSetting(copy.deepcopy(value), updated_at, updated_by)


class FixedSettings:
    """Settings that change only when the test replaces `current`."""

    def __init__(self, current: SettingsSnapshot | None = None) -> None:
        self.current = current or SettingsSnapshot()
        self.reloads = 0

    def general(self) -> GeneralSettings:
        return self.current.general

    def notifications(self) -> NotificationSettings:
        return self.current.notifications

    def media(self) -> MediaSettings:
        return self.current.media

    def imports(self) -> ImportDefaults:
        return self.current.imports

    def product_data(self) -> ProductDataSettings:
        return self.current.product_data

    def ean_lookup(self) -> EanLookupSettings:
        return self.current.ean_lookup

    def snapshot(self) -> SettingsSnapshot:
        return self.current

    def reload(self) -> None:
        self.reloads += 1


class FakeMonotonic:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds
