"""The SQLAlchemy unit of work: nothing written is kept without `commit()`, and a transaction that only
read leaves the connection's prepared statements in place (psycopg drops them all on ROLLBACK)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from productsmanager.adapters.sqlalchemy.tables import suppliers
from productsmanager.adapters.sqlalchemy.unit_of_work import SqlAlchemyUnitOfWork
from productsmanager.domain.catalog import Supplier
from tests.integration.helpers import Backend

pytestmark = pytest.mark.integration

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def _supplier_count(backend: Backend) -> int:
    with backend.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(suppliers)).scalar_one())


def test_a_write_without_commit_is_rolled_back(backend: Backend) -> None:
    with SqlAlchemyUnitOfWork(backend.engine) as uow:
        uow.suppliers.add(Supplier.new("ACME", "Acme", NOW))
    assert _supplier_count(backend) == 0


def test_a_write_is_rolled_back_when_the_block_fails(backend: Backend) -> None:
    with pytest.raises(RuntimeError), SqlAlchemyUnitOfWork(backend.engine) as uow:
        uow.suppliers.add(Supplier.new("ACME", "Acme", NOW))
        raise RuntimeError("the use case failed after writing")
    assert _supplier_count(backend) == 0


def test_a_committed_write_is_kept(backend: Backend) -> None:
    with SqlAlchemyUnitOfWork(backend.engine) as uow:
        uow.suppliers.add(Supplier.new("ACME", "Acme", NOW))
        uow.commit()
    assert _supplier_count(backend) == 1


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_read_only_transactions_keep_prepared_statements(backend: Backend) -> None:
    """psycopg prepares a statement after its fifth run; a ROLLBACK at the end of each read-only unit of
    work used to deallocate them all, so PostgreSQL parsed and planned every statement of every request."""
    engine = backend.engine
    engine.dispose()  # one fresh pooled connection, used by every unit of work below
    for _ in range(8):
        with SqlAlchemyUnitOfWork(engine) as uow:
            assert uow.suppliers.get_by_code("NONE") is None
    with engine.connect() as conn:
        prepared = conn.exec_driver_sql("SELECT count(*) FROM pg_prepared_statements").scalar_one()
    assert prepared >= 1
