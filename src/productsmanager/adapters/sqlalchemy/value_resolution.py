"""`ValueResolution`: products shown with their best-ranked value of each shared field, set-wise in SQL.

The products to resolve are put in the temporary table `resolve_scope`; then one statement ranks every
candidate of those products (the window function orders them exactly as `ValuePrecedence.rank_key` does: tier,
place in `source_priority`, first given, source text in byte order) into `resolve_winners`, one row per
product; one statement per text field records the changes in `product_history`, and one `UPDATE ... FROM`
writes the products that changed. Attributes, a JSON object per product, are rare and resolved in Python by
the domain's own rule, for the products of the scope that have any. The same SQL serves a manual edit (one
product), an Odoo page, a supplier file (the import's staging table fills the scope) and a re-resolve job.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import Connection, bindparam, text
from sqlalchemy.types import Uuid

from productsmanager.adapters.sqlalchemy.types import UtcDateTime
from productsmanager.domain.attributes import readable_attributes
from productsmanager.domain.history import Actor
from productsmanager.domain.precedence import ATTRIBUTES_PREFIX, SHARED_FIELDS, Candidate, ValuePrecedence
from productsmanager.domain.sources import Source

_PREFIX_LENGTH = len(ATTRIBUTES_PREFIX)
_WINNER_COLUMNS = ", ".join(f"{f} TEXT, {f}_source TEXT" for f in SHARED_FIELDS)


class ValueResolution:
    """One resolution on `conn`, inside the caller's transaction (it never commits)."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._postgres = conn.dialect.name == "postgresql"
        id_type = "uuid" if self._postgres else "TEXT"
        on_commit = " ON COMMIT DELETE ROWS" if self._postgres else ""
        for statement in (
            f"CREATE TEMP TABLE IF NOT EXISTS resolve_scope (product_id {id_type} PRIMARY KEY){on_commit}",
            f"CREATE TEMP TABLE IF NOT EXISTS resolve_winners (product_id {id_type} PRIMARY KEY, "
            f"{_WINNER_COLUMNS}){on_commit}",
            "DELETE FROM resolve_scope",
            "DELETE FROM resolve_winners",
        ):
            conn.exec_driver_sql(statement)

    def scope(self, product_ids: Iterable[uuid.UUID]) -> None:
        rows = [{"id": product_id} for product_id in dict.fromkeys(product_ids)]
        if rows:
            insert = text("INSERT INTO resolve_scope (product_id) VALUES (:id)").bindparams(
                bindparam("id", type_=Uuid())
            )
            self._conn.execute(insert, rows)
        self._analyze("resolve_scope")

    def scope_from(self, select: str) -> None:
        """The products a query selects (one column of product ids, no parameters), e.g. from a staging table."""
        self._conn.exec_driver_sql(f"INSERT INTO resolve_scope (product_id) {select}")
        self._analyze("resolve_scope")

    def _analyze(self, table: str) -> None:
        """PostgreSQL keeps no statistics of a temporary table unless asked: guessing ~2,000 rows, it would
        rank one product's values by reading every product's (a sequential scan, ~0.5 s at 200,000 products)
        instead of probing the primary key."""
        if self._postgres:
            self._conn.exec_driver_sql(f"ANALYZE {table}")

    def apply(
        self,
        precedence: ValuePrecedence,
        actor: Actor,
        at: datetime,
        *,
        created: bool = False,
        attributes: bool = True,
        returning: bool = True,
    ) -> set[uuid.UUID] | int:
        """Resolves the scope; the ids of the products whose shown values changed (`returning`), or only their
        number. `attributes=False` leaves attributes alone: for a caller that gave none and did not change the
        ranking (a supplier file), no attribute's winner can have changed."""
        params = {"actor_type": str(actor.type), "actor_id": actor.id, "at": at}
        self._rank(precedence)
        for name in SHARED_FIELDS:
            self._execute(self._record(name, created), params)
        changed: set[uuid.UUID] = set()
        count = 0
        if not created:
            result = self._execute(self._update(returning), params)
            if returning:
                changed = {_uuid(row[0]) for row in result}
            else:
                count = int(result.rowcount or 0)
        if attributes:
            changed |= _AttributeResolution(self._conn, self._postgres).apply(precedence, actor, at, created)
        if created:
            if not returning:
                return int(self._conn.exec_driver_sql("SELECT count(*) FROM resolve_scope").scalar() or 0)
            changed = {_uuid(row[0]) for row in self._conn.exec_driver_sql("SELECT product_id FROM resolve_scope")}
        return changed if returning else count + len(changed)

    def _execute(self, statement: str, params: dict[str, Any]) -> Any:
        names = {name for name in params if f":{name}" in statement}
        types = {"actor_id": Uuid(), "at": UtcDateTime()}
        query = text(statement).bindparams(*(bindparam(name, type_=types[name]) for name in names if name in types))
        return self._conn.execute(query, {name: params[name] for name in names})

    def _rank(self, precedence: ValuePrecedence) -> None:
        listed = [str(source) for source in precedence.listed]
        binds = {f"listed_{n}": value for n, value in enumerate(listed)}
        marks = ", ".join(f":{name}" for name in binds)
        tier_listed = f"WHEN v.source IN ({marks}) THEN 1 " if listed else ""
        position = " ".join(f"WHEN :{name} THEN {n}" for n, name in enumerate(binds))
        position_sql = f"CASE v.source {position} ELSE 0 END" if listed else "0"
        byte_order = 'v.source COLLATE "C"' if self._postgres else "v.source"
        fields = ", ".join(f"'{f}'" for f in SHARED_FIELDS)
        pivot = ", ".join(
            f"max(CASE WHEN r.field = '{f}' THEN r.value END), max(CASE WHEN r.field = '{f}' THEN r.source END)"
            for f in SHARED_FIELDS
        )
        columns = ", ".join(f"{f}, {f}_source" for f in SHARED_FIELDS)
        statement = (
            f"INSERT INTO resolve_winners (product_id, {columns}) SELECT s.product_id, {pivot} FROM resolve_scope s "
            "LEFT JOIN (SELECT v.product_id, v.field, v.value, v.source, ROW_NUMBER() OVER ("
            "PARTITION BY v.product_id, v.field ORDER BY "
            f"CASE WHEN v.source = 'manual' THEN 0 {tier_listed}"
            "WHEN v.source = 'code2asin' OR substr(v.source, 1, 11) = 'ean_lookup:' THEN 3 ELSE 2 END, "
            f"{position_sql}, v.first_given_at, {byte_order}) AS rank "
            f"FROM product_values v JOIN resolve_scope c ON c.product_id = v.product_id WHERE v.field IN ({fields})) r "
            "ON r.product_id = s.product_id AND r.rank = 1 GROUP BY s.product_id"
        )
        self._conn.execute(text(statement), binds)
        self._analyze("resolve_winners")

    def _json(self, expression: str) -> str:
        if self._postgres:
            return f"to_jsonb({expression})"
        return f"CASE WHEN {expression} IS NULL THEN NULL ELSE json_quote({expression}) END"

    def _differs(self, left: str, right: str) -> str:
        return f"{left} IS DISTINCT FROM {right}" if self._postgres else f"{left} IS NOT {right}"

    def _record(self, name: str, created: bool) -> str:
        new_id = "gen_random_uuid()" if self._postgres else "lower(hex(randomblob(16)))"
        old = "NULL" if created else self._json(f"p.{name}")
        if created:
            where = f"w.{name} IS NOT NULL"
        else:
            where = self._differs(f"p.{name}", f"w.{name}") + (" AND w.name IS NOT NULL" if name == "name" else "")
        return (
            "INSERT INTO product_history (id, product_id, field, old, new, source, actor_type, actor_id, changed_at) "
            f"SELECT {new_id}, w.product_id, '{name}', {old}, {self._json(f'w.{name}')}, "
            f"COALESCE(w.{name}_source, 'manual'), :actor_type, :actor_id, :at "
            f"FROM resolve_winners w JOIN products p ON p.id = w.product_id WHERE {where}"
        )

    def _update(self, returning: bool) -> str:
        table = "p" if self._postgres else "products"
        shown = {f: f"w.{f}" for f in SHARED_FIELDS} | {"name": f"COALESCE(w.name, {table}.name)"}
        sets = ", ".join(f"{f} = {value}" for f, value in shown.items())
        differs = " OR ".join(self._differs(f"{table}.{f}", value) for f, value in shown.items())
        target = "products p" if self._postgres else "products"
        return (
            f"UPDATE {target} SET {sets}, updated_at = :at FROM resolve_winners w "
            f"WHERE w.product_id = {table}.id AND ({differs})" + (f" RETURNING {table}.id" if returning else "")
        )


class _AttributeResolution:
    """The `attributes.<key>` fields of the scope's products, by the domain's rule: few products have any."""

    def __init__(self, conn: Connection, postgres: bool) -> None:
        self._conn = conn
        self._postgres = postgres

    def apply(self, precedence: ValuePrecedence, actor: Actor, at: datetime, created: bool) -> set[uuid.UUID]:
        candidates: dict[uuid.UUID, list[Candidate]] = defaultdict(list)
        for row in self._conn.execute(
            text(
                "SELECT v.product_id, v.field, v.value, v.source, v.given_at, v.first_given_at FROM product_values v "
                "JOIN resolve_scope s ON s.product_id = v.product_id WHERE substr(v.field, 1, 11) = 'attributes.'"
            ).columns(product_id=Uuid(), given_at=UtcDateTime(), first_given_at=UtcDateTime())
        ):
            candidates[row.product_id].append(
                Candidate(
                    row.field, orjson.loads(row.value), Source.parse(row.source), row.given_at, row.first_given_at
                )
            )
        non_empty = "p.attributes <> CAST('{}' AS jsonb)" if self._postgres else "p.attributes <> '{}'"
        stored = {
            row.id: _object(row.attributes)
            for row in self._conn.execute(
                text(
                    "SELECT p.id, p.attributes FROM products p JOIN resolve_scope s ON s.product_id = p.id "
                    f"WHERE {non_empty}"
                ).columns(id=Uuid())
            )
        }
        for product_id in candidates.keys() - stored.keys():
            stored[product_id] = {}
        changes: list[dict[str, Any]] = []
        updates: list[dict[str, Any]] = []
        for product_id, before in stored.items():
            winners = precedence.resolve(candidates.get(product_id, ()))
            after = {name[_PREFIX_LENGTH:]: c.value for name, c in sorted(winners.items())}
            shown_before = {} if created else before
            recorded = _changes(product_id, shown_before, after, winners, actor, at)
            if recorded:
                changes += recorded
            if _json_text(after, sort=True) != _json_text(before, sort=True):  # JSON's equality: `true` is not `1`
                updates.append({"id": product_id, "attributes": orjson.dumps(after).decode(), "at": at})
        if changes:
            old, new = ("CAST(:old AS jsonb)", "CAST(:new AS jsonb)") if self._postgres else (":old", ":new")
            self._conn.execute(
                text(
                    "INSERT INTO product_history (id, product_id, field, old, new, source, actor_type, actor_id, "
                    f"changed_at) VALUES (:id, :product_id, :field, {old}, {new}, :source, :actor_type, :actor_id, :at)"
                ).bindparams(
                    bindparam("id", type_=Uuid()),
                    bindparam("product_id", type_=Uuid()),
                    bindparam("actor_id", type_=Uuid()),
                    bindparam("at", type_=UtcDateTime()),
                ),
                changes,
            )
        if updates:
            value = "CAST(:attributes AS jsonb)" if self._postgres else ":attributes"
            touch = "" if created else ", updated_at = :at"
            self._conn.execute(
                text(f"UPDATE products SET attributes = {value}{touch} WHERE id = :id").bindparams(
                    bindparam("id", type_=Uuid()), bindparam("at", type_=UtcDateTime())
                ),
                [u if touch else {"id": u["id"], "attributes": u["attributes"]} for u in updates],
            )
        return {u["id"] for u in updates} | {c["product_id"] for c in changes}


def _changes(
    product_id: uuid.UUID,
    before: dict[str, Any],
    after: dict[str, Any],
    winners: dict[str, Candidate],
    actor: Actor,
    at: datetime,
) -> list[dict[str, Any]]:
    recorded = []
    for key in sorted(before.keys() | after.keys()):
        if key in before and key in after and _json_text(before[key]) == _json_text(after[key]):
            continue
        winner = winners.get(ATTRIBUTES_PREFIX + key)
        recorded.append(
            {
                "id": uuid.uuid4(),
                "product_id": product_id,
                "field": ATTRIBUTES_PREFIX + key,
                "old": _json_text(before[key]) if key in before else None,
                "new": _json_text(after[key]) if key in after else None,
                "source": str(winner.source) if winner else "manual",
                "actor_type": str(actor.type),
                "actor_id": actor.id,
                "at": at,
            }
        )
    return recorded


def _json_text(value: Any, *, sort: bool = False) -> str:
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS if sort else None).decode()


def _object(stored: Any) -> dict[str, Any]:
    """Stored attributes as reads show them: a value nested deeper than the bounds (written before they
    existed) is clipped, so that recording it in the history cannot fail."""
    value = orjson.loads(stored) if isinstance(stored, str | bytes) else stored
    return readable_attributes(value)


def _clipped(value: Any) -> Any:
    return readable_attributes({"value": value})["value"]


def _uuid(value: Any) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
