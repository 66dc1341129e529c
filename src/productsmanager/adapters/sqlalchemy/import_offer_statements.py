"""The SQL of the offers' side of `SqlAlchemyCatalogMerge`, for PostgreSQL and SQLite.

One join of the staged rows with the catalog and the supplier's offers finds the offers the file changes (new,
or any of SKU, price, currency, stock different) into `offer_changes`; that table then feeds both the upsert and
the history of price and stock, so the history costs no second pass over the file, and an unchanged offer is
neither written nor recorded."""

from __future__ import annotations

from productsmanager.adapters.sqlalchemy.import_statements import MergeStatements

OFFER_FIELDS = ("supplier_sku", "price", "currency", "stock")
_COLUMNS = "product_id, offer_id, supplier_sku, currency, old_price, price, old_stock, stock"


class OfferMergeStatements(MergeStatements):
    def create_offer_changes(self) -> list[str]:
        if self._postgres:
            return [
                "CREATE TEMP TABLE offer_changes (product_id uuid NOT NULL, offer_id uuid NOT NULL, supplier_sku text, "
                "currency varchar(3) NOT NULL, old_price numeric(12, 4), price numeric(12, 4), old_stock integer, "
                "stock integer NOT NULL) ON COMMIT DROP"
            ]
        return [
            "DROP TABLE IF EXISTS temp.offer_changes",
            "CREATE TEMP TABLE offer_changes (product_id TEXT NOT NULL, offer_id TEXT NOT NULL, supplier_sku TEXT, "
            "currency TEXT NOT NULL, old_price REAL, price REAL, old_stock INTEGER, stock INTEGER NOT NULL)",
        ]

    def collect_offer_changes(self) -> str:
        """The offer each staged row makes (the file's value, or the stored one where the file gives none),
        kept only when it is new or differs from the stored offer."""
        price = "COALESCE(s.price, o.price)" if self._postgres else "CAST(COALESCE(s.price, o.price) AS REAL)"
        made = {
            "supplier_sku": "COALESCE(s.supplier_sku, o.supplier_sku)",
            "price": price,
            "currency": "COALESCE(s.currency, o.currency, :currency)",
            "stock": "COALESCE(s.stock, o.stock, 0)",
        }
        if self._postgres:
            left = ", ".join(f"o.{f}" for f in OFFER_FIELDS)
            right = ", ".join(made[f] for f in OFFER_FIELDS)
            differs = f"({left}) IS DISTINCT FROM ({right})"
        else:
            differs = " OR ".join(f"o.{f} IS NOT {made[f]}" for f in OFFER_FIELDS)
        return self._sql(
            f"INSERT INTO offer_changes ({_COLUMNS}) SELECT p.id, s.offer_id, {made['supplier_sku']}, "
            f"{made['currency']}, o.price, {price}, o.stock, {made['stock']} "
            "FROM import_staging s JOIN products p ON p.gtin = s.gtin "
            "LEFT JOIN supplier_offers o ON o.product_id = p.id AND o.supplier_id = :supplier "
            f"WHERE o.id IS NULL OR {differs}"
        )

    def record_offer_changes(self) -> list[str]:
        """The price and stock changes about to be written (a new offer's from null)."""
        select = (
            f"SELECT {self._new_id()}, product_id, {{field}}, {{old}}, {{new}}, :source, 'import_job', :job, :now "
            "FROM offer_changes WHERE {differs}"
        )
        return [
            self._history(select.format(field=":price_field", old=self._price_text("old_price"),
                                        new=self._price_text("price"), differs=self._distinct("old_price", "price"))),
            self._history(select.format(field=":stock_field", old=self._int_json("old_stock"),
                                        new=self._int_json("stock"), differs=self._distinct("old_stock", "stock"))),
        ]  # fmt: skip

    def upsert_offers(self) -> str:
        updates = ", ".join(f"{f} = excluded.{f}" for f in (*OFFER_FIELDS, "updated_at"))
        return self._sql(
            "INSERT INTO supplier_offers (id, product_id, supplier_id, supplier_sku, price, currency, stock, "
            "updated_at) SELECT offer_id, product_id, :supplier, supplier_sku, price, currency, stock, :now "
            f"FROM offer_changes WHERE true ON CONFLICT (product_id, supplier_id) DO UPDATE SET {updates}"
        )

    def record_missing_offers(self, removed: bool) -> list[str]:
        """History of the offers the file left out: their stock zeroed, or the offer removed (price and stock
        to null)."""
        select = (
            f"SELECT {self._new_id()}, product_id, {{field}}, {{old}}, {{new}}, :source, 'import_job', :job, :now "
            f"FROM supplier_offers WHERE {self._missing()}"
        )
        if not removed:
            return [self._history(select.format(field=":stock_field", old=self._int_json("stock"),
                                                new=self._int_json("0")) + " AND stock <> 0")]  # fmt: skip
        return [
            self._history(select.format(field=":price_field", old=self._price_text("price"), new="NULL")
                          + " AND price IS NOT NULL"),
            self._history(select.format(field=":stock_field", old=self._int_json("stock"), new="NULL")),
        ]  # fmt: skip

    def zero_missing_offers(self) -> str:
        return self._sql(
            f"UPDATE supplier_offers SET stock = 0, updated_at = :now WHERE stock <> 0 AND {self._missing()}"
        )

    def remove_missing_offers(self) -> str:
        return self._sql(f"DELETE FROM supplier_offers WHERE {self._missing()}")

    def _missing(self) -> str:
        listed = "SELECT 1 FROM products p JOIN {table} x ON x.gtin = p.gtin WHERE p.id = supplier_offers.product_id"
        return (
            f"supplier_id = :supplier AND NOT EXISTS ({listed.format(table='import_staging')}) "
            f"AND NOT EXISTS ({listed.format(table='import_seen')})"
        )

    def _history(self, select: str) -> str:
        return self._sql(
            "INSERT INTO product_history (id, product_id, field, old, new, source, actor_type, actor_id, changed_at) "
            f"{select}"
        )

    def _price_text(self, expression: str) -> str:
        """A price as history keeps it (`history_price`): decimal text without trailing zeros."""
        if self._postgres:
            return f"to_jsonb(CAST(trim_scale({expression}) AS text))"
        value = f"CAST({expression} AS REAL)"
        number = f"CASE WHEN {value} = CAST({value} AS INTEGER) THEN CAST(CAST({value} AS INTEGER) AS TEXT) "
        return f"CASE WHEN {expression} IS NULL THEN NULL ELSE json_quote({number}ELSE CAST({value} AS TEXT) END) END"

    def _int_json(self, expression: str) -> str:
        return f"to_jsonb({expression})" if self._postgres else f"CAST({expression} AS TEXT)"

    def _distinct(self, left: str, right: str) -> str:
        return f"{left} IS DISTINCT FROM {right}" if self._postgres else f"{left} IS NOT {right}"
