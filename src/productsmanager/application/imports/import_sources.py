"""Each supplier's import sources as people and the scheduler see them: settings (a password given is stored
encrypted and never shown), the list of every source with how its runs go, a run on demand, and the
scheduler's pick of the sources that are due, whatever their kind."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from attrs import frozen

from productsmanager.application.pagination import Cursor, Page, check_limit, page_of
from productsmanager.application.ports import Clock, SecretBox, UnitOfWorkFactory
from productsmanager.application.scheduling import claim_due_and_enqueue
from productsmanager.application.tasks import TaskQueue
from productsmanager.domain.errors import InvalidValue, NotFound, ValidationFailed
from productsmanager.domain.imports.import_source import ImportSource, SourceKind

MAX_PASSWORD_LENGTH = 256
ORDERING = "import-sources"


@frozen
class SourceView:
    """A source as people see it: with its supplier's code and when the scheduler runs it next."""

    supplier_code: str
    source: ImportSource
    next_due_at: datetime | None


class ImportSources:
    def __init__(self, uow: UnitOfWorkFactory, secrets: SecretBox, tasks: TaskQueue, clock: Clock) -> None:
        self._uow = uow
        self._secrets = secrets
        self._tasks = tasks
        self._clock = clock

    def get(self, supplier_id: uuid.UUID, kind: SourceKind) -> SourceView:
        with self._uow() as uow:
            supplier = uow.suppliers.get(supplier_id)
            if supplier is None:
                raise NotFound("supplier", supplier_id)
            source = uow.import_sources.get(supplier_id, kind)
        if source is None:
            raise NotFound(f"{kind.label} source of supplier", supplier_id)
        return self._view(supplier.code, source)

    def save(self, supplier_id: uuid.UUID, kind: SourceKind, raw: Mapping[str, Any]) -> SourceView:
        """A PUT of the whole settings. `password` (FTP, e-mail) may be left out to keep the stored one, or be
        null to remove it; the run state (last run, last file) is kept."""
        values = dict(raw)
        password = _password(values.pop("password", ...)) if kind.has_secret else ...
        settings = kind.parse_settings(values)
        with self._uow() as uow:
            if uow.suppliers.get(supplier_id) is None:
                raise NotFound("supplier", supplier_id)
            stored = uow.import_sources.get(supplier_id, kind)
            encrypted = stored.secret_encrypted if stored is not None else None
            if password is not ...:
                encrypted = self._secrets.encrypt(password) if isinstance(password, str) and password else None
            uow.import_sources.save(ImportSource(supplier_id, kind, settings, encrypted), self._clock.now())
            uow.commit()
        return self.get(supplier_id, kind)

    def page(self, kind: SourceKind | None, limit: int, cursor: str | None = None) -> Page[SourceView]:
        after = Cursor.decode(cursor, ORDERING, arity=2).key if cursor is not None else None
        with self._uow() as uow:
            rows = uow.import_sources.page(kind, check_limit(limit) + 1, after)
        listed = [self._view(code, source) for code, source in rows]
        return page_of(listed, limit, ORDERING, lambda item: (item.supplier_code, item.source.kind.value))

    def request_run(self, supplier_id: uuid.UUID, kind: SourceKind) -> None:
        """Queues a run; a stored password that cannot be decrypted (no secret keys) fails here, to the
        caller, rather than later in the background where nobody sees it."""
        source = self.get(supplier_id, kind).source
        if source.secret_encrypted:
            self._secrets.decrypt(source.secret_encrypted)
        self._tasks.run_source_import(supplier_id, kind.value)

    def _view(self, supplier_code: str, source: ImportSource) -> SourceView:
        return SourceView(supplier_code, source, source.next_due_at(self._clock.now()))

    def queue_due(self) -> list[tuple[uuid.UUID, SourceKind]]:
        """The scheduler's tick: claims every due source of every kind (once, even with two schedulers) and
        queues its run."""
        now = self._clock.now()
        with self._uow() as uow:
            sources = uow.import_sources.all()
        return claim_due_and_enqueue(
            self._uow,
            sources,
            is_due=lambda source, now: source.is_due(now),
            claim=lambda uow, source, now: uow.import_sources.claim_run(
                source.supplier_id, source.kind, now, source.state.last_run_at
            ),
            enqueue=lambda source: self._tasks.run_source_import(source.supplier_id, source.kind.value),
            identity=lambda source: (source.supplier_id, source.kind),
            now=now,
        )


def _password(raw: object) -> object:
    """`...` (left out: keep), None (remove) or the new password; anything else is refused by name."""
    if raw is ... or raw is None:
        return raw
    if not isinstance(raw, str) or len(raw) > MAX_PASSWORD_LENGTH or "\x00" in raw:
        message = f"password must be a string of at most {MAX_PASSWORD_LENGTH} characters, without NUL"
        raise ValidationFailed([InvalidValue(message, field="password")])
    return raw
