"""Export templates: a named list of columns (field → header, or a fixed value under a header) so that a
marketplace's flat file can be produced without code."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime

from attrs import define, frozen

from productsmanager.domain.errors import InvalidValue, ValidationFailed
from productsmanager.domain.exports.fields import ExportField

NAME_MAX, HEADER_MAX, VALUE_MAX, COLUMNS_MAX = 100, 200, 1000, 500


@frozen
class TemplateColumn:
    """A column with a `value` writes it in every row; otherwise the product's `field`."""

    header: str
    field: ExportField | None = None
    value: str | None = None


@define
class ExportTemplate:
    id: uuid.UUID
    name: str
    columns: tuple[TemplateColumn, ...]
    created_at: datetime
    updated_at: datetime

    @classmethod
    def new(cls, name: object, columns: object, now: datetime) -> ExportTemplate:
        template = cls(uuid.uuid4(), "", (), now, now)
        template.change(name, columns, now)
        return template

    def change(self, name: object, columns: object, now: datetime) -> None:
        errors: list[InvalidValue] = []
        if not isinstance(name, str) or not name.strip() or len(name.strip()) > NAME_MAX:
            errors.append(InvalidValue(f"name must be 1 to {NAME_MAX} characters", field="name"))
        parsed = parse_columns(columns, errors)
        if errors:
            raise ValidationFailed(errors)
        self.name, self.columns, self.updated_at = str(name).strip(), parsed, now


def parse_columns(raw: object, errors: list[InvalidValue]) -> tuple[TemplateColumn, ...]:
    """Each column a `{"header", "field"?, "value"?}` with exactly one of field and value; headers distinct
    (a spreadsheet or a reader keys columns by them)."""
    if not isinstance(raw, list) or not raw or len(raw) > COLUMNS_MAX:
        errors.append(InvalidValue(f"columns must be a list of 1 to {COLUMNS_MAX} columns", field="columns"))
        return ()
    columns: list[TemplateColumn] = []
    for index, item in enumerate(raw):
        where = f"columns[{index}]"
        try:
            columns.append(_column(item, where))
        except InvalidValue as error:
            errors.append(error)
    headers = [c.header for c in columns]
    if len(set(headers)) != len(headers):
        errors.append(InvalidValue("two columns have the same header", field="columns"))
    return tuple(columns)


def _column(item: object, where: str) -> TemplateColumn:
    if not isinstance(item, Mapping):
        raise InvalidValue("a column is an object with a header and a field or a value", field=where)
    header, field, value = item.get("header"), item.get("field"), item.get("value")
    if not isinstance(header, str) or not header.strip() or len(header) > HEADER_MAX or "\x00" in header:
        raise InvalidValue(f"header must be 1 to {HEADER_MAX} characters", field=f"{where}.header")
    if (field is None) == (value is None):
        raise InvalidValue("give either a field or a fixed value", field=where)
    if value is not None:
        if not isinstance(value, str) or len(value) > VALUE_MAX or "\x00" in value:
            raise InvalidValue(f"value must be text of at most {VALUE_MAX} characters", field=f"{where}.value")
        return TemplateColumn(header, value=value)
    return TemplateColumn(header, field=ExportField.parse(field, f"{where}.field"))
