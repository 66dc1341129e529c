"""The rules of each field of an e-mail source, checked before anything connects: a wrong host, an address
that is not one, a move without a folder, all named at once by their fields."""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Mapping
from typing import Any

from productsmanager.domain.errors import InvalidValue
from productsmanager.domain.field_errors import FieldErrors
from productsmanager.domain.imports.file_pattern import FilePattern
from productsmanager.domain.imports.source_rules import (
    TIMEOUT_SECONDS,
    bounded_text,
    flag,
    host,
    schedule,
    whole,
)

MAX_USERNAME_LENGTH = 256
MAX_MAILBOX_LENGTH = 200
MAX_SENDER_LENGTH = 254
MAX_SUBJECT_PATTERN_LENGTH = 200
REQUIRED = ("host", "username", "pattern")

_ADDRESS = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_DOMAIN = re.compile(r"^@[^@\s]+\.[^@\s]+$")


class MailSecurity(enum.StrEnum):
    TLS = "tls"  # TLS from the first byte (IMAPS, port 993)
    STARTTLS = "starttls"  # plain connection upgraded by STARTTLS before logging in (port 143)


class MailMode(enum.StrEnum):
    TODAY = "today"  # messages received since midnight in the settings' time zone
    UNSEEN = "unseen"  # every message not taken yet, whatever its date


class AfterImport(enum.StrEnum):
    KEEP = "keep"  # the message stays as it was (taken is recorded here, not in the mailbox)
    SEEN = "seen"  # flagged \Seen, so a person reading the mailbox knows it was dealt with
    MOVE = "move"  # moved to `move_to`, out of the supplier's way


def validate(raw: Mapping[str, Any]) -> dict[str, Any]:
    """The settings' constructor arguments from `raw`, or `ValidationFailed` listing every broken rule."""
    checks = CHECKS
    with FieldErrors() as errors:
        errors.unknown((name for name in raw if name not in checks), "an e-mail source field")
        errors.required(raw, REQUIRED)
        values = errors.parse(raw, checks)
        if values.get("after_import") is AfterImport.MOVE and not values.get("move_to"):
            errors.refuse("move_to names the folder messages are moved to when after_import is 'move'", "move_to")
        if "security" in values and "port" not in raw:
            values["port"] = 993 if values["security"] is MailSecurity.TLS else 143
    return values


def _optional(check: Callable[[object], str]) -> Callable[[object], str]:
    """Null or empty: no filter. Anything else must pass `check`."""

    def optional(raw: object) -> str:
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            return ""
        return check(raw)

    return optional


def _sender(raw: object) -> str:
    text = bounded_text("sender", raw, MAX_SENDER_LENGTH)
    if not (_ADDRESS.match(text) or _DOMAIN.match(text)) or '"' in text or "\\" in text:
        raise InvalidValue("sender is an address (catalog@supplier.com) or a domain (@supplier.com)", field="sender")
    return text


def _mailbox(name: str) -> Callable[[object], str]:
    """An IMAP folder name as the server shows it (`INBOX`, `Suppliers/Acme`); quotes and backslashes are the
    protocol's own and are refused rather than escaped wrong."""

    def check(raw: object) -> str:
        text = bounded_text(name, raw, MAX_MAILBOX_LENGTH)
        if '"' in text or "\\" in text:
            raise InvalidValue(f"{name} must not contain quotes or backslashes", field=name)
        return text

    return check


def _choice(name: str, kind: type[enum.StrEnum]) -> Callable[[object], Any]:
    def check(raw: object) -> Any:
        try:
            return kind(raw)
        except ValueError:
            allowed = ", ".join(repr(member.value) for member in kind)
            raise InvalidValue(f"{name} must be one of {allowed}", field=name) from None

    return check


CHECKS: dict[str, Callable[[object], Any]] = {
    "host": host,
    "port": whole("port", 1, 65535),
    "username": lambda raw: bounded_text("username", raw, MAX_USERNAME_LENGTH),
    "mailbox": _mailbox("mailbox"),
    "sender": _optional(_sender),
    "subject_pattern": _optional(lambda raw: bounded_text("subject_pattern", raw, MAX_SUBJECT_PATTERN_LENGTH)),
    "pattern": lambda raw: FilePattern.parse(raw, field="pattern").value,
    "move_to": _optional(_mailbox("move_to")),
    "timeout_seconds": whole("timeout_seconds", *TIMEOUT_SECONDS),
    "schedule_minutes": schedule,
    "enabled": flag("enabled"),
    "security": _choice("security", MailSecurity),
    "mode": _choice("mode", MailMode),
    "after_import": _choice("after_import", AfterImport),
}
