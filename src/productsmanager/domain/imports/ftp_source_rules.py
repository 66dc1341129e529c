"""The rules of each field of an FTP source, checked before anything connects: a typo in a host name or a
pattern that can never match is named at once, by its field, rather than found by a failed import hours later."""

from __future__ import annotations

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

MAX_PATTERN_LENGTH = 200
MAX_DIRECTORY_LENGTH = 1024
MAX_USER_LENGTH = 256
REQUIRED = ("host", "user", "pattern")


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


def _directory(raw: object) -> str:
    """`/a/b` from the server's root, `a/b` from the directory the login lands in; `\\` read as `/`, empty and
    `.` parts dropped. `..` is refused: the source names its folder, it does not climb out of one."""
    text = bounded_text("directory", raw, MAX_DIRECTORY_LENGTH).replace("\\", "/")
    parts = [part for part in text.split("/") if part not in ("", ".")]
    if ".." in parts:
        raise InvalidValue("directory must not contain '..'", field="directory")
    if text.startswith("/"):
        return "/" + "/".join(parts)
    return "/".join(parts) or "."


def _pattern(raw: object) -> str:
    text = bounded_text("pattern", raw, MAX_PATTERN_LENGTH)
    name = text.strip().replace("\\", "/").removeprefix("./")
    if not name or "/" in name:
        raise InvalidValue("pattern matches file names (like *catalog*.csv): put folders in directory", field="pattern")
    return text


CHECKS: dict[str, Callable[[object], Any]] = {
    "host": host,
    "port": whole("port", 1, 65535),
    "user": lambda raw: bounded_text("user", raw, MAX_USER_LENGTH),
    "directory": _directory,
    "pattern": _pattern,
    "passive": flag("passive"),
    "tls": flag("tls"),
    "timeout_seconds": whole("timeout_seconds", *TIMEOUT_SECONDS),
    "schedule_minutes": schedule,
    "enabled": flag("enabled"),
}
