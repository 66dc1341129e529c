"""One row of the layout migration taken from its legacy key to its sharded key, up to (not including)
the delete of the source, which `LayoutMigration` sends in batches once the rows are committed.

The steps: stat the source; server-side copy to the sharded key and compare the copy with the source (size
and checksum); point the row at the copy in a transaction of its own, only if it still holds the legacy key
(compare and set). A row already sharded pays one `stat` of the key its legacy twin would have, and a twin
found is deleted only once the sharded object is known to exist. `layout_migration` tells why each step
converges when a run is killed between any two of them."""

from __future__ import annotations

import enum

from attrs import frozen

from productsmanager.application.media.ports import MediaStore, StoredMediaRow, StoredObject
from productsmanager.application.ports import UnitOfWorkFactory
from productsmanager.domain.errors import InvalidMediaKey, NotFound
from productsmanager.domain.media import MediaKey


class MoveResult(enum.StrEnum):
    MOVED = "moved"  # by this run (copy, row, delete; or the row only when the copy was already there)
    SHARDED = "already sharded"  # the row held a sharded key already (a leftover twin may have been removed)
    GONE = "gone"  # the row was deleted while it was being moved: nothing left to do
    FAILED = "failed"


@frozen
class MoveOutcome:
    row: StoredMediaRow
    result: MoveResult
    reason: str | None = None  # why it failed
    removed_leftover: bool = False  # a legacy twin left by an interrupted run was deleted


class RowMover:
    """Moves single rows; safe to share between threads (each move opens its own unit of work)."""

    def __init__(self, uow: UnitOfWorkFactory, store: MediaStore) -> None:
        self._uow = uow
        self._store = store

    def step(self, row: StoredMediaRow) -> MoveStep:
        """Everything up to the delete of the source, which is left to the caller (see `LayoutMigration.run`)."""
        try:
            key = MediaKey.parse(row.storage_key)
        except InvalidMediaKey as error:
            return MoveStep(MoveOutcome(row, MoveResult.FAILED, f"not a product media key: {error.message}"))
        legacy = _legacy(key).value
        sharded = key.sharded().value
        try:
            return self._move(row, legacy, sharded) if key.legacy else self._finish(row, legacy, sharded)
        except Exception as error:
            return MoveStep(MoveOutcome(row, MoveResult.FAILED, f"{type(error).__name__}: {error}"))

    def _move(self, row: StoredMediaRow, source: str, target: str) -> MoveStep:
        found, problem = self._store.stat(source), None
        if found is not None:
            try:
                problem = self._copy(found, target)
            except NotFound:  # deleted since the stat, by a concurrent run that got further
                found = None
        if found is None and self._store.stat(target) is None:
            return MoveStep(MoveOutcome(row, MoveResult.FAILED, f"neither {source} nor {target} exists"))
        if problem is not None:
            return MoveStep(MoveOutcome(row, MoveResult.FAILED, problem))
        with self._uow() as uow:
            moved = uow.media_files.replace_storage_key(row, target)
            current = target if moved else uow.media_files.storage_key_of(row.media_file_id, row.size)
            uow.commit()
        if current is None:
            return MoveStep(MoveOutcome(row, MoveResult.GONE))
        if current != target:
            return MoveStep(MoveOutcome(row, MoveResult.FAILED, f"the row now holds {current}; left as it is"))
        return MoveStep(MoveOutcome(row, MoveResult.MOVED if moved else MoveResult.SHARDED), delete=source)

    def _finish(self, row: StoredMediaRow, legacy: str, sharded: str) -> MoveStep:
        twin = self._store.stat(legacy)
        if twin is None:
            return MoveStep(MoveOutcome(row, MoveResult.SHARDED))
        if self._store.stat(sharded) is None and (problem := self._copy(twin, sharded)) is not None:
            return MoveStep(MoveOutcome(row, MoveResult.FAILED, problem))
        return MoveStep(MoveOutcome(row, MoveResult.SHARDED, removed_leftover=True), delete=legacy)

    def _copy(self, source: StoredObject, target: str) -> str | None:
        """Copies server-side and compares; the problem found, or None when the copy is the source's twin."""
        copied = self._store.copy(source, target)
        if copied.byte_size != source.byte_size:
            return f"copy of {source.key} has {copied.byte_size} bytes, not {source.byte_size}"
        if copied.checksum == source.checksum:
            return None
        if _is_md5(copied.checksum) and _is_md5(source.checksum):
            return f"copy of {source.key} has checksum {copied.checksum}, not {source.checksum}"
        # A multipart upload's ETag is not the MD5 of the bytes: compare the bytes themselves (rare).
        same = self._store.get(source.key) == self._store.get(target)
        return None if same else f"copy of {source.key} differs from it"


@frozen
class MoveStep:
    """A row taken as far as its row update; `delete` is the source (or leftover twin) still to delete."""

    outcome: MoveOutcome
    delete: str | None = None

    def settled(self, failed: dict[str, str]) -> MoveOutcome:
        if self.delete is None or self.delete not in failed:
            return self.outcome
        reason = f"moved, but {self.delete} is left (a rerun deletes it): {failed[self.delete]}"
        return MoveOutcome(self.outcome.row, MoveResult.FAILED, reason)


def _legacy(key: MediaKey) -> MediaKey:
    if key.size is None:
        return MediaKey.legacy_original(key.product_id, key.sha256, key.ext)
    return MediaKey.legacy_thumbnail(key.product_id, key.sha256, key.size)


def _is_md5(checksum: str) -> bool:
    return len(checksum) == 32 and all(c in "0123456789abcdef" for c in checksum)
