"""Moving media objects from the legacy layout (`products/{id}/...`) to the sharded one
(`products/{shard}/{id}/...`), one row at a time, safe to kill at any moment and to run again.

Each legacy row (a media file's original or one of its thumbnails) goes through four steps: stat the
source; server-side copy to the sharded key and compare the copy with the source (size and checksum); point
the row at the copy in a transaction of its own, only if it still holds the legacy key (compare and set);
delete the source, in a batch with other rows' sources once their rows are committed. Killed between any
two steps, the rerun converges:

- before the row update (copy done or not): the row is still legacy, so the object is moved again. The copy
  is simply redone rather than checked first: it costs the same request as a stat of the target, is verified
  the same way, and keeps one path. Source gone but target present (another run got further): the row is
  updated without a copy. Both gone: failed with the reason; nothing is deleted.
- after the row update, before its batch of deletes is sent (the legacy twin of a sharded row is left
  over): nothing records that the delete is pending, and the bucket is never listed, so every sharded row
  pays one `stat` of the key its legacy twin would have (derived from the row's own `MediaKey`). A twin
  found is deleted, but only once the sharded object is known to exist (copied back from the twin first if
  it is missing), so the last copy of an image is never deleted. The twin of a sharded row is referenced by
  no row: keys are unique per product and SHA-256, and nothing writes legacy keys any more. A journal (a
  table written in the row's transaction, cleared after the delete) would make this cost proportional to
  the pending deletes instead of the sharded rows, at the price of a schema change.

Objects are never deleted at the sharded key: a row deleted meanwhile (outcome `gone`) may leave a copy
unreferenced, which is harmless, rather than risk a row pointing at nothing."""

from __future__ import annotations

import enum
import uuid
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait

from attrs import frozen

from productsmanager.application.media.ports import MediaStore, StoredMediaRow, StoredObject
from productsmanager.application.ports import UnitOfWorkFactory
from productsmanager.domain.errors import InvalidMediaKey, NotFound
from productsmanager.domain.media import MediaKey

PAGE_SIZE = 500  # media files read per statement; with their thumbnails about 4x as many rows
DELETE_BATCH = 1000  # sources deleted per `delete_many` call (S3 deletes at most 1,000 keys per request)


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


@frozen
class LayoutPlan:
    """What a run would do, from the rows alone (no object is looked at); examples of each, not all."""

    found: int
    legacy: int
    sharded: int
    unrecognised: int
    moves: list[tuple[str, str]]  # (legacy key, sharded key) of the first legacy rows
    unrecognised_keys: list[str]  # the first keys that are not product media keys


class LayoutMigration:
    """`uow` makes a new unit of work per call: moves run in several threads, each with its own transaction."""

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        store: MediaStore,
        page_size: int = PAGE_SIZE,
        delete_batch: int = DELETE_BATCH,
    ) -> None:
        self._uow = uow
        self._store = store
        self._page_size = page_size
        self._delete_batch = delete_batch

    def count(self) -> int:
        with self._uow() as uow:
            return uow.media_files.count_storage_keys()

    def rows(self) -> Iterator[StoredMediaRow]:
        """Every row holding a key, page by page (keyset on the media file id), each page in a short read."""
        after: uuid.UUID | None = None
        while True:
            with self._uow() as uow:
                page = uow.media_files.storage_keys(after, self._page_size)
            if not page:
                return
            yield from page
            after = page[-1].media_file_id

    def plan(self, examples: int = 20) -> LayoutPlan:
        counts = {"legacy": 0, "sharded": 0, "unrecognised": 0}
        moves: list[tuple[str, str]] = []
        unrecognised: list[str] = []
        for row in self.rows():
            try:
                key = MediaKey.parse(row.storage_key)
            except InvalidMediaKey:
                counts["unrecognised"] += 1
                unrecognised += [row.storage_key][: examples - len(unrecognised)]
                continue
            counts["legacy" if key.legacy else "sharded"] += 1
            if key.legacy and len(moves) < examples:
                moves.append((key.value, key.sharded().value))
        return LayoutPlan(sum(counts.values()), **counts, moves=moves, unrecognised_keys=unrecognised)

    def run(self, concurrency: int) -> Iterator[MoveOutcome]:
        """Every row through the steps of `migrate_one`, `concurrency` at a time, outcomes in completion
        order. Rows are read ahead by at most twice the concurrency, so memory does not grow with the table.
        The sources are deleted `delete_batch` at a time, after their rows are committed (one request for
        1,000 keys on S3): an outcome is given once its delete is done, so a row counts as moved only when
        nothing of it is left behind. Killed with deletes pending, the rerun removes those legacy twins.
        Closed early (Ctrl-C), the moves under way finish, their deletes are sent, the queued rows dropped."""
        pool = ThreadPoolExecutor(concurrency, thread_name_prefix="migrate-layout")
        running: set[Future[_Step]] = set()
        pending: list[_Step] = []
        try:
            for row in self.rows():
                if len(running) >= 2 * concurrency:
                    done, running = wait(running, return_when=FIRST_COMPLETED)
                    yield from self._collect(done, pending)
                running.add(pool.submit(self._step, row))
            while running:
                done, running = wait(running, return_when=FIRST_COMPLETED)
                yield from self._collect(done, pending)
            batch, pending[:] = list(pending), []
            yield from self._delete_sources(batch)
        finally:
            pool.shutdown(cancel_futures=True)
            if pending:  # closed early: no outcome can be given any more, but the deletes are still due
                self._delete_sources(pending)

    def migrate_one(self, row: StoredMediaRow) -> MoveOutcome:
        """One row, its source deleted before returning. Never raises: a store or database error fails this
        row only, and the batch goes on."""
        return next(iter(self._delete_sources([self._step(row)])))

    def _collect(self, done: set[Future[_Step]], pending: list[_Step]) -> Iterator[MoveOutcome]:
        """The outcomes of finished steps that have nothing to delete; the others wait for a full batch."""
        for future in done:
            step = future.result()
            if step.delete is None:
                yield step.outcome
            else:
                pending.append(step)
        if len(pending) >= self._delete_batch:
            batch, pending[:] = list(pending), []
            yield from self._delete_sources(batch)

    def _delete_sources(self, steps: list[_Step]) -> list[MoveOutcome]:
        keys = [step.delete for step in steps if step.delete is not None]
        try:
            failed = self._store.delete_many(keys) if keys else {}
        except Exception as error:
            failed = dict.fromkeys(keys, f"{type(error).__name__}: {error}")
        return [step.settled(failed) for step in steps]

    def _step(self, row: StoredMediaRow) -> _Step:
        """Everything up to the delete of the source, which is left to the caller (see `run`)."""
        try:
            key = MediaKey.parse(row.storage_key)
        except InvalidMediaKey as error:
            return _Step(MoveOutcome(row, MoveResult.FAILED, f"not a product media key: {error.message}"))
        legacy = _legacy(key).value
        sharded = key.sharded().value
        try:
            return self._move(row, legacy, sharded) if key.legacy else self._finish(row, legacy, sharded)
        except Exception as error:
            return _Step(MoveOutcome(row, MoveResult.FAILED, f"{type(error).__name__}: {error}"))

    def _move(self, row: StoredMediaRow, source: str, target: str) -> _Step:
        found, problem = self._store.stat(source), None
        if found is not None:
            try:
                problem = self._copy(found, target)
            except NotFound:  # deleted since the stat, by a concurrent run that got further
                found = None
        if found is None and self._store.stat(target) is None:
            return _Step(MoveOutcome(row, MoveResult.FAILED, f"neither {source} nor {target} exists"))
        if problem is not None:
            return _Step(MoveOutcome(row, MoveResult.FAILED, problem))
        with self._uow() as uow:
            moved = uow.media_files.replace_storage_key(row, target)
            current = target if moved else uow.media_files.storage_key_of(row.media_file_id, row.size)
            uow.commit()
        if current is None:
            return _Step(MoveOutcome(row, MoveResult.GONE))
        if current != target:
            return _Step(MoveOutcome(row, MoveResult.FAILED, f"the row now holds {current}; left as it is"))
        return _Step(MoveOutcome(row, MoveResult.MOVED if moved else MoveResult.SHARDED), delete=source)

    def _finish(self, row: StoredMediaRow, legacy: str, sharded: str) -> _Step:
        twin = self._store.stat(legacy)
        if twin is None:
            return _Step(MoveOutcome(row, MoveResult.SHARDED))
        if self._store.stat(sharded) is None and (problem := self._copy(twin, sharded)) is not None:
            return _Step(MoveOutcome(row, MoveResult.FAILED, problem))
        return _Step(MoveOutcome(row, MoveResult.SHARDED, removed_leftover=True), delete=legacy)

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
class _Step:
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
