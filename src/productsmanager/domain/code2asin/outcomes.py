"""What a Code2ASIN job found for one EAN: one ASIN (`matched`), several (`ambiguous`: none is applied, all are
listed for a person to choose), none (`not_found`) or no answer (`error`: asking again may find it)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from enum import StrEnum

from attrs import frozen

from productsmanager.domain.code2asin.items import AmazonItem
from productsmanager.domain.gtin import Gtin

ERROR_MAX = 500


class AsinOutcome(StrEnum):
    MATCHED = "matched"
    AMBIGUOUS = "ambiguous"
    NOT_FOUND = "not_found"
    ERROR = "error"


@frozen
class AsinResult:
    """One EAN of a job. Pending (`outcome` None) until matched; `items` are Amazon's items for the EAN (one
    when matched, all of them when ambiguous). `product_id` is the product with that EAN when the job applied
    the match (`applied` once it did, found or not); `asin_set` whether that changed the product's ASIN; the
    image counts are what the job stored for it, and `images_done` whether its images were handled (a job taken
    over goes on with the others)."""

    job_id: uuid.UUID
    gtin: Gtin | None  # None: a results-file row whose EAN cannot be read (an error, known by its `line`)
    outcome: AsinOutcome | None = None
    items: tuple[AmazonItem, ...] = ()
    error: str | None = None
    product_id: uuid.UUID | None = None
    asin_set: bool = False
    applied: bool = False
    images_stored: int = 0
    images_known: int = 0
    images_failed: int = 0
    images_done: bool = False
    line: int | None = None

    @property
    def key(self) -> str:
        """What orders and identifies the row within its job: the canonical GTIN, or `L` and the line number of
        an unreadable one (14 characters too, and after every GTIN)."""
        if self.gtin is not None:
            return self.gtin.canonical
        return f"L{self.line or 0:013d}"

    @classmethod
    def from_key(cls, job_id: uuid.UUID, key: str, **values: object) -> AsinResult:
        if key.startswith("L"):
            return cls(job_id, None, line=int(key[1:]), **values)  # type: ignore[arg-type]
        return cls(job_id, Gtin.from_canonical(key), **values)  # type: ignore[arg-type]

    @property
    def asins(self) -> tuple[str, ...]:
        return tuple(str(item.asin) for item in self.items)

    @property
    def matched_item(self) -> AmazonItem | None:
        return self.items[0] if self.outcome is AsinOutcome.MATCHED and self.items else None


def match(job_id: uuid.UUID, gtin: Gtin, items: Iterable[AmazonItem]) -> AsinResult:
    """The outcome of what a source answered for `gtin`: its items, one per distinct ASIN, in the order given."""
    by_asin: dict[str, AmazonItem] = {}
    for item in items:
        by_asin.setdefault(str(item.asin), item)
    found = tuple(by_asin.values())
    if not found:
        return AsinResult(job_id, gtin, AsinOutcome.NOT_FOUND)
    outcome = AsinOutcome.MATCHED if len(found) == 1 else AsinOutcome.AMBIGUOUS
    return AsinResult(job_id, gtin, outcome, found)


def failed(job_id: uuid.UUID, gtin: Gtin, reason: str) -> AsinResult:
    return AsinResult(job_id, gtin, AsinOutcome.ERROR, error=reason[:ERROR_MAX])


def unreadable(job_id: uuid.UUID, line: int, ean: str, reason: str) -> AsinResult:
    """A results-file row whose EAN cannot be read: an error of the job, shown with its line and the cell."""
    return AsinResult(job_id, None, AsinOutcome.ERROR, error=f"line {line}: EAN {ean[:40]!r}: {reason}"[:ERROR_MAX],
                      line=line)  # fmt: skip
