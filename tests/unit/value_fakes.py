"""In-memory product values and history: the reference of what `resolve` does, written with the domain's
`ValuePrecedence` (the SQL adapter is checked against the same rule in the integration tests)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import orjson

from productsmanager.domain.catalog import Product
from productsmanager.domain.history import Actor, ValueChange
from productsmanager.domain.precedence import ATTRIBUTES_PREFIX, SHARED_FIELDS, Candidate, ValuePrecedence
from productsmanager.domain.sources import Source
from productsmanager.domain.values import Asin

ValueKey = tuple[uuid.UUID, str, Source]


class ValueState:
    def __init__(self) -> None:
        self.values: dict[ValueKey, Candidate] = {}
        self.history: list[ValueChange] = []


class FakeProductValueRepository:
    def __init__(self, state: ValueState, products: dict[uuid.UUID, Product]) -> None:
        self._s = state
        self._products = products

    def give(self, source: Source, values: Mapping[uuid.UUID, Mapping[str, Any]], at: datetime) -> None:
        for product_id, fields in values.items():
            for name, value in fields.items():
                key = (product_id, name, source)
                given = Candidate(name, value, source, at, at)
                if not given.has_value:
                    continue
                before = self._s.values.get(key)
                if before is None:
                    self._s.values[key] = given
                elif _json(before.value) != _json(value):  # as SQL compares them: `true` is not `1`
                    self._s.values[key] = Candidate(name, value, source, at, before.first_given_at)

    def withdraw(self, product_id: uuid.UUID, field: str, source: Source) -> bool:
        return self._s.values.pop((product_id, field, source), None) is not None

    def candidates(self, product_id: uuid.UUID) -> list[Candidate]:
        return [c for (pid, _, _), c in self._s.values.items() if pid == product_id]

    def resolve(
        self,
        product_ids: Sequence[uuid.UUID],
        precedence: ValuePrecedence,
        actor: Actor,
        at: datetime,
        *,
        created: bool = False,
    ) -> set[uuid.UUID]:
        changed: set[uuid.UUID] = set()
        for product_id in product_ids:
            product = self._products.get(product_id)
            if product is None:
                continue
            winners = precedence.resolve(self.candidates(product_id))
            if self._apply(product, winners, actor, at, created):
                changed.add(product_id)
        return changed

    def _apply(
        self, product: Product, winners: dict[str, Candidate], actor: Actor, at: datetime, created: bool
    ) -> bool:
        changed = False
        for name in SHARED_FIELDS:
            winner = winners.get(name)
            new = winner.value if winner else (product.name if name == "name" else None)
            old = None if created else getattr(product, name)
            old = str(old) if isinstance(old, Asin) else old  # sources give text; the product keeps an `Asin`
            if old != new:
                self._record(product.id, name, old, new, winner, actor, at)
                setattr(product, name, Asin(new) if name == "asin" and new is not None else new)
                changed = True
        attributes = {
            name[len(ATTRIBUTES_PREFIX) :]: c.value for name, c in sorted(winners.items()) if name not in SHARED_FIELDS
        }
        before = {} if created else product.attributes
        for key in sorted(before.keys() | attributes.keys()):
            if _json(before.get(key)) != _json(attributes.get(key)) or (key in before) != (key in attributes):
                name = ATTRIBUTES_PREFIX + key
                self._record(product.id, name, before.get(key), attributes.get(key), winners.get(name), actor, at)
                changed = True
        if _json(product.attributes) != _json(attributes):
            product.attributes = attributes
        if changed and not created:
            product.updated_at = at
        return changed

    def _record(
        self, product_id: uuid.UUID, name: str, old: Any, new: Any, winner: Candidate | None, actor: Actor, at: datetime
    ) -> None:
        source = winner.source if winner else Source.manual()
        self._s.history.append(ValueChange.record(product_id, name, old, new, source, actor, at))


class FakeProductHistoryRepository:
    def __init__(self, state: ValueState) -> None:
        self._s = state

    def add(self, changes: Sequence[ValueChange]) -> None:
        self._s.history.extend(changes)

    def page(
        self,
        product_id: uuid.UUID,
        limit: int,
        after: tuple[datetime, uuid.UUID] | None = None,
        field: str | None = None,
        source: Source | None = None,
    ) -> list[ValueChange]:
        found = [
            c
            for c in self._s.history
            if c.product_id == product_id
            and (field is None or c.field == field)
            and (source is None or c.source == source)
            and (after is None or (c.changed_at, c.id.hex) < (after[0], after[1].hex))
        ]
        found.sort(key=lambda c: (c.changed_at, c.id.hex), reverse=True)
        return found[:limit]


def _json(value: Any) -> bytes:
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)
