"""`SqlAlchemyLookupStats`: the stats tiles counted by the database from `ean_lookup_events`.

A lookup is the events of one GTIN at one moment (a lookup stamps all its events with the same time). The
median latency is that of the provider's own requests, read as the middle row by index order on both
databases (no percentile function on SQLite)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, Engine, and_, case, func, select

from productsmanager.adapters.sqlalchemy.tables import ean_lookup_events as e
from productsmanager.adapters.sqlalchemy.tables import ean_providers
from productsmanager.domain.enrichment.answers import LookupSummary, ProviderFigures
from productsmanager.domain.enrichment.providers import ProviderName

_KNOWN = frozenset(ProviderName)


class SqlAlchemyLookupStats:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine.execution_options(isolation_level="AUTOCOMMIT")

    def summary(self, since: datetime) -> LookupSummary:
        recent = e.c.at >= since
        found_any = func.max(case((e.c.outcome == "found", 1), else_=0))
        error_any = func.max(case((e.c.outcome == "error", 1), else_=0))
        per_lookup = (
            select(found_any.label("found"), error_any.label("failed")).where(recent).group_by(e.c.gtin, e.c.at)
        ).subquery()
        unknown = case((and_(per_lookup.c.found == 0, per_lookup.c.failed == 0), 1), else_=0)
        lookups = select(
            func.count(), func.coalesce(func.sum(per_lookup.c.found), 0), func.coalesce(func.sum(unknown), 0)
        ).select_from(per_lookup)
        per_provider = (
            select(
                e.c.provider,
                func.count().filter(e.c.cached.is_(False)),
                func.count().filter(and_(e.c.outcome == "found", e.c.cached.is_(False))),
                func.count().filter(e.c.outcome == "error"),
                func.count().filter(e.c.cached.is_(True)),
                func.count(),
            )
            .where(recent)
            .group_by(e.c.provider)
        )
        with self._engine.connect() as conn:
            lookups_row = conn.execute(lookups).one()
            rows = conn.execute(per_provider).all()
            credits = dict(conn.execute(select(ean_providers.c.name, ean_providers.c.credits_left)).all())
            figures = [
                ProviderFigures(
                    ProviderName(r[0]),
                    int(r[1]),
                    int(r[2]),
                    int(r[3]),
                    self._median(conn, r[0], since),
                    credits.get(r[0]),
                )
                for r in rows
                if r[0] in _KNOWN
            ]
        errors = sum(f.errors for f in figures)
        cached = sum(int(r[4]) for r in rows)
        answered = sum(int(r[5]) for r in rows)
        return LookupSummary(
            lookups=int(lookups_row[0]),
            found=int(lookups_row[1]),
            not_found=int(lookups_row[2]),
            errors=errors,
            cache_hit_rate=round(cached / answered, 4) if answered else None,
            providers=tuple(sorted(figures, key=lambda f: f.provider)),
        )

    @staticmethod
    def _median(conn: Connection, provider: str, since: datetime) -> int | None:
        timed = and_(e.c.provider == provider, e.c.at >= since, e.c.cached.is_(False), e.c.latency_ms.is_not(None))
        count = conn.execute(select(func.count()).where(timed)).scalar_one()
        if not count:
            return None
        middle = select(e.c.latency_ms).where(timed).order_by(e.c.latency_ms).offset((count - 1) // 2).limit(1)
        return int(conn.execute(middle).scalar_one())
