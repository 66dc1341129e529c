"""`SqlAlchemyCatalogMerge`: a supplier file merged into the catalog set-wise, in one transaction.

Rows are staged in a temporary table (PostgreSQL `COPY`; batched inserts on SQLite), then a handful of
statements do the work whatever the file's size: duplicates resolved (the last row of an EAN wins), one
`INSERT ... SELECT ... ON CONFLICT DO UPDATE ... WHERE ... IS DISTINCT FROM` for products and one for offers
(so unchanged rows are not written at all), then the supplier's offers missing from the file per profile.
Staged values are already final (`COALESCE` of the file's value and the stored one, computed in the
`SELECT`), so a field the file does not provide keeps its stored value."""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import Connection, Engine

from productsmanager.adapters.sqlalchemy.import_offer_statements import OfferMergeStatements
from productsmanager.adapters.sqlalchemy.import_repositories import SqlAlchemyImportJobRepository
from productsmanager.adapters.sqlalchemy.import_statements import MergeStatements
from productsmanager.adapters.sqlalchemy.value_resolution import ValueResolution
from productsmanager.application.ports import Clock
from productsmanager.domain.gtin import Gtin
from productsmanager.domain.history import Actor, offer_field
from productsmanager.domain.imports.jobs import ImportCounts, ImportJob, JobStateError, JobStatus
from productsmanager.domain.imports.profile import ImportProfile, MissingOffers
from productsmanager.domain.imports.rows import ImportRow, RowProblem
from productsmanager.domain.precedence import ValuePrecedence
from productsmanager.domain.sources import Source

STAGED = ("row_number", "gtin", "product_id", "offer_id", "name", "brand", "category", "description",
          "price", "currency", "stock", "supplier_sku", "image_url")  # fmt: skip


class SqlAlchemyMergeSession:
    def __init__(
        self,
        conn: Connection,
        job: ImportJob,
        profile: ImportProfile,
        currency: str,
        now: datetime,
        precedence: ValuePrecedence,
    ) -> None:
        self._conn = conn
        self._job = job
        self._profile = profile
        self._currency = currency
        self._now = now
        self._precedence = precedence
        self._sql = MergeStatements(conn.dialect.name)
        self._offers = OfferMergeStatements(conn.dialect.name)
        self._postgres = conn.dialect.name == "postgresql"
        self._problems = 0
        self._warnings = 0
        for statement in (*self._sql.create_staging(), *self._offers.create_offer_changes()):
            conn.exec_driver_sql(statement)

    def _id(self) -> Any:
        value = uuid.uuid4()
        return value if self._postgres else value.hex

    def stage(self, rows: Sequence[ImportRow]) -> None:
        values = [
            (
                r.number, r.gtin.canonical, self._id(), self._id(), r.product_fields.get("name"),
                r.product_fields.get("brand"), r.product_fields.get("category"), r.product_fields.get("description"),
                r.price if self._postgres or r.price is None else str(r.price), r.currency, r.stock,
                r.supplier_sku, r.image_url,
            )
            for r in rows
        ]  # fmt: skip
        self.load_staged(values)

    def load_staged(self, values: list[tuple[Any, ...]]) -> None:
        """Rows already in the staging table's form (`STAGED`): what `stage` makes of parsed rows, and what the
        import benchmark's floor gives directly."""
        self._load("import_staging", STAGED, values)

    def mark_seen(self, gtins: Sequence[Gtin]) -> None:
        self._load("import_seen", ("gtin",), [(g.canonical,) for g in gtins])

    def record(self, problems: Sequence[RowProblem]) -> None:
        self._problems += sum(not p.warning for p in problems)
        self._warnings += sum(p.warning for p in problems)
        self._insert_problems(
            [
                (self._id(), p.number, p.reason, p.column, p.message, orjson.dumps(p.raw).decode(), p.warning)
                for p in problems
            ]
        )

    def merge(self) -> ImportCounts:
        run = self._run
        code = self._job.supplier_code
        params = {"now": self._now, "supplier": self._job.supplier_id if self._postgres else self._job.supplier_id.hex,
                  "job": self._job.id if self._postgres else self._job.id.hex, "currency": self._currency,
                  "name_column": self._profile.column_of("name"), "source": str(Source.supplier(code)),
                  "price_field": offer_field(code, "price"), "stock_field": offer_field(code, "stock")}  # fmt: skip
        for statement in self._sql.index_staging():
            run(statement, params)
        run(self._sql.keep_problems(), params)
        warnings = run(self._sql.record_superseded(), params)  # before they are dropped from the staging table
        run(self._sql.drop_superseded(), params)
        unnamed = run(self._sql.record_unnamed_new_products(), params)
        run(self._sql.drop_unnamed_new_products(), params)
        staged = self._scalar("SELECT count(*) FROM import_staging")
        created, updated = self._merge_products(params)
        run(self._sql.resolve_finder_rows(), params)
        offer_sql = self._offers
        run(offer_sql.collect_offer_changes(), params)
        for statement in offer_sql.record_offer_changes():
            run(statement, params)
        offers = run(offer_sql.upsert_offers(), params)
        zeroed = removed = 0
        missing = self._profile.missing_offers
        if missing is not MissingOffers.KEEP:
            for statement in offer_sql.record_missing_offers(removed=missing is MissingOffers.REMOVE):
                run(statement, params)
        if missing is MissingOffers.ZERO_STOCK:
            zeroed = run(offer_sql.zero_missing_offers(), params)
        elif missing is MissingOffers.REMOVE:
            removed = run(offer_sql.remove_missing_offers(), params)
        return ImportCounts(
            products_created=created,
            products_updated=updated,
            products_unchanged=staged - created - updated,
            offers_upserted=offers,
            offers_removed=removed,
            offers_zeroed=zeroed,
            errors=self._problems + unnamed,
            warnings=warnings + self._warnings,
        )

    def _merge_products(self, params: dict[str, Any]) -> tuple[int, int]:
        """New products are made with the file's values; the file's values become this supplier's candidates;
        the products whose candidates changed are resolved (`ValuePrecedence`), which records their history.
        Returns how many products were created and how many existing ones now show other values."""
        created = self._run(self._sql.insert_new_products(), params)
        self._run(self._sql.collect_given_values(), params)
        self._run(self._sql.give_values(), params)
        actor = Actor.import_job(self._job.id)
        existing = ValueResolution(self._conn)
        existing.scope_from(self._sql.changed_products())
        updated = existing.apply(self._precedence, actor, self._now, attributes=False, returning=False)
        new = ValueResolution(self._conn)
        new.scope_from(self._sql.created_products())
        new.apply(self._precedence, actor, self._now, created=True, attributes=False, returning=False)
        assert isinstance(updated, int)
        return created, updated

    def save_job(self, job: ImportJob) -> None:
        """Only while the job is still this attempt's: one that was taken over (its worker looked dead) must
        not commit its merge or its error rows next to the later attempt's."""
        if not SqlAlchemyImportJobRepository(self._conn).replace(job, (JobStatus.PROCESSING, job.attempts)):
            raise JobStateError(f"import job {job.id} was taken over by a later attempt; this one is dropped")

    def commit(self) -> None:
        self._conn.commit()

    def _run(self, statement: str, params: dict[str, Any]) -> int:
        return int(self._conn.exec_driver_sql(statement, self._sql.bind(statement, params)).rowcount or 0)

    def _scalar(self, statement: str) -> int:
        return int(self._conn.exec_driver_sql(statement).scalar() or 0)

    def _load(self, table: str, columns: Sequence[str], values: list[tuple[Any, ...]]) -> None:
        if not values:
            return
        if self._postgres:
            cursor = self._conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
            with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for value in values:
                    copy.write_row(value)
            return
        marks = ", ".join("?" for _ in columns)
        self._conn.exec_driver_sql(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", values)

    def _insert_problems(self, values: list[tuple[Any, ...]]) -> None:
        """Into a temporary table, moved to `import_errors` by `merge`: on SQLite a write to a real table
        would take the database's write lock for the whole job, and the job's heartbeat could not be written."""
        columns = ("id", "row_number", "reason", "column_name", "message", "raw", "warning")
        self._load("import_problems", columns, values)


class SqlAlchemyCatalogMerge:
    def __init__(self, engine: Engine, clock: Clock) -> None:
        self._engine = engine
        self._clock = clock

    @contextmanager
    def open(
        self, job: ImportJob, profile: ImportProfile, default_currency: str, precedence: ValuePrecedence
    ) -> Iterator[SqlAlchemyMergeSession]:
        with self._engine.connect() as conn:
            conn.begin()
            try:
                yield SqlAlchemyMergeSession(conn, job, profile, default_currency, self._clock.now(), precedence)
            finally:
                if conn.in_transaction():
                    conn.rollback()
                if conn.dialect.name != "postgresql":  # SQLite keeps temporary tables with the pooled connection
                    for table in ("import_staging", "import_seen", "import_problems", "import_given", "offer_changes"):
                        conn.exec_driver_sql(f"DROP TABLE IF EXISTS temp.{table}")
                    conn.commit()
