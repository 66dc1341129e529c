"""The providers' kept answers (`ean_lookup_cache`) and the lookup events (`ean_lookup_events`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, insert, select
from sqlalchemy.dialects import postgresql, sqlite

from productsmanager.adapters.sqlalchemy.tables import ean_lookup_cache as cache
from productsmanager.adapters.sqlalchemy.tables import ean_lookup_events as events
from productsmanager.domain.enrichment.answers import KeptAnswer, LookupEvent
from productsmanager.domain.enrichment.providers import EanProduct, ProviderName
from productsmanager.domain.gtin import Gtin


class SqlAlchemyLookupCacheRepository:
    def __init__(self, connection: Connection) -> None:
        self._conn = connection

    def get_many(
        self, gtins: Sequence[Gtin], providers: Sequence[ProviderName]
    ) -> dict[tuple[str, ProviderName], KeptAnswer]:
        if not gtins or not providers:
            return {}
        by_code = {gtin.canonical: gtin for gtin in gtins}
        found: dict[tuple[str, ProviderName], KeptAnswer] = {}
        codes = list(by_code)
        for start in range(0, len(codes), 1000):  # bounded IN lists, whatever the batch
            query = select(cache).where(
                cache.c.gtin.in_(codes[start : start + 1000]), cache.c.provider.in_([str(p) for p in providers])
            )
            for row in self._conn.execute(query):
                gtin, provider = by_code[row.gtin], ProviderName(row.provider)
                product = _product(gtin, provider, row.product) if row.found else None
                found[(row.gtin, provider)] = KeptAnswer(gtin, provider, product, row.fetched_at)
        return found

    def put(self, answers: Sequence[KeptAnswer]) -> None:
        if not answers:
            return
        dialect = postgresql if self._conn.dialect.name == "postgresql" else sqlite
        statement = dialect.insert(cache)
        statement = statement.on_conflict_do_update(
            index_elements=["gtin", "provider"],
            set_={name: statement.excluded[name] for name in ("found", "product", "fetched_at")},
        )
        rows = [
            {"gtin": a.gtin.canonical, "provider": str(a.provider), "found": a.product is not None,
             "product": _stored(a.product) if a.product is not None else None, "fetched_at": a.fetched_at}
            for a in answers
        ]  # fmt: skip
        self._conn.execute(statement, rows)


class SqlAlchemyLookupEventRepository:
    def __init__(self, connection: Connection) -> None:
        self._conn = connection

    def add(self, recorded: Sequence[LookupEvent]) -> None:
        """PostgreSQL `COPY` (a job's batch records thousands of events), an executemany on SQLite."""
        if not recorded:
            return
        if self._conn.dialect.name == "postgresql":
            cursor = self._conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
            with cursor.copy(f"COPY ean_lookup_events ({', '.join(_EVENT_COLUMNS)}) FROM STDIN") as copy:
                for e in recorded:
                    copy.write_row((e.id, e.at, str(e.provider), e.gtin.canonical, str(e.outcome), e.error_code,
                                    e.latency_ms, e.cached))  # fmt: skip
            return
        rows = [
            {"id": e.id, "at": e.at, "provider": str(e.provider), "gtin": e.gtin.canonical, "outcome": str(e.outcome),
             "error_code": e.error_code, "latency_ms": e.latency_ms, "cached": e.cached}
            for e in recorded
        ]  # fmt: skip
        self._conn.execute(insert(events), rows)


_EVENT_COLUMNS = ("id", "at", "provider", "gtin", "outcome", "error_code", "latency_ms", "cached")


def _stored(product: EanProduct) -> dict[str, Any]:
    return {"confidence": product.confidence, "name": product.name, "brand": product.brand,
            "category": product.category, "description": product.description,
            "image_urls": list(product.image_urls), "asin": product.asin}  # fmt: skip


def _product(gtin: Gtin, provider: ProviderName, stored: Any) -> EanProduct:
    data = stored if isinstance(stored, dict) else {}
    texts = {name: data.get(name) for name in ("name", "brand", "category", "description", "asin")}
    images = tuple(url for url in data.get("image_urls") or () if isinstance(url, str))
    return EanProduct(gtin, provider, float(data.get("confidence") or 0.0), image_urls=images, **texts)
