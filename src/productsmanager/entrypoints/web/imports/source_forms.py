"""An import source's settings as a form: the fields of the REST PUT body of its kind (declared once, in
the source schemas), read back into that body's JSON types so the same use case judges them. Passwords are
write-only: never shown, left blank to keep the stored one."""

from __future__ import annotations

from typing import Any

from attrs import frozen

from productsmanager.domain.imports.import_source import SourceKind
from productsmanager.entrypoints.falcon.imports.source_schemas import DRIVE_PUT, FTP_PUT, MAIL_PUT
from productsmanager.entrypoints.web.forms import text

PUT_FIELDS = {SourceKind.FTP: FTP_PUT, SourceKind.GDRIVE: DRIVE_PUT, SourceKind.EMAIL: MAIL_PUT}
REMOVE_PASSWORD = "remove_password"


@frozen
class FormField:
    name: str
    label: str
    kind: str  # text, number, checkbox, select, password
    choices: tuple[str, ...] = ()


def _kind(name: str, schema: dict[str, Any]) -> str:
    if name == "password":
        return "password"
    if "enum" in schema:
        return "select"
    types = schema.get("type")
    types = types if isinstance(types, list) else [types]
    if "boolean" in types:
        return "checkbox"
    return "number" if "integer" in types else "text"


def fields_of(kind: SourceKind) -> list[FormField]:
    return [
        FormField(name, name.replace("_", " ").capitalize(), _kind(name, schema), tuple(schema.get("enum", ())))
        for name, schema in PUT_FIELDS[kind].items()
    ]


def settings_body(kind: SourceKind, form: dict[str, Any]) -> dict[str, Any]:
    """The PUT body: checkboxes absent are false, blank optional values null, numbers as integers when they
    are (else left as typed, for the use case to name)."""
    body: dict[str, Any] = {}
    for field in fields_of(kind):
        value = text(form, field.name)
        schema = PUT_FIELDS[kind][field.name]
        nullable = isinstance(schema.get("type"), list) and "null" in schema["type"]
        if field.kind == "checkbox":
            body[field.name] = value in ("on", "true", "1")
        elif field.kind == "password":
            if text(form, REMOVE_PASSWORD):
                body["password"] = None
            elif value:
                body["password"] = value
        elif value == "" and nullable:
            body[field.name] = None
        elif field.kind == "number" and value:
            body[field.name] = int(value) if value.lstrip("-").isdigit() else value
        elif value != "" or field.kind != "number":
            body[field.name] = value
    return body
