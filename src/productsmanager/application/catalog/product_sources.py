"""Where a product's shared values come from: per field, the value it shows, the source of that value, and
every source's candidate ranked as precedence ranks it now, so a person can see why a value wins and what
would show if it were withdrawn."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from typing import Any

from attrs import frozen

from productsmanager.application.ports import UnitOfWorkFactory
from productsmanager.application.settings.ports import Settings
from productsmanager.domain.catalog import Product
from productsmanager.domain.errors import NotFound
from productsmanager.domain.precedence import ATTRIBUTES_PREFIX, SHARED_FIELDS, Candidate, RankedCandidate
from productsmanager.domain.sources import Source
from productsmanager.domain.values import Asin


@frozen
class FieldSources:
    """One shared field: the value the product shows, the source that value came from (None when no source
    has it: a name kept after every source dropped it), and every source's candidate, best first."""

    field: str
    value: Any
    source: Source | None
    candidates: tuple[RankedCandidate, ...]


class ProductSources:
    """The sources of one product's shared fields, for the API and for services embedding the package."""

    def __init__(self, uow: UnitOfWorkFactory, settings: Settings) -> None:
        self._uow = uow
        self._settings = settings

    def get(self, product_id: uuid.UUID) -> list[FieldSources]:
        """`name`, `brand`, `category`, `description` always, then each attribute a source has or the product
        shows, by key: a stable order a client can lay out as is."""
        with self._uow() as uow:
            product = uow.products.get(product_id)
            if product is None:
                raise NotFound("product", product_id)
            candidates = uow.product_values.candidates(product_id)
        precedence = self._settings.product_data().precedence()
        by_field: dict[str, list[Candidate]] = {}
        for candidate in candidates:
            by_field.setdefault(candidate.field, []).append(candidate)
        attributes = {ATTRIBUTES_PREFIX + key for key in product.attributes}
        attributes |= {name for name in by_field if name.startswith(ATTRIBUTES_PREFIX)}
        fields = (*SHARED_FIELDS, *sorted(attributes))
        return [_field(name, _shown(product, name), precedence.explain(by_field.get(name, ()))) for name in fields]


def _shown(product: Product, name: str) -> Any:
    if name in SHARED_FIELDS:
        value = getattr(product, name)
        return str(value) if isinstance(value, Asin) else value  # as sources give it: text
    return product.attributes.get(name[len(ATTRIBUTES_PREFIX) :])


def _field(name: str, value: Any, ranked: Sequence[RankedCandidate]) -> FieldSources:
    """The shown value's source is the best-ranked candidate holding that very value: the winner, unless the
    ranking changed and the products are still being resolved again."""
    source = next(
        (r.candidate.source for r in ranked if r.candidate.has_value and _same(r.candidate.value, value)), None
    )
    return FieldSources(name, value, source, tuple(ranked))


def _same(a: Any, b: Any) -> bool:
    """Equal as JSON: `1` and `true` are different values of an attribute, which Python's `==` would confuse."""
    return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)
