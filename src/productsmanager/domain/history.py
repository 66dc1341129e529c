"""A product's history: every change of a resolved value (and of its offers' price and stock), with the
source whose value it now shows and the actor whose work made the change.

The source says where the value came from (`supplier:ACME`); the actor says what was running when it changed
(the import job that brought ACME's file, or the person who changed `source_priority`): a value can change
because a person re-ranked the sources without any source sending anything new.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from attrs import frozen

from productsmanager.domain.attributes import MAX_KEY_LENGTH
from productsmanager.domain.errors import InvalidValue
from productsmanager.domain.precedence import ATTRIBUTES_PREFIX, is_shared_field
from productsmanager.domain.sources import Source
from productsmanager.domain.values import parse_supplier_code

OFFERS_PREFIX = "offers."
OFFER_HISTORY_FIELDS = ("price", "stock")


class ActorType(StrEnum):
    USER = "user"
    IMPORT_JOB = "import_job"
    ODOO_RUN = "odoo_run"
    LOOKUP_JOB = "lookup_job"
    CODE2ASIN_JOB = "code2asin_job"


@frozen
class Actor:
    """Who or what made a change. `id` is the user's or the job's id; a service that embeds the package and
    edits without a signed-in person passes `Actor.user(None)`: still a person's edit, with no account."""

    type: ActorType
    id: uuid.UUID | None = None

    @classmethod
    def user(cls, user_id: uuid.UUID | None) -> Actor:
        return cls(ActorType.USER, user_id)

    @classmethod
    def import_job(cls, job_id: uuid.UUID) -> Actor:
        return cls(ActorType.IMPORT_JOB, job_id)

    @classmethod
    def odoo_run(cls, run_id: uuid.UUID) -> Actor:
        return cls(ActorType.ODOO_RUN, run_id)

    def to_json(self) -> dict[str, str | None]:
        return {"type": str(self.type), "id": str(self.id) if self.id is not None else None}


def offer_field(supplier_code: str, name: str) -> str:
    """The history field of one offer's price or stock: `offers.ACME.price`."""
    if name not in OFFER_HISTORY_FIELDS:
        raise InvalidValue(f"an offer's history records {' and '.join(OFFER_HISTORY_FIELDS)}, not {name}")
    return f"{OFFERS_PREFIX}{supplier_code}.{name}"


def history_field(name: object, field: str = "field") -> str:
    """A field a product's history records, as a filter names it: a shared field (an attribute's key within
    its length bound) or `offers.<CODE>.price|stock`, whose supplier code is read as codes are (any case)."""
    if isinstance(name, str):
        if is_shared_field(name) and len(name) - len(ATTRIBUTES_PREFIX) <= MAX_KEY_LENGTH:
            return name
        head, _, rest = name.partition(".")
        code, dot, kind = rest.rpartition(".")
        if f"{head}." == OFFERS_PREFIX and dot and kind in OFFER_HISTORY_FIELDS:
            try:
                return offer_field(parse_supplier_code(code, field=field), kind)
            except InvalidValue:
                pass
    raise InvalidValue(
        f"{repr(name)[:80]} is not a field of a product's history: name, brand, category, description, "
        "asin, attributes.<key>, offers.<supplier code>.price or offers.<supplier code>.stock",
        field=field,
    )


def history_price(price: Decimal | None) -> str | None:
    """A price as history keeps it: exact decimal text without trailing zeros (`12.9`, `10`), the same
    whichever database the offer was read from."""
    if price is None:
        return None
    return format(price.normalize(), "f")


@frozen
class ValueChange:
    """One recorded change. `old`/`new` are JSON values (text for the text fields, any JSON for an attribute,
    decimal text for a price, an integer for a stock); `None` is "no value"."""

    id: uuid.UUID
    product_id: uuid.UUID
    field: str
    old: Any
    new: Any
    source: Source
    actor: Actor
    changed_at: datetime

    @classmethod
    def record(
        cls, product_id: uuid.UUID, name: str, old: Any, new: Any, source: Source, actor: Actor, at: datetime
    ) -> ValueChange:
        return cls(uuid.uuid4(), product_id, name, old, new, source, actor, at)
