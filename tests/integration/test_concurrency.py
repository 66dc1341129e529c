"""Two requests creating the same GTIN at once: the database's unique index decides, the loser gets a 409."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from dependency_injector import providers
from sqlalchemy import Engine

from productsmanager.adapters.sqlalchemy.unit_of_work import SqlAlchemyUnitOfWork
from productsmanager.domain.catalog import Product
from productsmanager.domain.gtin import Gtin
from tests.integration.helpers import Backend, Users, assert_problem

pytestmark = pytest.mark.integration


class _LookupThenWait:
    """Wraps the product repository: the first GTIN lookup of each request waits for the other request's, so
    that both pass the "does it exist?" check before either inserts (the race, forced rather than hoped for).
    Later lookups (the loser's follow-up lookup of the winner, in a unit of work of its own) must not wait."""

    def __init__(self, inner: Any, barrier: threading.Barrier, raced: threading.local) -> None:
        self._inner = inner
        self._barrier = barrier
        self._raced = raced

    def get_by_gtin(self, gtin: Gtin) -> Product | None:
        found = self._inner.get_by_gtin(gtin)
        if not getattr(self._raced, "done", False):  # each request runs in a thread of its own
            self._raced.done = True
            self._barrier.wait()
        return found  # type: ignore[no-any-return]

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


class RacingUnitOfWork(SqlAlchemyUnitOfWork):
    """Every unit of work a request opens shares the race: only the request's first GTIN lookup waits."""

    def __init__(self, engine: Engine, barrier: threading.Barrier, raced: threading.local) -> None:
        super().__init__(engine)
        self._barrier = barrier
        self._raced = raced

    def __enter__(self) -> RacingUnitOfWork:
        super().__enter__()
        self.products = _LookupThenWait(self.products, self._barrier, self._raced)  # type: ignore[assignment]
        return self


def _both_at_once(call: Callable[[str], Any], eans: tuple[str, str]) -> list[Any]:
    with ThreadPoolExecutor(max_workers=2) as pool:
        return list(pool.map(call, eans))


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
@pytest.mark.parametrize("eans", [("4006381333931", "4006381333931"), ("'0012345678905", "012345678905")])
def test_simultaneous_creates_of_one_gtin_give_one_201_and_one_409(
    backend: Backend, users: Users, eans: tuple[str, str]
) -> None:
    headers = users.editor
    barrier = threading.Barrier(2, timeout=10)
    racing = providers.Factory(
        RacingUnitOfWork, engine=backend.container.engine, barrier=barrier, raced=threading.local()
    )

    def create(ean: str) -> Any:
        return backend.client.simulate_post(
            "/api/v1/products", headers=headers, json={"ean": ean, "name": f"Pen {ean}"}
        )

    with backend.container.uow.override(racing):
        results = _both_at_once(create, eans)
    assert not barrier.broken, "the two lookups did not overlap"
    assert sorted(r.status_code for r in results) == [201, 409], [r.text for r in results]
    loser = next(r for r in results if r.status_code == 409)
    assert_problem(loser, 409, "ean")
    listed = backend.client.simulate_get("/api/v1/products", headers=users.viewer).json["items"]
    winner = next(r for r in results if r.status_code == 201)
    assert [p["id"] for p in listed] == [winner.json["id"]]
    assert winner.json["id"] in loser.json["detail"], "the 409 names the product that won the race"


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_many_unsynchronised_creates_of_one_gtin_never_fail_with_500(backend: Backend, users: Users) -> None:
    headers = users.editor
    start = threading.Barrier(6, timeout=10)

    def create(n: int) -> int:
        start.wait()
        ean = ("4006381333931", "04006381333931", "'4006381333931")[n % 3]
        return backend.client.simulate_post(
            "/api/v1/products", headers=headers, json={"ean": ean, "name": f"Pen {n}"}
        ).status_code

    with ThreadPoolExecutor(max_workers=6) as pool:
        statuses = sorted(pool.map(create, range(6)))
    assert statuses == [201] + [409] * 5
