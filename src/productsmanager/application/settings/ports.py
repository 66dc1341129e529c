"""Ports of the settings capability: the stored rows, and the settings as the application reads them."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Protocol

from productsmanager.domain.settings import (
    EanLookupSettings,
    GeneralSettings,
    ImportDefaults,
    MediaSettings,
    NotificationSettings,
    ProductDataSettings,
    SettingsSnapshot,
)


class SettingsRepository(Protocol):
    """The settings rows, inside the unit of work: one row per setting, its value as JSON."""

    def load(self) -> dict[str, object]:
        """Every stored value by storage key (`general.company_name`), including keys no section has any more."""
        ...

    def save(self, values: Mapping[str, object], updated_at: datetime, updated_by: uuid.UUID | None) -> None:
        """Inserts or replaces the row of each key; rows of other keys are left as they are."""
        ...


class Settings(Protocol):
    """The global settings as the application reads them: typed and already validated, never a dictionary.
    Cheap enough to ask on every use: implementations serve a snapshot rather than query each time."""

    def general(self) -> GeneralSettings: ...
    def notifications(self) -> NotificationSettings: ...
    def media(self) -> MediaSettings: ...
    def imports(self) -> ImportDefaults: ...
    def product_data(self) -> ProductDataSettings: ...
    def ean_lookup(self) -> EanLookupSettings: ...
    def snapshot(self) -> SettingsSnapshot:
        """Every section from the same load, for callers that need several consistent with each other."""
        ...


class ReloadableSettings(Settings, Protocol):
    def reload(self) -> None:
        """Reads the stored settings now: after a change through this process, so it sees the change at once
        rather than when its snapshot ages out."""
        ...
