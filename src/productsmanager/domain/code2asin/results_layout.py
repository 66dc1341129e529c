"""The columns of a results file from the Code2ASIN desktop tool or a similar one (an EAN/UPC column, the
ASIN found, Amazon's title, brand, category, images, price, sales rank, marketplace), in English or French.

Headers are compared normalised (case, accents, spaces, `_`, `-` and punctuation do not matter), because the
same tool writes `Sales Rank`, `sales_rank` or `Classement des ventes` depending on its version and language.
A layout is known by its `signature`, the SHA-256 of its normalised header row: the mapping a person gave for
one file is found again for the next file of the same layout."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Mapping, Sequence
from enum import StrEnum

from attrs import frozen

from productsmanager.domain.errors import InvalidValue, ValidationFailed


class ResultsField(StrEnum):
    EAN = "ean"
    ASIN = "asin"
    TITLE = "title"
    BRAND = "brand"
    CATEGORY = "category"
    IMAGE_URL = "image_url"  # one column with several URLs, or one column per image: the only repeatable field
    PRICE = "price"
    SALES_RANK = "sales_rank"
    MARKETPLACE = "marketplace"


REQUIRED = (ResultsField.EAN, ResultsField.ASIN)
COLUMN_MAX = 200

_KNOWN: dict[ResultsField, tuple[str, ...]] = {
    ResultsField.EAN: (
        "ean", "upc", "ean upc", "upc ean", "ean13", "ean 13", "gtin", "code", "input", "input code", "code ean",
        "ean code", "barcode", "code barre", "code barres", "code saisi", "code ean upc",
    ),
    ResultsField.ASIN: ("asin", "asin code", "code asin", "amazon asin", "asin amazon", "asin found", "asin trouve"),
    ResultsField.TITLE: (
        "amazon title", "titre amazon", "title", "titre", "product title", "titre produit", "titre du produit",
        "name", "nom", "product name", "nom produit", "nom du produit", "designation", "libelle",
    ),
    ResultsField.BRAND: ("brand", "marque", "manufacturer", "fabricant", "brand name"),
    ResultsField.CATEGORY: (
        "category", "categorie", "product group", "groupe de produits", "groupe produit", "rayon", "product type",
        "type de produit", "root category", "categorie principale",
    ),
    ResultsField.PRICE: (
        "price", "prix", "amazon price", "prix amazon", "buy box price", "buybox price", "prix buy box",
        "prix buybox", "lowest price", "prix le plus bas", "new price", "prix neuf",
    ),
    ResultsField.SALES_RANK: (
        "sales rank", "salesrank", "rank", "bsr", "best sellers rank", "classement", "classement des ventes",
        "classement meilleures ventes", "rang", "rang des ventes", "rang de vente",
    ),
    ResultsField.MARKETPLACE: (
        "marketplace", "site", "amazon site", "site amazon", "domain", "domaine", "locale", "country", "pays",
    ),
}  # fmt: skip
# Within a field, the more specific spellings first: a file that echoes the input's `Product name` next to
# Amazon's `Title` maps the title from `Title`.
_BY_HEADER = {header: (target, rank) for target, headers in _KNOWN.items() for rank, header in enumerate(headers)}
# `Image`, `Images`, `Image URL 2`, `image_url_3`, `Photo 1`, `URL image`, `Lien image 2`, `Image principale`...
_IMAGE = re.compile(
    r"^(?:(?:main |large |small |additional )?(?:image|images|img|photo|photos|picture|pictures)"
    r"(?: url| urls| link| links| lien)?(?: principale| secondaire)?"
    r"|(?:url|urls|lien|liens) (?:de l )?(?:image|images|photo|photos))"
    r"(?: \d{1,2})?$"
)
_NOT_WORD = re.compile(r"[\W_]+")


def normalise_header(raw: str) -> str:
    """Case folded, accents dropped, every run of anything but letters and digits (of any script) one space."""
    decomposed = unicodedata.normalize("NFKD", raw.casefold())
    plain = unicodedata.normalize("NFKC", "".join(c for c in decomposed if not unicodedata.combining(c)))
    return _NOT_WORD.sub(" ", plain.casefold()).strip()


def known_field(header: str) -> ResultsField | None:
    """The field a header names in a layout Code2ASIN knows, if any."""
    known = _known(header)
    return known[0] if known else None


def _known(header: str) -> tuple[ResultsField, int] | None:
    normalised = normalise_header(header)
    if _IMAGE.match(normalised):
        return ResultsField.IMAGE_URL, 0
    return _BY_HEADER.get(normalised)


def signature(headers: Sequence[str]) -> str:
    """The layout's identity: SHA-256 (hex) of the normalised header row, empty trailing cells left out."""
    normalised = [normalise_header(header) for header in headers]
    while normalised and not normalised[-1]:
        normalised.pop()
    return hashlib.sha256("\x1f".join(normalised).encode()).hexdigest()


@frozen
class ResultsMapping:
    """Column (as the header row writes it) → field. Valid: every field known, each once except images, and
    every column in the header."""

    columns: tuple[tuple[str, ResultsField], ...]

    @classmethod
    def parse(cls, raw: object, headers: Sequence[str]) -> ResultsMapping:
        """A mapping given by a person (or saved from one), for the file whose header row is `headers`: a
        column is matched to the header it names after normalisation. Every problem is reported at once."""
        if not isinstance(raw, Mapping):
            raise InvalidValue("mapping must be an object: column -> field", field="mapping")
        by_normalised = {normalise_header(header): header for header in reversed(headers) if header}
        problems: list[InvalidValue] = []
        columns: list[tuple[str, ResultsField]] = []
        for column, target in raw.items():
            if not isinstance(column, str) or not column.strip() or len(column) > COLUMN_MAX:
                problems.append(
                    InvalidValue(f"column {column!r} must be 1 to {COLUMN_MAX} characters", field="mapping")
                )
                continue
            header = by_normalised.get(normalise_header(column))
            if header is None:
                problems.append(InvalidValue(f"column {column!r} is not in the file's header", field="mapping"))
            if target not in tuple(ResultsField):
                fields = ", ".join(ResultsField)
                problems.append(InvalidValue(f"{target!r} (column {column!r}) is not one of {fields}", field="mapping"))
            elif header is not None and any(header == taken for taken, _ in columns):
                problems.append(InvalidValue(f"column {column!r} is mapped more than once", field="mapping"))
            elif header is not None:
                columns.append((header, ResultsField(target)))
        mapping = cls(tuple(columns))
        repeated = sorted({f for _, f in columns if f is not ResultsField.IMAGE_URL and len(mapping.columns_of(f)) > 1})
        problems += [
            InvalidValue(f"{f.value!r} is mapped from more than one column", field="mapping") for f in repeated
        ]
        if problems:
            raise ValidationFailed(problems)
        mapping.check_complete(headers)
        return mapping

    @classmethod
    def guess(cls, headers: Sequence[str]) -> ResultsMapping:
        """The columns whose headers Code2ASIN knows: every image column, and for each other field the column
        with its most specific spelling (the first such column on a tie). May lack the EAN or the ASIN:
        `check_complete` says so."""
        best: dict[ResultsField, tuple[int, int, str]] = {}
        images: list[str] = []
        for position, header in enumerate(dict.fromkeys(h for h in headers if h)):
            known = _known(header)
            if known is None:
                continue
            target, rank = known
            if target is ResultsField.IMAGE_URL:
                images.append(header)
            elif target not in best or (rank, position) < best[target][:2]:
                best[target] = (rank, position, header)
        chosen = {header: target for target, (_, _, header) in best.items()} | dict.fromkeys(
            images, ResultsField.IMAGE_URL
        )
        return cls(tuple((header, chosen[header]) for header in dict.fromkeys(headers) if header in chosen))

    def columns_of(self, target: ResultsField) -> list[str]:
        return [column for column, mapped in self.columns if mapped is target]

    def column_of(self, target: ResultsField) -> str | None:
        found = self.columns_of(target)
        return found[0] if found else None

    def check_complete(self, headers: Sequence[str]) -> None:
        """Refuses a mapping without an EAN or an ASIN column, naming the columns the file has."""
        missing = [target.value for target in REQUIRED if self.column_of(target) is None]
        if missing:
            found = ", ".join(repr(header) for header in headers if header) or "none"
            raise ValidationFailed(
                [
                    InvalidValue(
                        f"the results file has no column for {' and '.join(missing)}: give a mapping "
                        f"(column -> {', '.join(ResultsField)}); the columns found are: {found}",
                        field="mapping",
                    )
                ]
            )

    def to_json(self) -> dict[str, str]:
        return {column: target.value for column, target in self.columns}
