"""`LayoutMigration` against in-memory fakes: every legacy object moves, and a run killed at any step
converges when run again (nothing lost, one sharded object per row, no legacy object left)."""

from __future__ import annotations

import contextlib
import hashlib
import threading
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest

from productsmanager.application.media.layout_migration import LayoutMigration, MoveOutcome, MoveResult
from productsmanager.application.media.ports import StoredObject
from productsmanager.domain.errors import NotFound
from productsmanager.domain.media import MediaKey
from productsmanager.domain.media_files import MediaFile, MediaSource, MediaStatus, ThumbnailRecord
from tests.unit.fakes import FakeUnitOfWork
from tests.unit.media_fakes import FakeMediaStore

SIZES = ("large", "medium", "small")


class Killed(BaseException):
    """The process died (kill -9): not an Exception, so nothing in the use case handles it."""


class KillSwitch:
    """Lets `budget` operations (store calls and commits) complete, then every later one dies."""

    def __init__(self, budget: int | None = None) -> None:
        self.budget = budget
        self.done = 0
        self._lock = threading.Lock()

    def step(self) -> None:
        with self._lock:
            if self.budget is not None and self.done >= self.budget:
                raise Killed
            self.done += 1


class MortalStore:
    """The fake store, each call counted by the kill switch (and optionally hooked) before it runs."""

    def __init__(self, store: FakeMediaStore, switch: KillSwitch) -> None:
        self.store, self.switch = store, switch
        self.calls: list[tuple[str, tuple[Any, ...]]] = []

    def __getattr__(self, name: str) -> Any:
        method = getattr(self.store, name)

        def call(*args: Any) -> Any:
            self.switch.step()
            self.calls.append((name, args))
            return method(*args)

        return call


class MortalUnitOfWork:
    """One shared FakeUnitOfWork used by one thread at a time (it is not thread-safe); its commit counted."""

    def __init__(self, uow: FakeUnitOfWork, switch: KillSwitch, lock: threading.Lock) -> None:
        self._uow, self._switch, self._lock = uow, switch, lock

    def __enter__(self) -> FakeUnitOfWork:
        self._lock.acquire()
        entered = self._uow.__enter__()
        entered.commit = self._commit  # type: ignore[method-assign]
        return entered

    def __exit__(self, *exc_info: object) -> None:
        try:
            del self._uow.commit  # type: ignore[attr-defined]
            self._uow.__exit__(*exc_info)
        finally:
            self._lock.release()

    def _commit(self) -> None:
        self._switch.step()
        FakeUnitOfWork.commit(self._uow)


class World:
    """Products whose originals and thumbnails sit at legacy keys, rows pointing at them."""

    def __init__(self, files: int = 3) -> None:
        self.uow, self.store, self.lock = FakeUnitOfWork(), FakeMediaStore(), threading.Lock()
        self.content: dict[tuple[uuid.UUID, str | None], bytes] = {}
        for n in range(files):
            self.add(n)

    def add(self, n: int, legacy: bool = True) -> uuid.UUID:
        product_id, media_id = uuid.uuid4(), uuid.uuid4()
        data = f"original {n}".encode()
        sha = hashlib.sha256(data).hexdigest()
        key = (MediaKey.legacy_original if legacy else MediaKey.for_original)(product_id, sha, "png").value
        self.store.put(key, data, "image/png")
        self.uow.committed.media[media_id] = MediaFile(
            media_id, product_id, key, sha, "image/png", len(data), 10, 10, True, MediaSource.UPLOAD, None,
            MediaStatus.READY, None, datetime(2025, 1, 1, tzinfo=UTC),
        )  # fmt: skip
        self.content[(media_id, None)] = data
        for size in SIZES:
            thumb = f"thumb {n} {size}".encode()
            key = (MediaKey.legacy_thumbnail if legacy else MediaKey.for_thumbnail)(product_id, sha, size).value
            self.store.put(key, thumb, "image/jpeg")
            self.uow.committed.thumbnails[(media_id, size)] = ThumbnailRecord(media_id, size, key, 5, 5, len(thumb))
            self.content[(media_id, size)] = thumb
        return media_id

    def key_of(self, media_id: uuid.UUID, size: str | None = None) -> str:
        if size is None:
            return self.uow.committed.media[media_id].storage_key
        return self.uow.committed.thumbnails[(media_id, size)].storage_key

    def migration(
        self, switch: KillSwitch | None = None, store: Any = None, page_size: int = 2, delete_batch: int = 1000
    ) -> LayoutMigration:
        switch = switch or KillSwitch()
        store = store or MortalStore(self.store, switch)
        uow = lambda: MortalUnitOfWork(self.uow, switch, self.lock)  # noqa: E731
        return LayoutMigration(uow, store, page_size=page_size, delete_batch=delete_batch)

    def run(self, concurrency: int = 1, **options: Any) -> list[MoveOutcome]:
        return list(self.migration(**options).run(concurrency))

    def assert_converged(self) -> None:
        """Every row sharded, its object holding the row's bytes; nothing else in the store."""
        keys = set()
        for (media_id, size), data in self.content.items():
            key = self.key_of(media_id, size)
            assert not MediaKey.parse(key).legacy, key
            assert self.store.get(key) == data
            keys.add(key)
        assert set(self.store.objects) == keys


def results(outcomes: list[MoveOutcome]) -> dict[MoveResult, int]:
    counted = {result: 0 for result in MoveResult}
    for outcome in outcomes:
        counted[outcome.result] += 1
    return counted


def test_every_legacy_original_and_thumbnail_moves_and_a_rerun_finds_nothing_to_do() -> None:
    world = World(files=5)
    outcomes = world.run(concurrency=3)
    assert results(outcomes)[MoveResult.MOVED] == 20 and len(outcomes) == 20
    world.assert_converged()
    assert results(world.run())[MoveResult.SHARDED] == 20


@pytest.mark.parametrize("concurrency", [1, 4])
def test_a_run_killed_after_any_number_of_operations_converges_on_the_rerun(concurrency: int) -> None:
    clean = World(files=3)
    switch = KillSwitch()
    clean.run(concurrency, switch=switch)
    steps = switch.done  # stat, copy and commit per object, then one delete_many: 3 x 12 + 1
    assert steps == 37
    for budget in range(steps + 1):
        world = World(files=3)
        world.add(3, legacy=False)  # rows sharded before the run are left as they are
        with contextlib.suppress(Killed):
            world.run(concurrency, switch=KillSwitch(budget))
        outcomes = world.run(concurrency)
        assert results(outcomes)[MoveResult.FAILED] == 0, outcomes
        world.assert_converged()


@pytest.mark.parametrize("concurrency", [1, 3])
def test_a_run_killed_with_small_delete_batches_converges_on_the_rerun(concurrency: int) -> None:
    clean = World(files=3)
    switch = KillSwitch()
    clean.run(concurrency, switch=switch, delete_batch=5)
    for budget in range(switch.done + 1):
        world = World(files=3)
        with contextlib.suppress(Killed):
            world.run(concurrency, switch=KillSwitch(budget), delete_batch=5)
        assert results(world.run(concurrency))[MoveResult.FAILED] == 0
        world.assert_converged()


def test_sources_are_deleted_in_batches_after_their_rows_are_committed() -> None:
    world = World(files=3)
    switch = KillSwitch()
    store = MortalStore(world.store, switch)
    outcomes = world.run(switch=switch, store=store, delete_batch=5)
    batches = [args[0] for name, args in store.calls if name == "delete_many"]
    # A batch is sent once 5 are due; finished moves are collected together, so one may hold a few more.
    assert len(batches) == 3 and sum(map(len, batches)) == 12 and all(len(b) >= 5 for b in batches[:-1])
    assert all(MediaKey.parse(key).legacy for batch in batches for key in batch)
    assert results(outcomes)[MoveResult.MOVED] == 12
    assert not [name for name, _ in store.calls if name == "delete"]
    world.assert_converged()


def test_a_run_closed_early_stops_cleanly_and_the_rerun_finishes() -> None:
    world = World(files=4)
    run = world.migration(delete_batch=2).run(1)
    first = next(run)
    run.close()  # Ctrl-C in the command: no error from the generator's clean-up
    assert first.result is MoveResult.MOVED
    outcomes = world.run()
    assert results(outcomes)[MoveResult.FAILED] == 0
    world.assert_converged()


def test_a_copy_made_before_the_kill_is_copied_again_and_the_row_moves() -> None:
    """(a) Killed after the copy, before the row update."""
    world = World(files=1)
    media_id = next(iter(world.uow.committed.media))
    legacy = world.key_of(media_id)
    world.store.copy(world.store.stat(legacy), MediaKey.parse(legacy).sharded().value)
    outcomes = world.run()
    assert results(outcomes)[MoveResult.MOVED] == 4
    world.assert_converged()


def test_the_legacy_twin_of_a_sharded_row_is_removed() -> None:
    """(b) Killed after the row update, before the delete of the source."""
    world = World(files=1)
    media_id = next(iter(world.uow.committed.media))
    legacy = world.key_of(media_id)
    sharded = MediaKey.parse(legacy).sharded().value
    world.store.copy(world.store.stat(legacy), sharded)
    world.uow.committed.media[media_id].storage_key = sharded
    outcomes = world.run()
    leftover = [o for o in outcomes if o.removed_leftover]
    assert [o.row.storage_key for o in leftover] == [sharded] and leftover[0].result is MoveResult.SHARDED
    world.assert_converged()


def test_a_legacy_twin_that_is_the_only_copy_is_copied_before_it_is_deleted() -> None:
    world = World(files=1)
    media_id = next(iter(world.uow.committed.media))
    legacy = world.key_of(media_id)
    world.uow.committed.media[media_id].storage_key = MediaKey.parse(legacy).sharded().value
    world.run()
    world.assert_converged()


def test_a_missing_source_with_the_target_present_only_updates_the_row() -> None:
    """(c) The source is gone (a concurrent run got further) but the copy is there."""
    world = World(files=1)
    media_id = next(iter(world.uow.committed.media))
    legacy = world.key_of(media_id)
    world.store.copy(world.store.stat(legacy), MediaKey.parse(legacy).sharded().value)
    world.store.delete(legacy)
    switch = KillSwitch()
    store = MortalStore(world.store, switch)
    outcomes = world.run(switch=switch, store=store)
    assert results(outcomes)[MoveResult.MOVED] == 4
    assert not [args for name, args in store.calls if name == "copy" and args[0].key == legacy]
    world.assert_converged()


def test_both_objects_missing_fails_with_the_reason_and_deletes_nothing() -> None:
    """(d)"""
    world = World(files=2)
    media_id = next(iter(world.uow.committed.media))
    legacy = world.key_of(media_id)
    world.store.delete(legacy)
    before = dict(world.store.objects)
    switch = KillSwitch()
    store = MortalStore(world.store, switch)
    outcomes = world.run(switch=switch, store=store)
    failed = [o for o in outcomes if o.result is MoveResult.FAILED]
    assert len(failed) == 1 and failed[0].row.storage_key == legacy
    assert failed[0].reason is not None and "neither" in failed[0].reason and legacy in failed[0].reason
    assert world.key_of(media_id) == legacy
    deleted = [key for name, args in store.calls if name == "delete_many" for key in args[0]]
    assert not [key for key in deleted if key not in before]
    assert results(world.run())[MoveResult.FAILED] == 1  # still reported, still untouched


class CorruptingStore(FakeMediaStore):
    def copy(self, source: StoredObject, target: str) -> StoredObject:
        data, content_type = self.objects[source.key]
        return self.put(target, data[:-1], content_type)


def test_a_copy_that_differs_from_its_source_is_not_used() -> None:
    world = World(files=1)
    store = CorruptingStore()
    store.objects = world.store.objects
    outcomes = world.run(store=store)
    assert results(outcomes)[MoveResult.FAILED] == 4
    assert all("bytes" in (o.reason or "") for o in outcomes)
    assert all(MediaKey.parse(key).legacy for key in (o.row.storage_key for o in outcomes))
    assert all(world.key_of(o.row.media_file_id, o.row.size) == o.row.storage_key for o in outcomes)


class MultipartEtagStore(FakeMediaStore):
    """Legacy objects uploaded in parts: their ETag is not an MD5 of the bytes."""

    def stat(self, key: str) -> StoredObject | None:
        found = super().stat(key)
        if found is None or not MediaKey.parse(key).legacy:
            return found
        return StoredObject(key, found.byte_size, "0" * 32 + "-2")


def test_a_multipart_checksum_is_checked_on_the_bytes() -> None:
    world = World(files=1)
    store = MultipartEtagStore()
    store.objects = world.store.objects
    assert results(world.run(store=store))[MoveResult.MOVED] == 4
    world.assert_converged()


def test_a_row_deleted_during_the_move_is_gone_and_its_copy_is_kept() -> None:
    world = World(files=1)
    media_id = next(iter(world.uow.committed.media))
    legacy = world.key_of(media_id)
    row = next(world.migration().rows())

    class DeletingStore(FakeMediaStore):
        def copy(self, source: StoredObject, target: str) -> StoredObject:
            world.uow.committed.media.pop(media_id)
            return super().copy(source, target)

    store = DeletingStore()
    store.objects = world.store.objects
    outcome = world.migration(store=store).migrate_one(row)
    assert outcome.result is MoveResult.GONE
    assert MediaKey.parse(legacy).sharded().value in store.objects and legacy in store.objects


def test_a_row_moved_by_someone_else_meanwhile_counts_as_sharded_and_loses_its_twin() -> None:
    world = World(files=1)
    media_id = next(iter(world.uow.committed.media))
    legacy = world.key_of(media_id)
    row = next(world.migration().rows())

    class RacingStore(FakeMediaStore):
        def copy(self, source: StoredObject, target: str) -> StoredObject:
            world.uow.committed.media[media_id].storage_key = target
            return super().copy(source, target)

    store = RacingStore()
    store.objects = world.store.objects
    assert world.migration(store=store).migrate_one(row).result is MoveResult.SHARDED
    assert legacy not in store.objects


def test_a_source_deleted_between_stat_and_copy_falls_back_to_the_target() -> None:
    world = World(files=1)
    row = next(world.migration().rows())
    target = MediaKey.parse(row.storage_key).sharded().value

    class OvertakenStore(FakeMediaStore):
        def copy(self, source: StoredObject, target_key: str) -> StoredObject:
            super().copy(source, target_key)  # the other run copies and deletes first
            self.delete(source.key)
            raise NotFound("media object", source.key)

    store = OvertakenStore()
    store.objects = world.store.objects
    assert world.migration(store=store).migrate_one(row).result is MoveResult.MOVED
    assert world.key_of(row.media_file_id) == target


class FailingDeleteStore(FakeMediaStore):
    def delete(self, key: str) -> None:
        raise OSError("permission denied")


def test_a_failed_delete_is_reported_and_the_rerun_removes_the_leftover() -> None:
    world = World(files=1)
    store = FailingDeleteStore()
    store.objects = world.store.objects
    outcomes = world.run(store=store)
    assert results(outcomes)[MoveResult.FAILED] == 4
    assert all("permission denied" in (o.reason or "") for o in outcomes)
    rerun = world.run()
    assert results(rerun)[MoveResult.SHARDED] == 4 and all(o.removed_leftover for o in rerun)
    world.assert_converged()


def test_an_unrecognised_key_fails_and_is_left_alone() -> None:
    world = World(files=1)
    media_id = next(iter(world.uow.committed.media))
    world.uow.committed.media[media_id].storage_key = "elsewhere/photo.png"
    world.store.put("elsewhere/photo.png", b"x", "image/png")
    outcomes = world.run()
    failed = [o for o in outcomes if o.result is MoveResult.FAILED]
    assert len(failed) == 1 and "not a product media key" in (failed[0].reason or "")
    assert "elsewhere/photo.png" in world.store.objects


class UntouchableStore:
    def __getattr__(self, name: str) -> Any:
        raise AssertionError(f"the dry run called store.{name}")


def test_the_plan_reads_rows_only() -> None:
    world = World(files=3)
    world.add(3, legacy=False)
    media_id = world.add(4)
    world.uow.committed.media[media_id].storage_key = "elsewhere/photo.png"
    plan = world.migration(store=UntouchableStore()).plan()
    assert (plan.found, plan.legacy, plan.sharded, plan.unrecognised) == (20, 15, 4, 1)
    assert plan.unrecognised_keys == ["elsewhere/photo.png"] and len(plan.moves) == 15
    assert all(MediaKey.parse(target) == MediaKey.parse(source).sharded() for source, target in plan.moves)
    assert world.migration().count() == 20
