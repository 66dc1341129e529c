"""The EAN Finder: supplier rows that came without an EAN, and the products barcode providers find for them
by name. A row waits, gets candidates from a text search, and is resolved (a GTIN chosen, by a person or by a
later import of the same row with its EAN) or dismissed.

A candidate's score is how alike its text and the row's are (`text_similarity`) times how far its provider's
answers are trusted: a perfect name match from a provider trusted at 0.9 scores 0.9."""

from __future__ import annotations

import re
import unicodedata
import uuid
from decimal import Decimal
from enum import StrEnum

from attrs import frozen

from productsmanager.domain.errors import Conflict
from productsmanager.domain.gtin import Gtin

_WORD = re.compile(r"\w+")


class FinderStatus(StrEnum):
    WAITING = "waiting"  # nothing found yet (or never searched)
    CANDIDATES = "candidates"  # a search found products that may be it
    RESOLVED = "resolved"  # a GTIN was chosen: the product and the supplier's offer exist
    DISMISSED = "dismissed"  # a person said no product should be made of it

    @property
    def open(self) -> bool:
        """Still to be decided: a search may (re)fill its candidates, a GTIN may resolve it."""
        return self in (FinderStatus.WAITING, FinderStatus.CANDIDATES)


class FinderRowClosed(Conflict):
    """The row was already resolved or dismissed: it is not decided twice."""

    code = "finder_row_closed"


def tokens(text: str) -> frozenset[str]:
    """The words of `text`, case- and accent-folded, so that "Savon Doux" and "savon  doux" are alike."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(char for char in folded if not unicodedata.combining(char))
    return frozenset(_WORD.findall(plain))


def normalised_name(text: str) -> str:
    """The name as compared when a later import with an EAN finds the row again (no SKU to match on): its
    folded words, sorted, separated by one space."""
    return " ".join(sorted(tokens(text)))


def text_similarity(left: str, right: str) -> float:
    """Token-set Jaccard similarity of two texts, in [0, 1]: 1 for texts of the same words (in any order,
    case or accents), 0 when they share none. Two texts without words are alike only if both are empty."""
    a, b = tokens(left), tokens(right)
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def candidate_score(row_text: str, candidate_text: str, confidence: float) -> float:
    """How likely the candidate is the row's product: text similarity times the provider's confidence."""
    if not 0.0 <= confidence <= 1.0:
        raise ValueError("a confidence is between 0 and 1")
    return round(text_similarity(row_text, candidate_text) * confidence, 4)


@frozen
class RowData:
    """What the supplier's row says, read through the supplier's import profile mapping."""

    name: str | None = None
    brand: str | None = None
    price: Decimal | None = None
    stock: int | None = None
    sku: str | None = None

    @property
    def match_key(self) -> str | None:
        """What makes two import errors the same supplier line (a file imported again): its SKU, else its
        normalised name; None for a line with neither."""
        if self.sku:
            return f"sku:{self.sku}"
        return f"name:{normalised_name(self.name)}" if self.name and tokens(self.name) else None

    @property
    def query(self) -> str:
        """What the providers are asked for: the name (the brand when there is none). Providers match every
        word of a query, and some only against names, so the brand is left to the scoring."""
        return self.name or self.brand or ""

    @property
    def search_text(self) -> str:
        """What candidates are compared with: name, then brand."""
        return " ".join(part for part in (self.name, self.brand) if part)


@frozen
class Candidate:
    gtin: Gtin
    name: str | None
    brand: str | None
    provider: str
    score: float

    @property
    def text(self) -> str:
        return " ".join(part for part in (self.name, self.brand) if part)


@frozen
class FinderRow:
    id: uuid.UUID
    supplier_id: uuid.UUID
    supplier_code: str
    status: FinderStatus
    data: RowData
    candidates: tuple[Candidate, ...] = ()
    gtin: Gtin | None = None  # the GTIN it was resolved with

    @property
    def key(self) -> str:
        """One row per supplier line: a line with neither SKU nor name is its own."""
        return self.data.match_key or f"row:{self.id}"

    def require_open(self) -> None:
        if not self.status.open:
            raise FinderRowClosed(f"EAN Finder row {self.id} is already {self.status.value}")


def best_candidates(found: list[Candidate], limit: int = 10) -> tuple[Candidate, ...]:
    """The candidates kept for a row: one per GTIN (its best score), best first, at most `limit`."""
    best: dict[Gtin, Candidate] = {}
    for candidate in found:
        kept = best.get(candidate.gtin)
        if kept is None or candidate.score > kept.score:
            best[candidate.gtin] = candidate
    ordered = sorted(best.values(), key=lambda candidate: (-candidate.score, candidate.gtin.value))
    return tuple(ordered[:limit])
