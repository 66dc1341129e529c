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

import uuid
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait

from attrs import frozen

from productsmanager.application.media.layout_moves import MoveOutcome, MoveResult, MoveStep, RowMover
from productsmanager.application.media.ports import MediaStore, StoredMediaRow
from productsmanager.application.ports import UnitOfWorkFactory
from productsmanager.domain.errors import InvalidMediaKey
from productsmanager.domain.media import MediaKey

__all__ = ["DELETE_BATCH", "PAGE_SIZE", "LayoutMigration", "LayoutPlan", "MoveOutcome", "MoveResult"]

PAGE_SIZE = 500  # media files read per statement; with their thumbnails about 4x as many rows
DELETE_BATCH = 1000  # sources deleted per `delete_many` call (S3 deletes at most 1,000 keys per request)


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
        self._mover = RowMover(uow, store)
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
        running: set[Future[MoveStep]] = set()
        pending: list[MoveStep] = []
        try:
            for row in self.rows():
                if len(running) >= 2 * concurrency:
                    done, running = wait(running, return_when=FIRST_COMPLETED)
                    yield from self._collect(done, pending)
                running.add(pool.submit(self._mover.step, row))
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
        return next(iter(self._delete_sources([self._mover.step(row)])))

    def _collect(self, done: set[Future[MoveStep]], pending: list[MoveStep]) -> Iterator[MoveOutcome]:
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

    def _delete_sources(self, steps: list[MoveStep]) -> list[MoveOutcome]:
        keys = [step.delete for step in steps if step.delete is not None]
        try:
            failed = self._store.delete_many(keys) if keys else {}
        except Exception as error:
            failed = dict.fromkeys(keys, f"{type(error).__name__}: {error}")
        return [step.settled(failed) for step in steps]
