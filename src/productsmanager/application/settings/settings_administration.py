"""Administration of the global settings: read them whole or by section, change one section."""

from __future__ import annotations

import uuid
from collections.abc import Mapping

from productsmanager.application.ports import Clock, UnitOfWorkFactory
from productsmanager.application.settings.ports import ReloadableSettings
from productsmanager.domain.settings import Section, SettingsSnapshot, section_type


class SettingsAdministration:
    def __init__(self, uow: UnitOfWorkFactory, settings: ReloadableSettings, clock: Clock) -> None:
        self._uow = uow
        self._settings = settings
        self._clock = clock

    def read_all(self) -> SettingsSnapshot:
        return self._settings.snapshot()

    def read_section(self, name: str) -> Section:
        """Raises NotFound for a section that does not exist."""
        return self._settings.snapshot().section(name)

    def update_section(self, name: str, values: Mapping[str, object], updated_by: uuid.UUID | None) -> Section:
        """Keys given replace the stored values, keys left out keep theirs; returns the whole section after
        the change. Only the given keys are written, and merged with the rows as they are in the database
        rather than with this process's snapshot: two admins changing different keys at the same moment
        both keep their change. Raises NotFound for an unknown section, InvalidSettings naming each key."""
        section_type(name)
        with self._uow() as uow:
            current, _ = SettingsSnapshot.from_stored(uow.settings.load())
            changed = current.section(name).changed(values)
            if not values:
                return changed
            uow.settings.save(changed.stored(values), self._clock.now(), updated_by)
            uow.commit()
        self._settings.reload()
        return changed
