"""The rules of each field of an FTP source, checked before anything connects: a typo in a host name or a
pattern that can never match is named at once, by its field, rather than found by a failed import hours later."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Mapping
from typing import Any

from productsmanager.domain.errors import InvalidValue
from productsmanager.domain.field_errors import FieldErrors
from productsmanager.domain.imports.file_pattern import FilePattern

MAX_PATTERN_LENGTH = 200
MAX_DIRECTORY_LENGTH = 1024
MAX_USER_LENGTH = 256
SCHEDULE_MINUTES = (5, 1440)
TIMEOUT_SECONDS = (1, 300)
REQUIRED = ("host", "user", "pattern")

_LABEL = re.compile(r"^[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?$")


def validate(raw: Mapping[str, Any]) -> dict[str, Any]:
    """The settings' constructor arguments from `raw`, or `ValidationFailed` listing every broken rule."""
    with FieldErrors() as errors:
        errors.unknown((name for name in raw if name not in CHECKS), "an FTP source field")
        errors.required(raw, REQUIRED)
        values = errors.parse(raw, CHECKS)
    return values


def matches(pattern: str, name: str) -> bool:
    """Whether a file name matches the source's glob: the one rule of `FilePattern` (case-insensitive,
    trimmed, `\\` read as `/`, no leading `./`), so FTP sources and other file sources agree."""
    return FilePattern.parse(pattern).matches(name)


def _text(name: str, raw: object, max_length: int) -> str:
    """Trimmed, non-empty, bounded, and free of control characters (CR/LF would end an FTP command early)."""
    if not isinstance(raw, str) or not raw.strip():
        raise InvalidValue(f"{name} must be a non-empty text", field=name)
    text = raw.strip()
    if len(text) > max_length:
        raise InvalidValue(f"{name} must be at most {max_length} characters", field=name)
    if any(ord(c) < 32 or ord(c) == 127 for c in text):
        raise InvalidValue(f"{name} must not contain control characters", field=name)
    return text


def _host(raw: object) -> str:
    host = _text("host", raw, 253).lower()
    if "://" in host or "/" in host or "@" in host:
        message = "host is a name or an address alone, like ftp.example.com (no scheme, path or user)"
        raise InvalidValue(message, field="host")
    try:
        return str(ipaddress.ip_address(host.removeprefix("[").removesuffix("]")))
    except ValueError:
        pass
    if ":" in host:
        raise InvalidValue("host must not include a port: the port has its own field", field="host")
    labels = host.split(".")
    if not all(_LABEL.match(label) for label in labels):
        raise InvalidValue(f"host {host!r} is not a valid host name or IP address", field="host")
    if all(label.isdigit() for label in labels):
        raise InvalidValue(f"host {host!r} is not a valid IP address", field="host")
    return host


def _whole(name: str, low: int, high: int) -> Callable[[object], int]:
    def check(raw: object) -> int:
        if isinstance(raw, bool) or not isinstance(raw, int) or not low <= raw <= high:
            raise InvalidValue(f"{name} must be a whole number from {low} to {high}", field=name)
        return raw

    return check


def _schedule(raw: object) -> int | None:
    if raw is None:
        return None
    low, high = SCHEDULE_MINUTES
    if isinstance(raw, bool) or not isinstance(raw, int) or not low <= raw <= high:
        raise InvalidValue(f"schedule_minutes must be null (on demand) or {low} to {high}", field="schedule_minutes")
    return raw


def _bool(name: str) -> Callable[[object], bool]:
    def check(raw: object) -> bool:
        if not isinstance(raw, bool):
            raise InvalidValue(f"{name} must be true or false", field=name)
        return raw

    return check


def _directory(raw: object) -> str:
    """`/a/b` from the server's root, `a/b` from the directory the login lands in; `\\` read as `/`, empty and
    `.` parts dropped. `..` is refused: the source names its folder, it does not climb out of one."""
    text = _text("directory", raw, MAX_DIRECTORY_LENGTH).replace("\\", "/")
    parts = [part for part in text.split("/") if part not in ("", ".")]
    if ".." in parts:
        raise InvalidValue("directory must not contain '..'", field="directory")
    if text.startswith("/"):
        return "/" + "/".join(parts)
    return "/".join(parts) or "."


def _pattern(raw: object) -> str:
    text = _text("pattern", raw, MAX_PATTERN_LENGTH)
    name = text.strip().replace("\\", "/").removeprefix("./")
    if not name or "/" in name:
        raise InvalidValue("pattern matches file names (like *catalog*.csv): put folders in directory", field="pattern")
    return text


CHECKS: dict[str, Callable[[object], Any]] = {
    "host": _host,
    "port": _whole("port", 1, 65535),
    "user": lambda raw: _text("user", raw, MAX_USER_LENGTH),
    "directory": _directory,
    "pattern": _pattern,
    "passive": _bool("passive"),
    "tls": _bool("tls"),
    "timeout_seconds": _whole("timeout_seconds", *TIMEOUT_SECONDS),
    "schedule_minutes": _schedule,
    "enabled": _bool("enabled"),
}
