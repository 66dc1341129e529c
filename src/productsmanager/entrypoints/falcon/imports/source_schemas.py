"""JSON Schemas of import sources, one pair (PUT body, answer) per kind, from the domain's limits so that the
schemas and the settings' rules cannot drift; the domain still checks everything (the schema is the document)."""

from __future__ import annotations

from productsmanager.domain.imports.drive_source import MAX_FOLDER_ID_LENGTH
from productsmanager.domain.imports.file_pattern import MAX_PATTERN_LENGTH
from productsmanager.domain.imports.ftp_source_rules import MAX_DIRECTORY_LENGTH, MAX_USER_LENGTH
from productsmanager.domain.imports.import_source import SourceKind
from productsmanager.domain.imports.mail_source import AfterImport, MailMode, MailSecurity
from productsmanager.domain.imports.mail_source_rules import (
    MAX_MAILBOX_LENGTH,
    MAX_SENDER_LENGTH,
    MAX_SUBJECT_PATTERN_LENGTH,
    MAX_USERNAME_LENGTH,
)
from productsmanager.domain.imports.source_rules import SCHEDULE_MINUTES, TIMEOUT_SECONDS
from productsmanager.entrypoints.falcon.schemas import (
    NULLABLE_TIMESTAMP,
    NULLABLE_UUID,
    UUID,
    Schema,
    page_of,
    text,
    whole,
)

BOOLEAN: Schema = {"type": "boolean"}
NULLABLE_TEXT: Schema = {"type": ["string", "null"]}
PASSWORD: Schema = {"type": ["string", "null"], "maxLength": 256}

COMMON_PUT: dict[str, Schema] = {
    "pattern": text(MAX_PATTERN_LENGTH),
    "schedule_minutes": whole(*SCHEDULE_MINUTES, nullable=True),
    "enabled": BOOLEAN,
}
STATE: dict[str, Schema] = {
    "supplier_id": UUID,
    "kind": {"enum": list(SourceKind)},
    "last_run_at": NULLABLE_TIMESTAMP,
    "last_result": NULLABLE_TEXT,
    "last_file": NULLABLE_TEXT,
    "last_job_id": NULLABLE_UUID,
    "last_error": NULLABLE_TEXT,
    "next_due_at": NULLABLE_TIMESTAMP,
}
FTP_PUT: dict[str, Schema] = {
    "host": text(253),
    "port": whole(1, 65535),
    "user": text(MAX_USER_LENGTH),
    "password": PASSWORD,
    "directory": text(MAX_DIRECTORY_LENGTH),
    "passive": BOOLEAN,
    "tls": BOOLEAN,
    "timeout_seconds": whole(*TIMEOUT_SECONDS),
    **COMMON_PUT,
}
DRIVE_PUT: dict[str, Schema] = {"folder_id": text(MAX_FOLDER_ID_LENGTH), **COMMON_PUT}
MAIL_PUT: dict[str, Schema] = {
    "host": text(253),
    "port": whole(1, 65535),
    "security": {"enum": list(MailSecurity)},
    "username": text(MAX_USERNAME_LENGTH),
    "password": PASSWORD,
    "mailbox": text(MAX_MAILBOX_LENGTH),
    "sender": text(MAX_SENDER_LENGTH, nullable=True),
    "subject_pattern": text(MAX_SUBJECT_PATTERN_LENGTH, nullable=True),
    "mode": {"enum": list(MailMode)},
    "after_import": {"enum": list(AfterImport)},
    "move_to": text(MAX_MAILBOX_LENGTH, nullable=True),
    "timeout_seconds": whole(*TIMEOUT_SECONDS),
    **COMMON_PUT,
}


def _put(properties: dict[str, Schema], required: list[str]) -> Schema:
    return {"type": "object", "required": required, "additionalProperties": False, "properties": properties}


def _answer(properties: dict[str, Schema], secret: bool) -> Schema:
    shown = {name: schema for name, schema in properties.items() if name != "password"}
    return {"type": "object", "properties": {**shown, **({"has_password": BOOLEAN} if secret else {}), **STATE}}


SOURCE_COMPONENTS: dict[str, Schema] = {
    "FtpSourcePut": _put(FTP_PUT, ["host", "user", "pattern"]),
    "FtpSource": _answer(FTP_PUT, secret=True),
    "DriveSourcePut": _put(DRIVE_PUT, ["folder_id", "pattern"]),
    "DriveSource": _answer(DRIVE_PUT, secret=False),
    "MailSourcePut": _put(MAIL_PUT, ["host", "username", "pattern"]),
    "MailSource": _answer(MAIL_PUT, secret=True),
    "ListedImportSource": {
        "type": "object",
        "properties": {
            **STATE,
            "supplier_code": {"type": "string"},
            "pattern": {"type": "string"},
            "location": {"type": "string"},
            "enabled": BOOLEAN,
            "schedule_minutes": {"type": ["integer", "null"]},
        },
    },
    "ImportSourcePage": page_of("ListedImportSource"),
}
