"""Which source's value a product shows for each shared field (`ValuePrecedence`).

Every source keeps its latest value per field; the product's value is the best-ranked one that is a value:
a person's (`manual`) first, then the sources of `source_priority` in its order, then the other suppliers and
Odoo (the first to have given the field a value first, so a newcomer never silently overwrites an
established value), then enrichment, which thereby only fills fields no other source has a value for.
Ranking is a total order on distinct sources, so the result never depends on the order candidates arrive in.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from enum import IntEnum, StrEnum
from typing import Any

from attrs import field, frozen

from productsmanager.domain.errors import InvalidValue
from productsmanager.domain.sources import DEFAULT_PRIORITY, Source, SourceKind, priority_source

SHARED_FIELDS = ("name", "brand", "category", "description", "asin")
ATTRIBUTES_PREFIX = "attributes."


def is_shared_field(name: str) -> bool:
    """`name`, `brand`, `category`, `description`, `asin` or one key of `attributes` written `attributes.<key>`."""
    return name in SHARED_FIELDS or (name.startswith(ATTRIBUTES_PREFIX) and len(name) > len(ATTRIBUTES_PREFIX))


def _check_field(_instance: object, _attribute: object, name: str) -> None:
    if not isinstance(name, str) or not is_shared_field(name):
        raise InvalidValue(f"{name!r} is not a shared product field", field="field")


@frozen
class Candidate:
    """One source's latest value for one field. `given_at` is when that value arrived; `first_given_at`
    when this source first gave this field a value, which is what ranks sources nobody listed."""

    field: str = field(validator=_check_field)
    value: Any
    source: Source
    given_at: datetime
    first_given_at: datetime

    @property
    def has_value(self) -> bool:
        """None and blank text are no value: a source that sends an empty cell must not erase another's."""
        return self.value is not None and not (isinstance(self.value, str) and not self.value.strip())


class Tier(IntEnum):
    MANUAL = 0
    LISTED = 1
    EARLIEST = 2
    ENRICHMENT = 3


class Standing(StrEnum):
    """Why a candidate sits where it does in a field's ranking (what `GET /products/{id}/sources` shows)."""

    MANUAL = "manual"
    LISTED = "listed"
    EARLIEST = "earliest"
    ENRICHMENT = "enrichment"
    NO_VALUE = "no_value"


@frozen
class RankedCandidate:
    candidate: Candidate
    standing: Standing
    wins: bool


@frozen
class ValuePrecedence:
    """The ranking of sources for one catalog. `source_priority` lists supplier codes and `odoo` (see
    `parse_source_priority`); entries are compared case-insensitively and a repeated entry keeps its first place."""

    source_priority: tuple[str, ...] = field(default=DEFAULT_PRIORITY, converter=tuple)
    _positions: dict[Source, int] = field(init=False, eq=False, repr=False)

    @_positions.default
    def _listed(self) -> dict[Source, int]:
        positions: dict[Source, int] = {}
        for entry in self.source_priority:
            positions.setdefault(priority_source(entry), len(positions))
        return positions

    @property
    def listed(self) -> tuple[Source, ...]:
        """The sources of `source_priority`, best first, each once: what a database ranks by."""
        return tuple(self._positions)

    def rank_key(self, candidate: Candidate) -> tuple[Tier, int, datetime, str]:
        """Lower is better; distinct sources never tie (the source's text breaks any tie)."""
        source = candidate.source
        if source.kind is SourceKind.MANUAL:
            tier, position = Tier.MANUAL, 0
        elif source in self._positions:
            tier, position = Tier.LISTED, self._positions[source]
        else:
            tier, position = (Tier.ENRICHMENT if source.is_enrichment else Tier.EARLIEST), 0
        return tier, position, candidate.first_given_at, str(source)

    def resolve(self, candidates: Iterable[Candidate]) -> dict[str, Candidate]:
        """The winning candidate of each field that has a value; fields where no source has one are absent."""
        winners: dict[str, Candidate] = {}
        for field_name, of_field in _by_field(candidates).items():
            valued = [c for c in of_field if c.has_value]
            if valued:
                winners[field_name] = min(valued, key=self.rank_key)
        return winners

    def explain(self, candidates: Iterable[Candidate]) -> list[RankedCandidate]:
        """One field's candidates, best first: those with a value in rank order (the first wins), then those
        without one (which never win), in the same order."""
        of_field = list(candidates)
        names = {c.field for c in of_field}
        if len(names) > 1:
            listed = ", ".join(sorted(names))
            raise InvalidValue(f"one field is explained at a time, not {listed}", field="field")
        _by_field(of_field)
        ordered = sorted(of_field, key=lambda c: (not c.has_value, self.rank_key(c)))
        return [
            RankedCandidate(c, self._standing(c), wins=index == 0 and c.has_value) for index, c in enumerate(ordered)
        ]

    def _standing(self, candidate: Candidate) -> Standing:
        if not candidate.has_value:
            return Standing.NO_VALUE
        return _STANDINGS[self.rank_key(candidate)[0]]


_STANDINGS = {
    Tier.MANUAL: Standing.MANUAL,
    Tier.LISTED: Standing.LISTED,
    Tier.EARLIEST: Standing.EARLIEST,
    Tier.ENRICHMENT: Standing.ENRICHMENT,
}


def _by_field(candidates: Iterable[Candidate]) -> dict[str, Sequence[Candidate]]:
    """Candidates grouped by field; a source keeps one value per field, so a second one is refused rather
    than picked by arrival order."""
    grouped: dict[str, dict[Source, Candidate]] = {}
    for candidate in candidates:
        of_field = grouped.setdefault(candidate.field, {})
        if candidate.source in of_field:
            raise InvalidValue(
                f"{candidate.field} has two values from {candidate.source}: a source keeps only its latest value",
                field=candidate.field,
            )
        of_field[candidate.source] = candidate
    return {name: list(of_field.values()) for name, of_field in grouped.items()}
