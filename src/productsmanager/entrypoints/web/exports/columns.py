"""A template's columns as the form's text: one column a line, `Header = field` or `Header = "fixed value"`,
so that a marketplace's flat file is typed (or pasted) in one field and read back the same way."""

from __future__ import annotations

import re
from typing import Any

from productsmanager.domain.exports.templates import ExportTemplate

_INDEX = re.compile(r"^columns\[(\d+)\]")


def parse(text: str) -> list[dict[str, str]]:
    """Each non-blank line a column; a line without `=` keeps its whole text as the header (the use case then
    says that it needs a field or a value, against that line)."""
    columns: list[dict[str, str]] = []
    for line in text.splitlines():
        if not line.strip():
            continue
        header, _, rest = line.partition("=")
        rest = rest.strip()
        if len(rest) >= 2 and rest[0] == rest[-1] == '"':
            columns.append({"header": header.strip(), "value": rest[1:-1]})
        elif rest:
            columns.append({"header": header.strip(), "field": rest})
        else:
            columns.append({"header": header.strip()})
    return columns


def render(template: ExportTemplate) -> str:
    """The inverse of `parse`."""
    lines = [
        f'{c.header} = "{c.value}"' if c.field is None else f"{c.header} = {c.field.name}" for c in template.columns
    ]
    return "\n".join(lines)


def field_errors(problem: dict[str, Any] | None) -> dict[str, str]:
    """The problem's field entries by form field: a column's error (`columns[2].field`) told as its line."""
    errors: dict[str, list[str]] = {}
    for entry in (problem or {}).get("errors") or []:
        name, message = entry.get("field") or "", entry.get("message") or ""
        found = _INDEX.match(name)
        if found:
            message = f"line {int(found.group(1)) + 1}: {message}"
            name = "columns"
        errors.setdefault(name.split(".")[0] or "form", []).append(message)
    return {name: "; ".join(messages) for name, messages in errors.items()}
