"""Rules every import source's settings share (FTP, Google Drive, e-mail): bounded texts free of control
characters (CR/LF would end a protocol command early), host names, whole numbers in a range, schedules and
flags. Each raises `InvalidValue` naming its field, for `FieldErrors` to collect."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable

from productsmanager.domain.errors import InvalidValue

SCHEDULE_MINUTES = (5, 1440)
TIMEOUT_SECONDS = (1, 300)

_LABEL = re.compile(r"^[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?$")


def bounded_text(name: str, raw: object, max_length: int) -> str:
    """Trimmed, non-empty, bounded, and free of control characters (CR/LF would end an FTP command early)."""
    if not isinstance(raw, str) or not raw.strip():
        raise InvalidValue(f"{name} must be a non-empty text", field=name)
    text = raw.strip()
    if len(text) > max_length:
        raise InvalidValue(f"{name} must be at most {max_length} characters", field=name)
    if any(ord(c) < 32 or ord(c) == 127 for c in text):
        raise InvalidValue(f"{name} must not contain control characters", field=name)
    return text


def host(raw: object) -> str:
    name = bounded_text("host", raw, 253).lower()
    if "://" in name or "/" in name or "@" in name:
        message = "host is a name or an address alone, like ftp.example.com (no scheme, path or user)"
        raise InvalidValue(message, field="host")
    try:
        return str(ipaddress.ip_address(name.removeprefix("[").removesuffix("]")))
    except ValueError:
        pass
    if ":" in name:
        raise InvalidValue("host must not include a port: the port has its own field", field="host")
    labels = name.split(".")
    if not all(_LABEL.match(label) for label in labels):
        raise InvalidValue(f"host {name!r} is not a valid host name or IP address", field="host")
    if all(label.isdigit() for label in labels):
        raise InvalidValue(f"host {name!r} is not a valid IP address", field="host")
    return name


def whole(name: str, low: int, high: int) -> Callable[[object], int]:
    def check(raw: object) -> int:
        if isinstance(raw, bool) or not isinstance(raw, int) or not low <= raw <= high:
            raise InvalidValue(f"{name} must be a whole number from {low} to {high}", field=name)
        return raw

    return check


def schedule(raw: object) -> int | None:
    if raw is None:
        return None
    low, high = SCHEDULE_MINUTES
    if isinstance(raw, bool) or not isinstance(raw, int) or not low <= raw <= high:
        raise InvalidValue(f"schedule_minutes must be null (on demand) or {low} to {high}", field="schedule_minutes")
    return raw


def flag(name: str) -> Callable[[object], bool]:
    def check(raw: object) -> bool:
        if not isinstance(raw, bool):
            raise InvalidValue(f"{name} must be true or false", field=name)
        return raw

    return check
