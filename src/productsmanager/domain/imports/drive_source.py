"""A supplier's shared Google Drive folder, read through the connected Google account: which folder, which of
its files are the catalog, and how often to look."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from attrs import frozen

from productsmanager.domain.errors import InvalidValue
from productsmanager.domain.field_errors import FieldErrors
from productsmanager.domain.imports.file_pattern import FilePattern
from productsmanager.domain.imports.source_rules import bounded_text, flag, schedule

MAX_FOLDER_ID_LENGTH = 200


@frozen
class DriveSourceSettings:
    """`folder_id` as Drive names it (the last part of the folder's address); `pattern` a glob of file names
    (`*catalog*.xlsx`), Google Sheets matched by their name and read as XLSX."""

    folder_id: str
    pattern: str
    schedule_minutes: int | None = None
    enabled: bool = True

    @classmethod
    def parse(cls, raw: Mapping[str, Any]) -> DriveSourceSettings:
        """From the API's JSON shape, every problem named by its field at once. Raises `ValidationFailed`."""
        with FieldErrors() as errors:
            errors.unknown((name for name in raw if name not in CHECKS), "a Google Drive source field")
            errors.required(raw, ("folder_id", "pattern"))
            values = errors.parse(raw, CHECKS)
        return cls(**values)

    @property
    def location(self) -> str:
        return f"Google Drive folder {self.folder_id}"

    def to_json(self) -> dict[str, Any]:
        return {
            "folder_id": self.folder_id,
            "pattern": self.pattern,
            "schedule_minutes": self.schedule_minutes,
            "enabled": self.enabled,
        }


def _folder_id(raw: object) -> str:
    """Drive ids are URL-safe base64 (letters, digits, `-`, `_`); `root` is the account's own "My Drive". An
    address pasted whole is refused with what to take from it rather than guessed at."""
    text = bounded_text("folder_id", raw, MAX_FOLDER_ID_LENGTH)
    if "/" in text:
        raise InvalidValue("folder_id is the last part of the folder's address, after /folders/", field="folder_id")
    if not all(c.isascii() and (c.isalnum() or c in "-_") for c in text):
        raise InvalidValue("folder_id has only letters, digits, '-' and '_'", field="folder_id")
    return text


CHECKS: dict[str, Callable[[object], Any]] = {
    "folder_id": _folder_id,
    "pattern": lambda raw: FilePattern.parse(raw, field="pattern").value,
    "schedule_minutes": schedule,
    "enabled": flag("enabled"),
}
