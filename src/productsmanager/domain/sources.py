"""Where a value of a product's shared fields comes from, and the `source_priority` list that ranks them.

A source is written as text in the database, in the product's history and in the API (`manual`,
`supplier:ACME`, `odoo`, `ean_lookup:gs1`, `code2asin`), so it has exactly one canonical spelling: supplier
codes follow the supplier code rule (upper-case), provider names are lower-case.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from enum import StrEnum

from attrs import frozen

from productsmanager.domain.errors import InvalidValue
from productsmanager.domain.field_errors import FieldErrors
from productsmanager.domain.values import parse_supplier_code

PRIORITY_FIELD = "source_priority"
PRIORITY_MAX = 200
DEFAULT_PRIORITY = ("odoo",)
_PROVIDER = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,49}$")


class SourceKind(StrEnum):
    MANUAL = "manual"
    SUPPLIER = "supplier"
    ODOO = "odoo"
    EAN_LOOKUP = "ean_lookup"
    CODE2ASIN = "code2asin"

    @property
    def is_enrichment(self) -> bool:
        """Enrichment looks values up by EAN elsewhere: it only fills a field nobody else has a value for."""
        return self in (SourceKind.EAN_LOOKUP, SourceKind.CODE2ASIN)

    @property
    def is_named(self) -> bool:
        return self in (SourceKind.SUPPLIER, SourceKind.EAN_LOOKUP)


class InvalidSource(InvalidValue):
    code = "invalid_source"


@frozen
class Source:
    """One source: its kind and, for a supplier or an EAN lookup provider, its name (code or provider)."""

    kind: SourceKind
    name: str | None = None

    def __attrs_post_init__(self) -> None:
        if self.kind.is_named != (self.name is not None):
            raise InvalidSource(f"a {self.kind} source {'needs' if self.kind.is_named else 'takes no'} name")

    @classmethod
    def manual(cls) -> Source:
        return cls(SourceKind.MANUAL)

    @classmethod
    def supplier(cls, code: str) -> Source:
        return cls(SourceKind.SUPPLIER, parse_supplier_code(code, field="source"))

    @classmethod
    def odoo(cls) -> Source:
        return cls(SourceKind.ODOO)

    @classmethod
    def ean_lookup(cls, provider: str) -> Source:
        text = str(provider).strip().lower()
        if not _PROVIDER.match(text):
            raise InvalidSource(
                f"EAN lookup provider {provider!r} must be 1-50 letters, digits, '_', '.' or '-'", field="source"
            )
        return cls(SourceKind.EAN_LOOKUP, text)

    @classmethod
    def code2asin(cls) -> Source:
        return cls(SourceKind.CODE2ASIN)

    @classmethod
    def parse(cls, text: str, field: str = "source") -> Source:
        """The source written as `text` (kinds are case-insensitive); `InvalidSource` names what is wrong."""
        if not isinstance(text, str):
            raise InvalidSource("a source must be a string", field=field)
        kind_text, colon, name = text.strip().partition(":")
        try:
            kind = SourceKind(kind_text.lower())
        except ValueError:
            kinds = ", ".join(f"{k}:…" if k.is_named else str(k) for k in SourceKind)
            raise InvalidSource(f"source {text!r} is not one of {kinds}", field=field) from None
        if kind.is_named != bool(colon):
            if kind.is_named:
                raise InvalidSource(f"source {text!r} must name its {_NAME_OF[kind]} after '{kind}:'", field=field)
            raise InvalidSource(f"source {text!r}: '{kind}' takes no name", field=field)
        try:
            if kind is SourceKind.SUPPLIER:
                return cls.supplier(name)
            if kind is SourceKind.EAN_LOOKUP:
                return cls.ean_lookup(name)
        except InvalidValue as error:
            raise InvalidSource(error.message, field=field) from None
        return cls(kind)

    @property
    def is_enrichment(self) -> bool:
        return self.kind.is_enrichment

    def __str__(self) -> str:
        return f"{self.kind}:{self.name}" if self.name is not None else str(self.kind)


_NAME_OF = {SourceKind.SUPPLIER: "supplier code", SourceKind.EAN_LOOKUP: "provider"}


def priority_source(entry: str, field: str = PRIORITY_FIELD) -> Source:
    """The source a `source_priority` entry stands for: `odoo` in any case, a supplier code, or
    `supplier:CODE` (the one way to list a supplier whose code is also the name of a kind, such as `ODOO`).
    Manual and enrichment sources are refused, because their place is fixed: manual always first, enrichment
    only fills gaps."""
    if not isinstance(entry, str):
        raise InvalidSource("each entry must be a supplier code or 'odoo'", field=field)
    text = entry.strip()
    kind = text.partition(":")[0].lower()
    if kind == SourceKind.MANUAL:
        raise InvalidSource("manual always ranks first: it cannot be placed in source_priority", field=field)
    if kind in (SourceKind.EAN_LOOKUP, SourceKind.CODE2ASIN):
        raise InvalidSource(
            f"{text} is an enrichment source: it only fills fields no other source has a value for, "
            "so it cannot be placed in source_priority",
            field=field,
        )
    if ":" in text:
        return Source.parse(text, field=field)
    if kind == SourceKind.ODOO:
        return Source.odoo()
    try:
        return Source.supplier(text)
    except InvalidValue as error:
        raise InvalidSource(error.message, field=field) from None


def priority_text(source: Source) -> str:
    """The normalised entry for `source`: `odoo`, an upper-case code, or `supplier:CODE` for a code that
    reads as the name of a kind (`ODOO`, `MANUAL`...)."""
    if source.kind is SourceKind.SUPPLIER and str(source.name).lower() not in _KIND_NAMES:
        return str(source.name)
    return str(source)


_KIND_NAMES = frozenset(SourceKind)


def parse_source_priority(raw: object) -> tuple[str, ...]:
    """A `source_priority` payload, normalised, with every broken rule reported at once (entries are named
    `source_priority[i]`); duplicates are found case-insensitively, since codes are upper-case anyway."""
    with FieldErrors() as errors:
        if isinstance(raw, str) or not isinstance(raw, Sequence):
            errors.refuse("source_priority must be a list of supplier codes and 'odoo'", PRIORITY_FIELD)
            return ()
        if len(raw) > PRIORITY_MAX:
            errors.refuse(f"source_priority must hold at most {PRIORITY_MAX} entries", PRIORITY_FIELD)
        seen: dict[Source, int] = {}
        for index, entry in enumerate(raw):
            field = f"{PRIORITY_FIELD}[{index}]"
            with errors.checking():
                source = priority_source(entry, field)
                if source in seen:
                    errors.refuse(f"{source} is listed twice (first at source_priority[{seen[source]}])", field)
                seen.setdefault(source, index)
    return tuple(priority_text(source) for source in seen)
