"""Ports of import sources (FTP, Google Drive, e-mail): a session with the source that lists what it offers
and fetches it, and the record of sources and of what each one already took."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from contextlib import AbstractContextManager
from datetime import datetime
from pathlib import Path
from typing import Protocol

from attrs import frozen

from productsmanager.domain.errors import Conflict, ProductsManagerError
from productsmanager.domain.imports.import_source import ImportSource, SourceKind, SourceSettings, SourceState
from productsmanager.domain.imports.source_items import SourceItem


class ImportSourceUnreachable(ProductsManagerError):
    """The source could not give its files: the host does not answer, the login, the folder or the mailbox is
    refused, TLS fails, the server times out. The run fails with `reason`, shown to users as it is: it names
    what the user configured (host, port, user, folder) and what to fix, never a password nor an address the
    host resolved to (the outbound guard's reasons stay in the server log)."""

    code = "import_source_unreachable"

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class SourceItemRefused(ImportSourceUnreachable):
    """This one item cannot be imported, for good (over the size limit, a format the source cannot export):
    it is taken all the same, as a failed job with `reason`, so that it is not fetched again at every run."""

    code = "import_source_item_refused"


class ItemAlreadyTaken(Conflict):
    """Another run took this item first (two schedulers, or a run on demand during a scheduled one)."""

    code = "import_source_item_taken"


class SourceSession(Protocol):
    """One connection to a source, for one run: opened by `SourceReader.open`, closed when the run ends."""

    def items(self, received_since: datetime | None) -> list[SourceItem]:
        """What the source offers that matches its settings (file pattern; for a mailbox also sender, subject,
        and arrival at or after `received_since` when given), items not taken included: the caller decides.
        `size` is the item's size once fetched (for an attachment: decoded), None when unknown before
        fetching (a Google Sheet). A mailbox also offers, as an item with `failure`, each matching message with
        no matching attachment. Raises `ImportSourceUnreachable`."""
        ...

    def download(self, item: SourceItem, target: Path, max_bytes: int) -> None:
        """Writes the item to `target` (its folder exists), whole or not at all. Raises `SourceItemRefused`
        when it is over `max_bytes` (even one that grew after it was listed), `ImportSourceUnreachable`
        when the source fails meanwhile; an error writing locally is raised as it is (`OSError`)."""
        ...

    def acknowledge(self, groups: Sequence[str]) -> None:
        """The items of these groups (a mailbox: messages) were all taken: flag or move them as the settings
        say. Nothing for folders. Raises `ImportSourceUnreachable` (the items stay taken all the same)."""
        ...


class SourceReader(Protocol):
    """A source of one kind. `secret` is the decrypted password ("" when none), for this session only."""

    def open(self, settings: SourceSettings, secret: str) -> AbstractContextManager[SourceSession]:
        """Connects (raises `ImportSourceUnreachable`) and always hangs up when the block ends."""
        ...


@frozen
class SourceTake:
    """An item a source took: recorded with the job made of it, in one transaction, once."""

    supplier_id: uuid.UUID
    kind: SourceKind
    item: SourceItem


class ImportSourceRepository(Protocol):
    """`uow.import_sources`: each supplier's sources (one per kind) and the items they took."""

    def get(self, supplier_id: uuid.UUID, kind: SourceKind) -> ImportSource | None: ...
    def save(self, source: ImportSource, now: datetime) -> None:
        """Settings and secret; the run state is left as it is."""
        ...

    def all(self) -> list[ImportSource]: ...
    def page(self, kind: SourceKind | None, limit: int, after: tuple[str, str] | None) -> list[ImportSource]:
        """By supplier code then kind, after the (code, kind) pair `after`."""
        ...

    def claim_run(self, supplier_id: uuid.UUID, kind: SourceKind, now: datetime, last_seen: datetime | None) -> bool:
        """Records the run's start only if no run started since `last_seen` (compare and set)."""
        ...

    def record(self, supplier_id: uuid.UUID, kind: SourceKind, state: SourceState) -> None:
        """The outcome of a run (`last_run_at` is the claim's, kept as it is)."""
        ...

    def is_taken(self, supplier_id: uuid.UUID, kind: SourceKind, item: SourceItem) -> bool: ...
    def take(self, take: SourceTake, job_id: uuid.UUID, now: datetime) -> bool:
        """Records the item as taken by the job; False (and nothing written) when it already was."""
        ...


__all__ = [
    "ImportSource",
    "ImportSourceRepository",
    "ImportSourceUnreachable",
    "ItemAlreadyTaken",
    "SourceItem",
    "SourceItemRefused",
    "SourceKind",
    "SourceReader",
    "SourceSession",
    "SourceTake",
]
