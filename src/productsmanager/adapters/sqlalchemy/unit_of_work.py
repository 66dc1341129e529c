"""One database transaction per use case call; rolled back unless committed."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Engine

from productsmanager.adapters.sqlalchemy.catalog_repositories import (
    SqlAlchemyOfferRepository,
    SqlAlchemyProductRepository,
    SqlAlchemySupplierRepository,
)
from productsmanager.adapters.sqlalchemy.user_repositories import (
    SqlAlchemySessionRepository,
    SqlAlchemyUserRepository,
)


class SqlAlchemyUnitOfWork:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._connection: Connection | None = None

    def __enter__(self) -> SqlAlchemyUnitOfWork:
        if self._connection is not None:
            raise RuntimeError("unit of work is already open; use one per use case call")
        self._connection = self._engine.connect()
        self._connection.begin()
        conn = self._connection
        self.suppliers = SqlAlchemySupplierRepository(conn)
        self.products = SqlAlchemyProductRepository(conn)
        self.offers = SqlAlchemyOfferRepository(conn)
        self.users = SqlAlchemyUserRepository(conn)
        self.sessions = SqlAlchemySessionRepository(conn)
        return self

    def __exit__(self, *exc_info: Any) -> None:
        assert self._connection is not None
        try:
            if self._connection.in_transaction():
                self._connection.rollback()
        finally:
            self._connection.close()
            self._connection = None

    def commit(self) -> None:
        assert self._connection is not None
        self._connection.commit()

    def rollback(self) -> None:
        assert self._connection is not None
        self._connection.rollback()
