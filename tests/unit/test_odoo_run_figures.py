"""A sync run's figures are those of its log: every product the run logged is counted, whether the run completed
or stopped because Odoo went away (then the products not exported are logged failed, and retried)."""

from __future__ import annotations

import copy
import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from productsmanager.application.odoo.odoo_product_export import OdooProductExport
from productsmanager.application.odoo.odoo_sync import OdooSync, export_request
from productsmanager.application.odoo.ports import OdooUnreachable
from productsmanager.application.odoo.sync_ports import SyncCandidate
from productsmanager.domain.gtin import Gtin, check_digit
from productsmanager.domain.odoo.configuration import OdooConfiguration
from productsmanager.domain.odoo.product_values import ProductSnapshot
from productsmanager.domain.odoo.runs import RunKind, RunStatus, SyncLogEntry, SyncRun
from tests.unit.fakes import FakeClock
from tests.unit.odoo_fakes import OdooState
from tests.unit.odoo_instance_fakes import FakeOdooInstanceRepository


def code(n: int) -> str:
    payload = f"20{n:010d}"
    return payload + str(check_digit(payload))


class Setup:
    def __init__(self, batch_size: int) -> None:
        self.batch_size = batch_size

    def get(self) -> Any:
        config = OdooConfiguration("http://odoo", "db", "admin", batch_size=self.batch_size)
        return type("Stored", (), {"config": config})()

    def connection(self) -> object:
        return object()


class Source:
    def __init__(self, count: int) -> None:
        self.items = {uuid.uuid4(): code(n) for n in range(count)}
        self.links: list[tuple[uuid.UUID, int]] = []

    def candidates(self, instance_id: uuid.UUID, ids: list[uuid.UUID]) -> list[SyncCandidate]:
        return [
            SyncCandidate(pid, None, ProductSnapshot(Gtin.parse(self.items[pid]), "Item", price=Decimal("2.50")))
            for pid in ids
        ]

    def link(self, instance_id: uuid.UUID, links: list[tuple[uuid.UUID, int]]) -> None:
        self.links += links


class Odoo:
    """Answers `lookups_before_down` batch lookups, then is unreachable for good."""

    def __init__(self, lookups_before_down: int) -> None:
        self.lookups_left, self.next_id = lookups_before_down, 1

    def search_read(self, model: str, domain: list[Any], fields: list[str], **_: Any) -> list[dict[str, Any]]:
        if self.lookups_left <= 0:
            raise OdooUnreachable("product.product.search_read: could not connect to http://odoo")
        self.lookups_left -= 1
        return []

    def read(self, model: str, ids: list[int], fields: list[str]) -> list[dict[str, Any]]:
        return []

    def create(self, model: str, values: Any) -> Any:
        ids = list(range(self.next_id, self.next_id + len(values)))
        self.next_id += len(values)
        return ids


class Log:
    def __init__(self) -> None:
        self.runs: dict[uuid.UUID, SyncRun] = {}
        self.entries: list[SyncLogEntry] = []

    def add_run(self, run: SyncRun) -> None:
        self.runs[run.id] = run

    def get_run(self, run_id: uuid.UUID) -> SyncRun | None:
        stored = self.runs.get(run_id)
        return copy.copy(stored) if stored is not None else None  # a copy, as a row read from a table

    def update_run(self, run: SyncRun) -> None:
        self.runs[run.id] = copy.copy(run)

    def replace_run(self, run: SyncRun, expected: tuple[RunStatus, int]) -> bool:
        """Compare and set on (status, attempts), as the repository does."""
        stored = self.runs[run.id]
        if (stored.status, stored.attempts) != expected:
            return False
        self.runs[run.id] = copy.copy(run)
        return True

    def beat_run(self, run_id: uuid.UUID, attempts: int, now: datetime) -> None:
        stored = self.runs[run_id]
        if stored.attempts == attempts:
            stored.heartbeat_at = now

    def add_entries(self, entries: list[SyncLogEntry]) -> None:
        self.entries += entries

    def exported_products(self, run_id: uuid.UUID) -> set[uuid.UUID]:
        return {e.product_id for e in self.entries if e.run_id == run_id and e.status == "success" and e.product_id}

    def drop_failed_entries(self, run_id: uuid.UUID) -> None:
        self.entries = [e for e in self.entries if not (e.run_id == run_id and e.status == "failed")]

    def run_figures(self, run_id: uuid.UUID) -> tuple[int, int]:
        mine = [e.status for e in self.entries if e.run_id == run_id]
        return mine.count("success"), mine.count("failed")


class UnitOfWork:
    def __init__(self, log: Log) -> None:
        self.odoo_log = log
        self.odoo_instances = FakeOdooInstanceRepository(OdooState())

    def __enter__(self) -> UnitOfWork:
        return self

    def __exit__(self, *exc_info: Any) -> None:
        pass

    def commit(self) -> None:
        pass


def run_export(count: int, batch_size: int, lookups_before_down: int) -> tuple[SyncRun, Log, bool]:
    log, source, odoo = Log(), Source(count), Odoo(lookups_before_down)
    return attempt(log, source, odoo, batch_size, None)


def attempt(
    log: Log, source: Source, odoo: Odoo, batch_size: int, run_id: uuid.UUID | None
) -> tuple[SyncRun, Log, bool]:
    """One attempt of a bulk run (a new run, or `run_id` run again as the worker's retry does)."""
    export = OdooProductExport(lambda **_: Setup(batch_size), source, lambda _: odoo)  # type: ignore[arg-type]
    sync = OdooSync(lambda: UnitOfWork(log), lambda **_: export, None, None, None, FakeClock())  # type: ignore[arg-type]
    run_id = run_id or sync.new_run(RunKind.BULK, len(source.items), export_request(list(source.items), {})).id
    try:
        sync.run_export(run_id, list(source.items), {})
        raised = False
    except OdooUnreachable:
        raised = True  # the worker retries the task
    return log.runs[run_id], log, raised


def test_a_run_whose_1005_products_all_failed_shows_failed_1005() -> None:
    run, log, raised = run_export(1005, batch_size=100, lookups_before_down=0)
    assert raised and run.status is RunStatus.FAILED and "Unreachable" in (run.error or "")
    assert (run.requested, run.succeeded, run.failed) == (1005, 0, 1005)
    assert len(log.entries) == 1005 and all(e.status == "failed" for e in log.entries)


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 60), st.integers(1, 12), st.integers(0, 8))
def test_the_figures_of_a_run_are_those_of_its_log(count: int, batch_size: int, lookups: int) -> None:
    """Odoo goes away after some batches (or never): the batches done are successes, the rest failures."""
    run, log, raised = run_export(count, batch_size, lookups)
    succeeded = sum(e.status == "success" for e in log.entries)
    failed = sum(e.status == "failed" for e in log.entries)
    assert (run.succeeded, run.failed) == (succeeded, failed)
    assert succeeded + failed == count == len({e.product_id for e in log.entries})  # each product logged once
    assert succeeded == min(count, lookups * batch_size)
    assert raised == (failed > 0) and (run.status is RunStatus.FAILED) == raised


@pytest.mark.parametrize("lookups", [1, 3])
def test_products_exported_before_odoo_went_away_stay_linked(lookups: int) -> None:
    source, odoo = Source(10), Odoo(lookups)
    export = OdooProductExport(lambda **_: Setup(3), source, lambda _: odoo)  # type: ignore[arg-type]
    outcome = export.export(list(source.items))
    assert len(outcome.done) == len(source.links) == min(10, 3 * lookups)
    assert isinstance(outcome.interrupted, OdooUnreachable) and len(outcome.failed) == 10 - len(outcome.done)


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 40), st.integers(1, 8), st.lists(st.integers(0, 6), min_size=1, max_size=4))
def test_a_run_retried_until_odoo_is_back_logs_each_product_once(
    count: int, batch_size: int, lookups_per_attempt: list[int]
) -> None:
    """Each retry exports only what earlier attempts did not, and its failures replace theirs: whatever the
    attempts, the log holds one entry per product and the run's figures are the log's."""
    log, source, odoo = Log(), Source(count), Odoo(0)
    run_id: uuid.UUID | None = None
    for lookups in [*lookups_per_attempt, 10**6]:  # the last attempt finds Odoo back for good
        odoo.lookups_left = lookups
        run, log, raised = attempt(log, source, odoo, batch_size, run_id)
        run_id = run.id
        assert (run.succeeded, run.failed) == log.run_figures(run.id)
        assert len(log.entries) == count == len({e.product_id for e in log.entries})
        if not raised:
            break
    assert (run.status, run.succeeded, run.failed) == (RunStatus.COMPLETED, count, 0)
    assert odoo.next_id - 1 == count  # nothing created twice
