"""A sync run's figures are those of its log: every product the run logged is counted, whether the run completed
or stopped because Odoo went away (then the products not exported are logged failed, and retried)."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from productsmanager.application.odoo.export_products import OdooProductExport
from productsmanager.application.odoo.ports import OdooUnreachable
from productsmanager.application.odoo.sync_ports import SyncCandidate
from productsmanager.application.odoo.sync_products import OdooSync
from productsmanager.domain.gtin import Gtin, check_digit
from productsmanager.domain.odoo.configuration import OdooConfiguration
from productsmanager.domain.odoo.product_values import ProductSnapshot
from productsmanager.domain.odoo.runs import RunKind, RunStatus, SyncLogEntry, SyncRun
from tests.unit.fakes import FakeClock


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

    def candidates(self, ids: list[uuid.UUID]) -> list[SyncCandidate]:
        return [
            SyncCandidate(pid, None, ProductSnapshot(Gtin.parse(self.items[pid]), "Item", price=Decimal("2.50")))
            for pid in ids
        ]

    def link(self, links: list[tuple[uuid.UUID, int]]) -> None:
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
        return self.runs.get(run_id)

    def update_run(self, run: SyncRun) -> None:
        self.runs[run.id] = run

    def add_entries(self, entries: list[SyncLogEntry]) -> None:
        self.entries += entries


class UnitOfWork:
    def __init__(self, log: Log) -> None:
        self.odoo_log = log

    def __enter__(self) -> UnitOfWork:
        return self

    def __exit__(self, *exc_info: Any) -> None:
        pass

    def commit(self) -> None:
        pass


def run_export(count: int, batch_size: int, lookups_before_down: int) -> tuple[SyncRun, Log, bool]:
    log, source, odoo = Log(), Source(count), Odoo(lookups_before_down)
    export = OdooProductExport(Setup(batch_size), source, lambda _: odoo)  # type: ignore[arg-type]
    sync = OdooSync(lambda: UnitOfWork(log), lambda: export, None, None, None, FakeClock())  # type: ignore[arg-type]
    run = sync.new_run(RunKind.BULK, count)
    try:
        sync.run_export(run.id, list(source.items), {})
        raised = False
    except OdooUnreachable:
        raised = True  # the worker retries the task
    return log.runs[run.id], log, raised


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
    export = OdooProductExport(Setup(3), source, lambda _: odoo)  # type: ignore[arg-type]
    outcome = export.export(list(source.items))
    assert len(outcome.done) == len(source.links) == min(10, 3 * lookups)
    assert isinstance(outcome.interrupted, OdooUnreachable) and len(outcome.failed) == 10 - len(outcome.done)
