"""The columns of one export: the distinct fields the row source reads (each once, whatever the number of
columns showing it), and how each column's cell is made from what the source gives: image URLs by the same
`MediaLinks` as the API's, timestamps in ISO 8601, an attribute taken from the product's attributes, fixed values
as they are. Built once per export: making a row is one call per cell, no look-up by name."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

import orjson
from attrs import frozen

from productsmanager.application.catalog.product_reader import MediaLinks
from productsmanager.domain.exports.fields import ExportField
from productsmanager.domain.exports.templates import ExportTemplate

Cell = str | int | Decimal | None
Maker = Callable[[Sequence[Any]], Cell]
SIZES = {"thumbnail_small_url": "small", "thumbnail_medium_url": "medium", "thumbnail_large_url": "large"}


@frozen
class Column:
    header: str
    field: ExportField | None = None
    value: str | None = None


def columns_of(fields: Sequence[str], headers: Sequence[str]) -> tuple[Column, ...]:
    """The job's columns as it recorded them: a field written `=text` is that fixed value."""
    return tuple(
        Column(header, value=name[1:]) if name.startswith("=") else Column(header, field=ExportField.parse(name))
        for name, header in zip(fields, headers, strict=True)
    )


def recorded(template: ExportTemplate | None, fields: Sequence[ExportField]) -> tuple[list[str], list[str]]:
    """(fields, headers) to record on the job: a fixed value is kept as `=value`."""
    if template is None:
        return [f.name for f in fields], [f.name for f in fields]
    names = [c.field.name if c.field is not None else f"={c.value}" for c in template.columns]
    return names, [c.header for c in template.columns]


class Layout:
    """`fields`: what the row source reads, in the order of the values it gives for each product."""

    def __init__(self, columns: Sequence[Column], links: MediaLinks) -> None:
        self.fields: tuple[ExportField, ...] = tuple(dict.fromkeys(c.field for c in columns if c.field is not None))
        index = {field: position for position, field in enumerate(self.fields)}
        self._makers = [_fixed(c.value) if c.field is None else _maker(c.field, index[c.field], links) for c in columns]

    def row(self, values: Sequence[Any]) -> list[Cell]:
        return [make(values) for make in self._makers]


def _as_given(field: ExportField) -> bool:
    """The source's value is the cell (see `_maker`)."""
    special = ("created_at", "updated_at", "id", "attributes", "image_url")
    return field.kind in ("product", "figure", "offer") and field.name not in special


def _fixed(value: str | None) -> Maker:
    return lambda _: value


def _maker(field: ExportField, i: int, links: MediaLinks) -> Maker:
    """What the source gives (see `ExportRowSource.rows`) turned into the cell."""
    if field.name in ("created_at", "updated_at"):
        return lambda v: v[i].isoformat() if isinstance(v[i], datetime) else v[i]
    if field.name == "id":
        return lambda v: str(v[i])
    if field.name == "attributes":
        return lambda v: orjson.dumps(v[i], option=orjson.OPT_SORT_KEYS).decode() if v[i] else None
    if field.kind == "attribute":
        key = field.key or ""
        return lambda v: _attribute((v[i] or {}).get(key))
    if field.name == "image_url":
        return lambda v: None if v[i] is None else links.original_url(v[i][0], v[i][1])
    if field.kind == "image":
        size = SIZES[field.name]
        return lambda v: None if v[i] is None else links.thumbnail_url(v[i][0], size, v[i][1])
    return lambda v: v[i]


def _attribute(value: object) -> Cell:
    if value is None or isinstance(value, str):
        return value
    return orjson.dumps(value).decode()
