"""The SQL of `SqlAlchemyCatalogMerge`, for PostgreSQL and SQLite. Written once with `:name` parameters;
PostgreSQL's copy gets psycopg's `%(name)s` form. Staged values are final (the file's value, or the stored
one where the file gives none), so the conflict clauses copy `excluded` as it is, and their `WHERE` skips
rows where nothing changes: an unchanged row is never written."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

_PARAM = re.compile(r"(?<![:\w]):(\w+)")
_PSYCOPG_PARAM = re.compile(r"%\((\w+)\)s")
PRODUCT_FIELDS = ("name", "brand", "category", "description")
_NOT_IN_CATALOG = "NOT EXISTS (SELECT 1 FROM products p WHERE p.gtin = s.gtin)"


class MergeStatements:
    def __init__(self, dialect: str) -> None:
        self._postgres = dialect == "postgresql"

    def bind(self, statement: str, params: dict[str, Any]) -> dict[str, Any]:
        names = set((_PSYCOPG_PARAM if self._postgres else _PARAM).findall(statement))
        return {name: self._value(params[name]) for name in names}

    def _value(self, value: Any) -> Any:
        if isinstance(value, datetime) and not self._postgres:  # SQLAlchemy's SQLite form: naive UTC text
            return value.astimezone(UTC).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")
        return value

    def _sql(self, statement: str) -> str:
        return _PARAM.sub(r"%(\1)s", statement) if self._postgres else statement

    def _new_id(self) -> str:
        return "gen_random_uuid()" if self._postgres else "lower(hex(randomblob(16)))"

    def create_staging(self) -> list[str]:
        if self._postgres:
            return [
                "CREATE TEMP TABLE import_staging (row_number integer NOT NULL, gtin varchar(14) NOT NULL, "
                "product_id uuid NOT NULL, offer_id uuid NOT NULL, name text, brand text, category text, "
                "description text, price numeric(12, 4), currency varchar(3), stock integer, supplier_sku text, "
                "image_url text) ON COMMIT DROP",
                "CREATE TEMP TABLE import_seen (gtin varchar(14) NOT NULL) ON COMMIT DROP",
                "CREATE TEMP TABLE import_given (product_id uuid NOT NULL, field text NOT NULL, value text NOT NULL, "
                "is_new boolean NOT NULL) ON COMMIT DROP",
                "CREATE TEMP TABLE import_problems (id uuid NOT NULL, row_number integer NOT NULL, "
                "reason text NOT NULL, column_name text, message text NOT NULL, raw text NOT NULL, "
                "warning boolean NOT NULL) ON COMMIT DROP",
            ]
        return [
            "DROP TABLE IF EXISTS temp.import_staging",
            "DROP TABLE IF EXISTS temp.import_seen",
            "CREATE TEMP TABLE import_staging (row_number INTEGER NOT NULL, gtin TEXT NOT NULL, "
            "product_id TEXT NOT NULL, offer_id TEXT NOT NULL, name TEXT, brand TEXT, category TEXT, "
            "description TEXT, price TEXT, currency TEXT, stock INTEGER, supplier_sku TEXT, image_url TEXT)",
            "CREATE TEMP TABLE import_seen (gtin TEXT NOT NULL)",
            "DROP TABLE IF EXISTS temp.import_given",
            "CREATE TEMP TABLE import_given (product_id TEXT NOT NULL, field TEXT NOT NULL, value TEXT NOT NULL, "
            "is_new BOOLEAN NOT NULL)",
            "DROP TABLE IF EXISTS temp.import_problems",
            "CREATE TEMP TABLE import_problems (id TEXT NOT NULL, row_number INTEGER NOT NULL, reason TEXT NOT NULL, "
            "column_name TEXT, message TEXT NOT NULL, raw TEXT NOT NULL, warning BOOLEAN NOT NULL)",
        ]

    def index_staging(self) -> list[str]:
        prefix = "" if self._postgres else "temp."
        statements = [
            f"CREATE INDEX {prefix}import_staging_gtin ON import_staging (gtin, row_number)",
            f"CREATE INDEX {prefix}import_seen_gtin ON import_seen (gtin)",
        ]
        return [*statements, "ANALYZE import_staging", "ANALYZE import_seen"] if self._postgres else statements

    def keep_problems(self) -> str:
        raw = "CAST(raw AS jsonb)" if self._postgres else "raw"
        return self._sql(
            "INSERT INTO import_errors (id, job_id, row_number, reason, column_name, message, raw, warning) "
            f"SELECT id, :job, row_number, reason, column_name, message, {raw}, warning FROM import_problems"
        )

    def record_superseded(self) -> str:
        return self._sql(
            "INSERT INTO import_errors (id, job_id, row_number, reason, column_name, message, raw, warning) "
            f"SELECT {self._new_id()}, :job, s.row_number, 'duplicate_ean', NULL, "
            "'EAN ' || s.gtin || ' appears again in row ' || CAST(w.winner AS text) || ', which wins', '{}', true "
            "FROM import_staging s JOIN (SELECT gtin, max(row_number) AS winner FROM import_staging "
            "GROUP BY gtin HAVING count(*) > 1) w ON w.gtin = s.gtin WHERE s.row_number < w.winner"
        )

    def drop_superseded(self) -> str:
        return (
            "DELETE FROM import_staging WHERE EXISTS (SELECT 1 FROM import_staging t "
            "WHERE t.gtin = import_staging.gtin AND t.row_number > import_staging.row_number)"
        )

    def record_unnamed_new_products(self) -> str:
        return self._sql(
            "INSERT INTO import_errors (id, job_id, row_number, reason, column_name, message, raw, warning) "
            f"SELECT {self._new_id()}, :job, s.row_number, 'missing_name', :name_column, "
            "'EAN ' || s.gtin || ' is not in the catalog yet and the row gives no name to create it with', "
            f"'{{}}', false FROM import_staging s WHERE s.name IS NULL AND {_NOT_IN_CATALOG}"
        )

    def drop_unnamed_new_products(self) -> str:
        return f"DELETE FROM import_staging AS s WHERE s.name IS NULL AND {_NOT_IN_CATALOG}"

    def insert_new_products(self) -> str:
        """New products take the file's values: no other source has any yet. A product another import created
        meanwhile is left alone here and resolved like any existing one."""
        return self._sql(
            f"INSERT INTO products (id, gtin, {', '.join(PRODUCT_FIELDS)}, attributes, created_at, updated_at) "
            f"SELECT s.product_id, s.gtin, {', '.join(f's.{f}' for f in PRODUCT_FIELDS)}, '{{}}', :now, :now "
            f"FROM import_staging s WHERE {_NOT_IN_CATALOG} ON CONFLICT (gtin) DO NOTHING"
        )

    def collect_given_values(self) -> str:
        """The file's values that differ from what this supplier said before (all of a new product's), so that
        an unchanged row costs one index probe per field and writes nothing."""
        parts = [
            f"SELECT p.id, '{f}', s.{f}, p.id = s.product_id FROM import_staging s JOIN products p ON p.gtin = s.gtin "
            f"WHERE s.{f} IS NOT NULL AND trim(s.{f}) <> '' AND NOT EXISTS (SELECT 1 FROM product_values v "
            f"WHERE v.product_id = p.id AND v.field = '{f}' AND v.source = :source AND v.value = s.{f})"
            for f in PRODUCT_FIELDS
        ]
        return self._sql(f"INSERT INTO import_given (product_id, field, value, is_new) {' UNION ALL '.join(parts)}")

    def give_values(self) -> str:
        return self._sql(
            "INSERT INTO product_values (product_id, field, source, value, given_at, first_given_at) "
            "SELECT product_id, field, :source, value, :now, :now FROM import_given WHERE true "
            "ON CONFLICT (product_id, field, source) DO UPDATE SET value = excluded.value, given_at = excluded.given_at"
        )

    @staticmethod
    def changed_products() -> str:
        """Existing products whose supplier values changed: the only ones whose shown values can change."""
        return "SELECT DISTINCT product_id FROM import_given WHERE NOT is_new"

    @staticmethod
    def created_products() -> str:
        return "SELECT p.id FROM import_staging s JOIN products p ON p.id = s.product_id"

    def resolve_finder_rows(self) -> str:
        """The supplier's EAN Finder rows still open that this file now gives an EAN: the same SKU, or for a row
        without one the same name (case aside), resolved with the last such line's GTIN."""
        match = (
            "FROM import_staging s WHERE (r.sku IS NOT NULL AND s.supplier_sku = r.sku) "
            "OR (r.sku IS NULL AND r.name IS NOT NULL AND lower(s.name) = lower(r.name))"
        )
        return self._sql(
            "UPDATE ean_finder_rows AS r SET status = 'resolved', updated_at = :now, "
            f"gtin = (SELECT s.gtin {match} ORDER BY s.row_number DESC LIMIT 1) "
            f"WHERE r.supplier_id = :supplier AND r.status IN ('waiting', 'candidates') AND EXISTS (SELECT 1 {match})"
        )
