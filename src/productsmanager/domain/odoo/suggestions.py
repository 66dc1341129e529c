"""Which Odoo field a catalog field should be mapped to: each (catalog field, Odoo field) pair scored 0 to 1.

Three things are weighed, and every suggestion says how each one came out:

- the name (`suggestion_names`): 1 for a usual name of the catalog field, in English or French, less for a
  loose likeness;
- the type: a field whose type cannot carry the catalog field (the rules a saved mapping is checked with,
  `field_types.check_odoo_field`), or that a mapping may not name (`OdooFieldMapping.parse`), is never
  suggested, however alike its name;
- the values: on a sample of products linked to Odoo records, the share whose catalog value equals the record's
  (a name says what a field is meant for, values show what it is used for).

score = (1 - w) * name + w * agreement, with w = `VALUE_WEIGHT` * min(1, sample / `CONFIDENT_SAMPLE`): with no
linked product the name decides alone, and a handful of products cannot outvote a name. Ties go to the Odoo
field's name, so a ranking never changes between two calls."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from attrs import frozen

from productsmanager.domain.errors import InvalidValue, ValidationFailed
from productsmanager.domain.odoo.field_types import check_odoo_field
from productsmanager.domain.odoo.mappings import OdooFieldMapping
from productsmanager.domain.odoo.suggestion_names import NameMatch, name_likeness

VALUE_WEIGHT = 0.5
CONFIDENT_SAMPLE = 20
_TAG = re.compile(r"<[^>]*>")


@frozen
class OdooFieldInfo:
    """One field as `fields_get` describes it."""

    name: str
    type: str
    label: str = ""
    relation: str | None = None

    @classmethod
    def from_fields_get(cls, name: str, description: Mapping[str, Any]) -> OdooFieldInfo:
        relation = description.get("relation")
        return cls(name, str(description.get("type", "")), str(description.get("string") or ""), relation or None)

    def as_fields_get(self) -> dict[str, Any]:
        return {"type": self.type, "string": self.label, "relation": self.relation}


@frozen
class Agreement:
    agreeing: int
    sample_size: int

    @property
    def share(self) -> float:
        return self.agreeing / self.sample_size if self.sample_size else 0.0


@frozen
class Suggestion:
    local_field: str
    odoo_field: OdooFieldInfo
    score: float
    name_score: float
    agreement: Agreement | None
    reasons: tuple[str, ...]


def incompatibility(local_field: str, field: OdooFieldInfo) -> str | None:
    """Why `field` can never carry `local_field` (None when it can): the save path's own checks."""
    try:
        OdooFieldMapping.parse({"local_field": local_field, "odoo_field": field.name})
        check_odoo_field(OdooFieldMapping(local_field, field.name), {field.name: field.as_fields_get()})
    except ValidationFailed as failed:
        return "; ".join(error.message for error in failed.errors)
    except InvalidValue as error:
        return error.message
    return None


def comparable(value: object) -> object:
    """A value as agreement compares it: None for empty (Odoo's False included), a many2one by its display
    name, numbers as decimals, text trimmed and case-folded (html without its tags)."""
    if value is None or value is False:
        return None
    if isinstance(value, list | tuple):
        return comparable(value[1]) if len(value) == 2 and isinstance(value[1], str) else None
    if isinstance(value, int | float | Decimal):
        number = Decimal(str(value))
        return number.normalize() if number.is_finite() else None
    text = _TAG.sub(" ", str(value)) if "<" in str(value) else str(value)
    text = " ".join(text.split()).casefold()
    return text or None


def agree(local: object, odoo: object) -> bool:
    """Both non-empty and equal; text that reads as a number equals that number (a float field and "12.50")."""
    mine, theirs = comparable(local), comparable(odoo)
    if mine is None or theirs is None:
        return False
    if isinstance(mine, Decimal) != isinstance(theirs, Decimal):
        mine, theirs = _as_number(mine), _as_number(theirs)
    return mine == theirs and mine is not None


def _as_number(value: object) -> Decimal | None:
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number.normalize() if number.is_finite() else None


def agreement(
    local_field: str, odoo_field: str, sample: Sequence[tuple[Mapping[str, object], Mapping[str, Any]]]
) -> Agreement:
    """`sample` pairs each linked product's catalog values with its Odoo record's values."""
    agreeing = sum(1 for local, record in sample if agree(local.get(local_field), record.get(odoo_field)))
    return Agreement(agreeing, len(sample))


def score(name_score: float, found: Agreement | None) -> float:
    weight = VALUE_WEIGHT * min(1.0, found.sample_size / CONFIDENT_SAMPLE) if found and found.sample_size else 0.0
    share = found.share if found else 0.0
    return round(min(1.0, max(0.0, (1 - weight) * name_score + weight * share)), 4)


def suggest(
    local_field: str,
    fields: Iterable[OdooFieldInfo],
    sample: Sequence[tuple[Mapping[str, object], Mapping[str, Any]]] = (),
    limit: int = 5,
) -> list[Suggestion]:
    """The Odoo fields able to carry `local_field`, best first, at most `limit`; those with neither a name
    likeness nor an agreeing value are left out (a type that fits is no reason on its own)."""
    found: list[Suggestion] = []
    for field in fields:
        if incompatibility(local_field, field) is not None:
            continue
        likeness = name_likeness(local_field, field.name, field.label)
        agreed = agreement(local_field, field.name, sample) if sample else None
        if likeness.score == 0 and not (agreed and agreed.agreeing):
            continue
        reasons = [_name_reason(likeness.match, likeness.closest, likeness.score), f"type: {field.type} fits"]
        if agreed is not None:
            reasons.append(f"values: {agreed.agreeing} of {agreed.sample_size} linked products agree")
        total = score(likeness.score, agreed)
        found.append(Suggestion(local_field, field, total, likeness.score, agreed, tuple(reasons)))
    found.sort(key=lambda s: (-s.score, s.odoo_field.name))
    return found[:limit]


def _name_reason(match: NameMatch, closest: str, name_score: float) -> str:
    if match is NameMatch.EXACT:
        return f'name: a usual name of the field ("{closest}")'
    if match is NameMatch.LOOSE:
        return f'name: close to "{closest}" ({name_score:.2f})'
    return "name: no likeness"
