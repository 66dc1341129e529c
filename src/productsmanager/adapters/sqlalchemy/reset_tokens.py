"""`SqlAlchemyResetTokenStore`: reset tokens in the database, for the embedded default (and deployments
without Redis). One row per user, so issuing a token replaces the previous one in a single upsert."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Engine, delete, select
from sqlalchemy.dialects import postgresql, sqlite

from productsmanager.adapters.sqlalchemy.tables import password_reset_tokens as tokens
from productsmanager.application.ports import Clock
from productsmanager.domain.password_reset import ResetTokenRecord


class SqlAlchemyResetTokenStore:
    """Each call is its own short transaction; `take` is one `DELETE ... RETURNING`, which the database
    runs atomically, so two concurrent takes of one token cannot both get it."""

    def __init__(self, engine: Engine, clock: Clock) -> None:
        self._engine = engine
        self._clock = clock
        self._insert = postgresql.insert if engine.dialect.name == "postgresql" else sqlite.insert

    def issue(self, record: ResetTokenRecord, ttl: timedelta) -> None:
        values = {
            "user_id": record.user_id,
            "token_hash": record.token_hash,
            "issued_at": record.issued_at,
            "expires_at": record.issued_at + ttl,
        }
        statement = self._insert(tokens).values(values)
        statement = statement.on_conflict_do_update(
            index_elements=[tokens.c.user_id],
            set_={name: statement.excluded[name] for name in ("token_hash", "issued_at", "expires_at")},
        )
        with self._engine.begin() as conn:
            conn.execute(delete(tokens).where(tokens.c.expires_at <= self._clock.now()))  # the table stays small
            conn.execute(statement)

    def find(self, token_hash: str) -> ResetTokenRecord | None:
        query = select(tokens.c.token_hash, tokens.c.user_id, tokens.c.issued_at).where(
            tokens.c.token_hash == token_hash
        )
        with self._engine.connect() as conn:
            row = conn.execute(query).first()
        return ResetTokenRecord(row.token_hash, row.user_id, row.issued_at) if row else None

    def take(self, token_hash: str) -> ResetTokenRecord | None:
        statement = (
            delete(tokens)
            .where(tokens.c.token_hash == token_hash)
            .returning(tokens.c.token_hash, tokens.c.user_id, tokens.c.issued_at)
        )
        with self._engine.begin() as conn:
            row = conn.execute(statement).first()
        return ResetTokenRecord(row.token_hash, row.user_id, row.issued_at) if row else None
