"""The scheduler's sweep of the upload wizard's files: a wizard left without Cancel (tab closed, session ended)
leaves a recorded file in the store; a day after it was received, file and record are deleted.

The file first, then the record, as when the wizard forgets one itself: a sweep stopped between the two leaves
a record, found again next tick. Idempotent and safe with two schedulers at once: removing a file no longer kept
is no error, and of two deletes of one record one only counts it."""

from __future__ import annotations

import logging
from datetime import timedelta

from productsmanager.application.imports.ports import ImportFileStore
from productsmanager.application.ports import Clock, UnitOfWorkFactory

log = logging.getLogger(__name__)
MAX_AGE = timedelta(hours=24)
BATCH = 500  # per tick; the rest waits for the next tick


class AbandonedUploads:
    def __init__(
        self, uow: UnitOfWorkFactory, files: ImportFileStore, clock: Clock, max_age: timedelta = MAX_AGE
    ) -> None:
        self._uow = uow
        self._files = files
        self._clock = clock
        self._max_age = max_age

    def sweep(self, batch: int = BATCH) -> int:
        """Deletes the uploads received more than `max_age` ago; how many this call deleted."""
        with self._uow() as uow:
            old = uow.import_uploads.older_than(self._clock.now() - self._max_age, batch)
        deleted = 0
        for record in old:
            self._files.remove(record.key)
            with self._uow() as uow:
                if uow.import_uploads.delete(record.id):
                    uow.commit()
                    deleted += 1
        if deleted:
            log.info("sweep: %d abandoned upload(s) deleted", deleted)
        return deleted
