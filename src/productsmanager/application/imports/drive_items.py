"""What a Drive file is to an import source: whether it is a candidate, the name the import reads, and the key
that stays the same for the same content and changes with new content.

A binary file's key is its id with Drive's MD5 checksum: a new version with new content changes it, the same
bytes uploaded again do not. A Google Sheet has no checksum (nor a size that says what its export weighs), so
its key is its id with its modification time, which every edit moves. Sheets are imported as their XLSX
export, so they are named and matched as `.xlsx` files; other Google Workspace files (documents, slides,
shortcuts, forms) have no spreadsheet to give and are left out."""

from __future__ import annotations

from datetime import UTC, datetime

from productsmanager.application.google.ports import DriveItem
from productsmanager.domain.google.drive import SHEET_MIME_TYPE
from productsmanager.domain.imports.file_pattern import FilePattern
from productsmanager.domain.imports.source_items import SourceItem

WORKSPACE_PREFIX = "application/vnd.google-apps."
XLSX_SUFFIX = ".xlsx"
SHEET_REF, FILE_REF = "sheet", "file"


def is_sheet(item: DriveItem) -> bool:
    return item.mime_type == SHEET_MIME_TYPE


def is_candidate(item: DriveItem) -> bool:
    """A file with bytes to import: a binary file or a Sheet (folders and other Workspace files are not)."""
    return is_sheet(item) or not item.mime_type.startswith(WORKSPACE_PREFIX)


def import_name(item: DriveItem) -> str:
    """The name the import reads the file by: a Sheet's gets `.xlsx` unless it already ends so."""
    if is_sheet(item) and not item.name.casefold().endswith(XLSX_SUFFIX):
        return item.name + XLSX_SUFFIX
    return item.name


def matches(pattern: FilePattern, item: DriveItem) -> bool:
    """A Sheet matches by its name as shown in Drive (`*catalog*`) or as imported (`*catalog*.xlsx`)."""
    return pattern.matches(item.name) or (is_sheet(item) and pattern.matches(import_name(item)))


def item_key(item: DriveItem) -> str:
    return f"{item.id}:{item.checksum or item.modified_at or ''}"


def modified_at(item: DriveItem) -> datetime | None:
    """Drive's RFC 3339 time (`2026-11-30T10:00:00.000Z`) as an aware UTC time; None when absent or unreadable."""
    if not item.modified_at:
        return None
    try:
        parsed = datetime.fromisoformat(item.modified_at)
    except ValueError:
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def source_item(item: DriveItem) -> SourceItem:
    """`size` only for a binary file: Drive's size of a Sheet is its storage, not its export's bytes."""
    return SourceItem(
        key=item_key(item),
        name=import_name(item),
        modified_at=modified_at(item),
        size=None if is_sheet(item) else item.size,
        ref=f"{SHEET_REF if is_sheet(item) else FILE_REF}:{item.id}",
    )


def file_id(ref: str) -> str:
    """The Drive id of an item's `ref` (ids are letters, digits, `-` and `_`: the first `:` ends the kind)."""
    return ref.partition(":")[2] or ref
