"""The Drive side of the fake Google: files in memory, `files.list`'s query language (the subset used: `'id' in
parents`, `mimeType = / != '...'`, `trashed = false`, `name contains '...'`, joined by `and`), `fields` partial
answers and Drive's error bodies (`{"error": {"code", "message", "errors": [{"domain", "reason", "message"...}],
"status"}}`, as https://developers.google.com/drive/api/guides/handle-errors shows them)."""

from __future__ import annotations

import hashlib
import re
from typing import Any

from attrs import define, field

FOLDER = "application/vnd.google-apps.folder"
WORKSPACE = "application/vnd.google-apps."
EXPORT_LIMIT = 10 * 1024 * 1024  # files.export: "the exported content is limited to 10MB"
_CLAUSE = re.compile(
    r"""\s*(?:'(?P<parent>(?:[^'\\]|\\.)*)'\s+in\s+parents"""
    r"""|(?P<key>mimeType|trashed|name)\s*(?P<op>!=|=|contains)\s*(?P<value>'(?:[^'\\]|\\.)*'|true|false))\s*"""
)


def drive_error(code: int, reason: str, message: str, status: str | None = None, **where: str) -> dict[str, Any]:
    entry = {"message": message, "domain": "usageLimits" if "RateLimit" in reason else "global", "reason": reason}
    error: dict[str, Any] = {"code": code, "message": message, "errors": [{**entry, **where}]}
    if status:
        error["status"] = status
    return {"error": error}


UNAUTHENTICATED = drive_error(
    401, "authError", "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie "
    "or other valid authentication credential.", "UNAUTHENTICATED", location="Authorization", locationType="header",
)  # fmt: skip
RATE_LIMITED = drive_error(403, "userRateLimitExceeded", "User Rate Limit Exceeded", "PERMISSION_DENIED")
EXPORT_TOO_LARGE = drive_error(403, "exportSizeLimitExceeded", "This file is too large to be exported.",
                               "PERMISSION_DENIED")  # fmt: skip


def not_found(file_id: str) -> dict[str, Any]:
    return drive_error(404, "notFound", f"File not found: {file_id}.", "NOT_FOUND", location="fileId",
                       locationType="parameter")  # fmt: skip


@define
class DriveFile:
    id: str
    name: str
    mimeType: str
    parents: list[str]
    content: bytes = b""
    trashed: bool = False
    modifiedTime: str = "2026-11-30T10:00:00.000Z"
    export: bytes | None = None  # what files.export answers for a Sheet (else "PK\x03\x04" + content)

    def resource(self) -> dict[str, Any]:
        """Binary files have `size` and `md5Checksum` (hex); Workspace editor files (a Sheet) a `size` (the
        storage they use, not their export's) and no checksum; folders neither (Drive v3's File resource)."""
        found = {"kind": "drive#file", "id": self.id, "name": self.name, "mimeType": self.mimeType,
                 "parents": self.parents, "modifiedTime": self.modifiedTime}  # fmt: skip
        if self.mimeType != FOLDER:
            found["size"] = str(len(self.content))  # Drive sends int64 as a string
        if not self.mimeType.startswith(WORKSPACE):
            found["md5Checksum"] = hashlib.md5(self.content).hexdigest()
        return found


@define
class DriveStore:
    files: dict[str, DriveFile] = field(factory=dict)
    export_limit: int = EXPORT_LIMIT

    def add(self, file_id: str, name: str, mime_type: str, parent: str, content: bytes = b"") -> DriveFile:
        self.files[file_id] = DriveFile(file_id, name, mime_type, [parent], content)
        return self.files[file_id]

    def revise(self, file_id: str, modified: str, content: bytes | None = None, export: bytes | None = None) -> None:
        """A new revision of the file, its id kept (an upload of a new version, an edit of a Sheet)."""
        file = self.files[file_id]
        file.modifiedTime = modified
        file.content = file.content if content is None else content
        file.export = file.export if export is None else export

    def exported(self, file: DriveFile) -> bytes | None:
        """A Sheet's XLSX export; None when it is over Drive's export limit."""
        data = file.export if file.export is not None else b"PK\x03\x04" + file.content
        return None if len(data) > self.export_limit else data

    def query(self, q: str) -> list[DriveFile] | None:
        """The files `q` selects, by name; None when `q` is not of the subset (Drive: 400 invalid)."""
        tests = []
        for clause in re.split(r"\s+and\s+(?=(?:[^']*'[^']*')*[^']*$)", q.strip()):
            match = _CLAUSE.fullmatch(clause)
            if match is None:
                return None
            tests.append(_test(match))
        return sorted((f for f in self.files.values() if all(t(f) for t in tests)), key=lambda f: f.name)


def _test(match: re.Match[str]) -> Any:
    if match["parent"] is not None:
        parent = _unquote(match["parent"])
        return lambda f: parent in f.parents
    key, op, raw = match["key"], match["op"], match["value"]
    value = _unquote(raw[1:-1]) if raw.startswith("'") else raw == "true"
    if op == "contains":
        return lambda f: str(value).casefold() in getattr(f, key).casefold()
    if op == "=":
        return lambda f: getattr(f, key) == value
    return lambda f: getattr(f, key) != value


def _unquote(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def partial(resource: dict[str, Any], fields: str | None) -> dict[str, Any]:
    """`fields=id, name, parents`: only those keys (Drive's partial response, one level)."""
    if not fields:
        return {k: resource[k] for k in ("kind", "id", "name", "mimeType") if k in resource}
    wanted = {name.strip() for name in fields.split(",")}
    return {k: v for k, v in resource.items() if k in wanted}


def list_fields(fields: str | None) -> str | None:
    """The file fields of `nextPageToken, files(id, name)`."""
    found = re.search(r"files\(([^)]*)\)", fields or "")
    return found[1] if found else None
