"""Shared helpers of the integration tests: the backend under test, users and tokens, problem checks."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from dependency_injector import providers
from falcon import testing
from sqlalchemy import Engine, event

from productsmanager.adapters.argon2_hasher import Argon2PasswordHasher
from productsmanager.adapters.sqlalchemy.tables import metadata, odoo_instances
from productsmanager.container import Container
from productsmanager.domain.odoo.instances import DEFAULT_INSTANCE_ID, DEFAULT_INSTANCE_NAME

PASSWORD = "Secret123!"
PROBLEM_JSON = "application/problem+json"
BACKENDS = ("postgresql", "sqlite")


@dataclass
class Backend:
    name: str
    url: str
    container: Container
    client: testing.TestClient

    @property
    def engine(self) -> Engine:
        return self.container.engine()  # type: ignore[no-any-return]


def cheap_password_hasher() -> providers.Singleton[Argon2PasswordHasher]:
    """The same argon2id, at a cost that keeps hundreds of logins fast; overrides `container.password_hasher`."""
    return providers.Singleton(Argon2PasswordHasher, time_cost=1, memory_cost=8, parallelism=1)


def clear_tables(engine: Engine) -> None:
    """Deletes every row (children first), keeping the schema and Alembic's version table, and the default Odoo
    instance as the migration makes it (it always exists), not configured."""
    with engine.begin() as conn:
        for table in reversed(metadata.sorted_tables):
            if table is odoo_instances:
                conn.execute(table.delete().where(table.c.id != DEFAULT_INSTANCE_ID))
                conn.execute(table.update().values(**DEFAULT_INSTANCE_AS_MIGRATED))
            else:
                conn.execute(table.delete())


DEFAULT_INSTANCE_AS_MIGRATED = {
    "name": DEFAULT_INSTANCE_NAME,
    "settings": None,
    "secret_encrypted": None,
    "enabled": True,
    "last_test_at": None,
    "last_test_result": None,
}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def login(client: testing.TestClient, email: str, password: str = PASSWORD) -> dict[str, str]:
    result = client.simulate_post("/api/v1/auth/login", json={"email": email, "password": password})
    assert result.status_code == 200, result.text
    return bearer(result.json["access_token"])


@dataclass
class Users:
    """One user per role, created through `UserAdministration.create`, logged in through the API."""

    backend: Backend
    ids: dict[str, str] = field(default_factory=dict)
    _headers: dict[str, dict[str, str]] = field(default_factory=dict)

    def create(self, email: str, role: str, password: str = PASSWORD) -> str:
        user = self.backend.container.user_administration().create(email, password, role)
        return str(user.id)

    def email(self, role: str) -> str:
        return f"{role}@example.com"

    def headers(self, role: str) -> dict[str, str]:
        if role not in self._headers:
            self.ids[role] = self.create(self.email(role), role)
            self._headers[role] = login(self.backend.client, self.email(role))
        return self._headers[role]

    @property
    def admin(self) -> dict[str, str]:
        return self.headers("admin")

    @property
    def editor(self) -> dict[str, str]:
        return self.headers("editor")

    @property
    def viewer(self) -> dict[str, str]:
        return self.headers("viewer")


def assert_problem(result: testing.Result, status: int, field: str | None = None) -> dict[str, Any]:
    """An RFC 9457 problem with the given status; with `field`, a validation error naming that field."""
    assert result.status_code == status, f"{result.status_code} {result.text}"
    assert result.headers["content-type"] == PROBLEM_JSON
    body: dict[str, Any] = result.json
    assert {"type", "title", "status", "detail"} <= body.keys(), body
    assert body["status"] == status
    assert isinstance(body["detail"], str) and body["detail"]
    if field is not None:
        errors = body.get("errors")
        assert isinstance(errors, list) and errors, body
        assert all({"field", "message"} <= e.keys() for e in errors), errors
        assert field in [e["field"] for e in errors], errors
    return body


@contextmanager
def count_statements(engine: Engine) -> Iterator[list[str]]:
    """Collects every SQL statement sent to the database through `engine` while the block runs."""
    statements: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def at_once(calls: list[Callable[[], object]]) -> list[object]:
    """Runs the calls together, released by one barrier, as separate processes would race; their results in order."""
    barrier, results = threading.Barrier(len(calls)), [None] * len(calls)

    def run(index: int) -> None:
        barrier.wait(timeout=10)
        results[index] = calls[index]()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results
