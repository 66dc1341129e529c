"""Column types that behave the same on PostgreSQL and SQLite."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import orjson
from sqlalchemy import JSON, DateTime, Text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

JsonDocument = JSON().with_variant(JSONB(), "postgresql")


class JsonValue(TypeDecorator[Any]):
    """Any JSON value, scalars included: JSONB on PostgreSQL, JSON text on SQLite. SQLite gives a column
    declared JSON numeric affinity, so the text `85` would come back as the integer 85, which no JSON reader
    takes; a TEXT column keeps the text as written."""

    impl = JSON
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> Any:
        return dialect.type_descriptor(Text() if dialect.name == "sqlite" else JsonDocument)

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        return orjson.dumps(value).decode() if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        return orjson.loads(value) if dialect.name == "sqlite" and value is not None else value


class UtcDateTime(TypeDecorator[datetime]):
    """Always timezone-aware UTC in Python; SQLite keeps naive UTC text that still sorts correctly."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored: pass an aware UTC datetime")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None or value.tzinfo is UTC:
            return value
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
