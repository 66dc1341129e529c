"""How one supplier's catalog file is read: its format, encoding, delimiter, header row and the mapping of
its columns onto catalog fields, and what happens to offers a full file no longer lists."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any

from attrs import field, frozen

from productsmanager.domain.errors import InvalidValue
from productsmanager.domain.field_errors import FieldErrors


class ImportFormat(enum.StrEnum):
    CSV = "csv"
    XLSX = "xlsx"


class MissingOffers(enum.StrEnum):
    """This supplier's offers on products that a full file does not list."""

    KEEP = "keep"
    ZERO_STOCK = "zero_stock"
    REMOVE = "remove"


TARGET_FIELDS = (
    "ean", "name", "brand", "category", "description", "price", "currency", "stock", "supplier_sku", "image_url",
)  # fmt: skip
# `utf-16` is read as a byte-order mark says, little-endian (what Windows writes) without one.
ENCODINGS = ("utf-8", "utf-8-sig", "windows-1252", "latin-1", "utf-16", "utf-16-le", "utf-16-be")
# Other names the same encodings go by (Python's and spreadsheets'), stored under the names above.
ENCODING_ALIASES = {
    "cp1252": "windows-1252", "utf8": "utf-8", "latin1": "latin-1", "iso-8859-1": "latin-1", "utf16": "utf-16",
    "utf-16le": "utf-16-le", "utf-16be": "utf-16-be",
}  # fmt: skip
DELIMITERS = (",", ";", "\t", "|")
MAX_HEADER_ROW = 100


@frozen
class ImportProfile:
    """`encoding` and `delimiter` None: detected from the file. `mapping`: source column header (as written
    in the file, compared after trimming) → target field; each target at most once, `ean` required."""

    format: ImportFormat = ImportFormat.CSV
    encoding: str | None = None
    delimiter: str | None = None
    header_row: int = 1
    mapping: Mapping[str, str] = field(factory=dict)
    decimal_comma: bool = False
    missing_offers: MissingOffers = MissingOffers.KEEP

    @classmethod
    def parse(cls, raw: Mapping[str, Any]) -> ImportProfile:
        """From the API's JSON shape; every problem is named by its field."""
        known = {"format", "encoding", "delimiter", "header_row", "mapping", "decimal_comma", "missing_offers"}
        with FieldErrors() as errors:
            errors.unknown(sorted(set(raw) - known), "a profile field")
            values = errors.parse(raw, _CHECKS)
        return cls(**values)

    def to_json(self) -> dict[str, Any]:
        return {
            "format": self.format.value,
            "encoding": self.encoding,
            "delimiter": self.delimiter,
            "header_row": self.header_row,
            "mapping": dict(self.mapping),
            "decimal_comma": self.decimal_comma,
            "missing_offers": self.missing_offers.value,
        }

    def column_of(self, target: str) -> str | None:
        """The source column mapped onto `target`, if any."""
        return next((source for source, mapped in self.mapping.items() if mapped == target), None)


def _choice(name: str, choices: tuple[str, ...], nullable: bool = False) -> Any:
    def check(raw: object) -> Any:
        if raw is None and nullable:
            return None
        if raw not in choices:
            allowed = ", ".join(repr(c) for c in choices) + (" or null (detect)" if nullable else "")
            raise InvalidValue(f"{name} must be one of {allowed}", field=name)
        return raw

    return check


def _header_row(raw: object) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int) or not 1 <= raw <= MAX_HEADER_ROW:
        raise InvalidValue(f"header_row must be a whole number from 1 to {MAX_HEADER_ROW}", field="header_row")
    return raw


def _bool(name: str) -> Any:
    def check(raw: object) -> bool:
        if not isinstance(raw, bool):
            raise InvalidValue(f"{name} must be true or false", field=name)
        return raw

    return check


def _mapping(raw: object) -> dict[str, str]:
    if not isinstance(raw, Mapping):
        raise InvalidValue("mapping must be an object: source column -> catalog field", field="mapping")
    mapping: dict[str, str] = {}
    for source, target in raw.items():
        if not isinstance(source, str) or not source.strip() or len(source) > 200:
            raise InvalidValue(f"mapping: column {source!r} must be 1 to 200 characters", field="mapping")
        if target not in TARGET_FIELDS:
            raise InvalidValue(f"mapping: {target!r} is not one of {', '.join(TARGET_FIELDS)}", field="mapping")
        if target in mapping.values():
            raise InvalidValue(f"mapping: {target!r} is mapped from more than one column", field="mapping")
        mapping[source.strip()] = target
    if mapping and "ean" not in mapping.values():
        raise InvalidValue("mapping: one column must be mapped onto 'ean'", field="mapping")
    return mapping


_CHECKS = {
    "format": lambda raw: ImportFormat(_choice("format", tuple(ImportFormat))(raw)),
    "encoding": lambda raw: _choice("encoding", ENCODINGS, nullable=True)(
        ENCODING_ALIASES.get(raw.lower(), raw) if isinstance(raw, str) else raw
    ),
    "delimiter": _choice("delimiter", DELIMITERS, nullable=True),
    "header_row": _header_row,
    "mapping": _mapping,
    "decimal_comma": _bool("decimal_comma"),
    "missing_offers": lambda raw: MissingOffers(_choice("missing_offers", tuple(MissingOffers))(raw)),
}
