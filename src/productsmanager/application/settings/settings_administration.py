"""Administration of the global settings: read them whole or by section, change one section.

A change of `product_data.source_priority` changes which value every product shows: it records a resolve job
in the same transaction as the change (the change is never saved without the job that applies it), and queues
the job once both are committed; a broker that is down leaves the job queued for the scheduler's sweep."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime

from attrs import frozen

from productsmanager.application.dependencies import queue_recorded_work
from productsmanager.application.ports import Clock, UnitOfWorkFactory
from productsmanager.application.settings.ports import ReloadableSettings
from productsmanager.application.tasks import TaskQueue
from productsmanager.domain.resolve_jobs import ResolveJob, ResolveStatus
from productsmanager.domain.setting_section import Section
from productsmanager.domain.settings import ProductDataSettings, SettingsSnapshot, section_type


@frozen
class SectionChange:
    """The whole section after a change, and the resolve job the change started (a change of the source
    priority to another order than the stored one), if any."""

    section: Section
    resolve_job: ResolveJob | None = None


class SettingsAdministration:
    def __init__(self, uow: UnitOfWorkFactory, settings: ReloadableSettings, clock: Clock, tasks: TaskQueue) -> None:
        self._uow = uow
        self._settings = settings
        self._clock = clock
        self._tasks = tasks

    def read_all(self) -> SettingsSnapshot:
        return self._settings.snapshot()

    def read_section(self, name: str) -> Section:
        """Raises NotFound for a section that does not exist."""
        return self._settings.snapshot().section(name)

    def update_section(self, name: str, values: Mapping[str, object], updated_by: uuid.UUID | None) -> Section:
        """`change_section`, for callers that only want the section."""
        return self.change_section(name, values, updated_by).section

    def change_section(self, name: str, values: Mapping[str, object], updated_by: uuid.UUID | None) -> SectionChange:
        """Keys given replace the stored values, keys left out keep theirs; returns the whole section after
        the change. Only the given keys are written, and merged with the rows as they are in the database
        rather than with this process's snapshot: two admins changing different keys at the same moment
        both keep their change. Raises NotFound for an unknown section, InvalidSettings naming each key.
        A `source_priority` whose normalised value differs from the stored one starts a resolve job."""
        section_type(name)
        with self._uow() as uow:
            current, _ = SettingsSnapshot.from_stored(uow.settings.load())
            changed = current.section(name).changed(values)
            if not values:
                return SectionChange(changed)
            now = self._clock.now()
            job = _resolve_job(current.section(name), changed, updated_by, now)
            if job is None and name == ProductDataSettings.name and "source_priority" in values:
                job = _retry_of_failed(uow.resolve_jobs.latest(), changed, updated_by, now)
            if job is not None:
                uow.resolve_jobs.add(job)
            uow.settings.save(changed.stored(values), now, updated_by)
            uow.commit()
        self._settings.reload()
        if job is not None:
            queue_recorded_work(lambda: self._tasks.resolve_products(job.id), f"resolve job {job.id}")
        return SectionChange(changed, job)


def _retry_of_failed(
    latest: ResolveJob | None, section: Section, requested_by: uuid.UUID | None, now: datetime
) -> ResolveJob | None:
    """Saving the priority in force again after its job failed runs it again: the products may show values of
    the former priority, and the admin's way to apply it is to save it once more."""
    if latest is None or latest.status is not ResolveStatus.FAILED or not isinstance(section, ProductDataSettings):
        return None
    if tuple(latest.source_priority) != section.source_priority:
        return None
    return ResolveJob.new(section.source_priority, requested_by, now)


def _resolve_job(before: Section, after: Section, requested_by: uuid.UUID | None, now: datetime) -> ResolveJob | None:
    """A job when the section is `product_data` and its priority (normalised on both sides) changed."""
    if not isinstance(before, ProductDataSettings) or not isinstance(after, ProductDataSettings):
        return None
    if after.source_priority == before.source_priority:
        return None
    return ResolveJob.new(after.source_priority, requested_by, now)
