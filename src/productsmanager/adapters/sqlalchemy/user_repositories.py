"""Users and login sessions."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, delete, func, insert, or_, select, update
from sqlalchemy.engine import RowMapping

from productsmanager.adapters.sqlalchemy.integrity import conflict_on_duplicate
from productsmanager.adapters.sqlalchemy.tables import auth_sessions, users
from productsmanager.domain.users import AuthSession, Role, User


class SqlAlchemyUserRepository:
    def __init__(self, connection: Connection) -> None:
        self._conn = connection

    def add(self, user: User) -> None:
        with conflict_on_duplicate(f"a user with e-mail {user.email} already exists", "email"):
            self._conn.execute(insert(users).values(**_user_values(user)))

    def get(self, user_id: uuid.UUID) -> User | None:
        row = self._conn.execute(select(users).where(users.c.id == user_id)).mappings().first()
        return user_from_row(row) if row else None

    def get_by_email(self, email: str) -> User | None:
        query = select(users).where(func.lower(users.c.email) == email.strip().lower())
        row = self._conn.execute(query).mappings().first()
        return user_from_row(row) if row else None

    def list(self, limit: int, after_email: str | None) -> list[User]:
        query = select(users).order_by(func.lower(users.c.email)).limit(limit)
        if after_email is not None:
            query = query.where(func.lower(users.c.email) > after_email.lower())
        return [user_from_row(row) for row in self._conn.execute(query).mappings()]

    def update(self, user: User) -> None:
        with conflict_on_duplicate(f"a user with e-mail {user.email} already exists", "email"):
            self._conn.execute(update(users).where(users.c.id == user.id).values(**_user_values(user)))

    def count_active_admins(self) -> int:
        query = select(func.count()).where(users.c.role == Role.ADMIN.value, users.c.is_active.is_(True))
        return int(self._conn.execute(query).scalar_one())


class SqlAlchemySessionRepository:
    def __init__(self, connection: Connection) -> None:
        self._conn = connection

    def add(self, session: AuthSession) -> None:
        self._conn.execute(
            insert(auth_sessions).values(
                id=session.id,
                user_id=session.user_id,
                token_hash=session.token_hash,
                created_at=session.created_at,
                expires_at=session.expires_at,
                revoked_at=session.revoked_at,
            )
        )

    def revoke(self, token_hash: str, now: datetime) -> None:
        self._conn.execute(
            update(auth_sessions)
            .where(auth_sessions.c.token_hash == token_hash, auth_sessions.c.revoked_at.is_(None))
            .values(revoked_at=now)
        )

    def revoke_all_for_user(self, user_id: uuid.UUID, now: datetime) -> int:
        result = self._conn.execute(
            update(auth_sessions)
            .where(auth_sessions.c.user_id == user_id, auth_sessions.c.revoked_at.is_(None))
            .values(revoked_at=now)
        )
        return int(result.rowcount)

    def purge_expired(self, now: datetime) -> int:
        result = self._conn.execute(
            delete(auth_sessions).where(or_(auth_sessions.c.expires_at <= now, auth_sessions.c.revoked_at.is_not(None)))
        )
        return int(result.rowcount)


def user_from_row(row: RowMapping) -> User:
    return User(
        id=row["id"],
        email=row["email"],
        password_hash=row["password_hash"],
        role=Role(row["role"]),
        is_active=row["is_active"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


def _user_values(user: User) -> dict[str, Any]:
    return {
        "id": user.id,
        "email": user.email,
        "password_hash": user.password_hash,
        "role": user.role.value,
        "is_active": user.is_active,
        "created_at": user.created_at,
        "updated_at": user.updated_at,
    }


class SqlAlchemySessionLookup:
    """One statement per request, in autocommit: no BEGIN/COMMIT round trips around the token check."""

    _statement = (
        select(users)
        .join(auth_sessions, auth_sessions.c.user_id == users.c.id)
        .where(
            auth_sessions.c.token_hash == bindparam("token_hash"),
            auth_sessions.c.revoked_at.is_(None),
            auth_sessions.c.expires_at > bindparam("now", type_=auth_sessions.c.expires_at.type),
        )
    )

    def __init__(self, engine: Engine) -> None:
        self._engine = engine.execution_options(isolation_level="AUTOCOMMIT")

    def find_user_by_token_hash(self, token_hash: str, now: datetime) -> User | None:
        with self._engine.connect() as conn:
            row = conn.execute(self._statement, {"token_hash": token_hash, "now": now}).mappings().first()
        return user_from_row(row) if row else None
