"""Browsing the connected Drive: folders with breadcrumbs, a folder's files by glob, a file's bytes (a Sheet as
XLSX), and an upload from a multipart form streamed on to Drive (resumable beyond a few megabytes)."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator
from typing import Any

import falcon

from productsmanager.application.google.browser import DriveBrowser
from productsmanager.application.google.ports import DriveItem
from productsmanager.domain.google.drive import SHEET_MIME_TYPE, XLSX_MIME_TYPE
from productsmanager.entrypoints.falcon.google.errors import google_problems
from productsmanager.entrypoints.falcon.problems import Problem, bad_request
from productsmanager.entrypoints.falcon.requests import respond, single

DRIVE_ID = re.compile(r"^[A-Za-z0-9_-]{1,128}$")  # Drive's ids, and the alias "root"
SMALL_UPLOAD = 5 * 1024 * 1024  # beyond: a resumable session, never the whole file in memory
READ = 256 * 1024
Factory = Callable[[], DriveBrowser]


def drive_id(raw: str | None, name: str) -> str:
    if raw is None or not DRIVE_ID.match(raw):
        raise bad_request(name, "is not a Google Drive id")
    return raw


def item_json(item: DriveItem) -> dict[str, Any]:
    return {"id": item.id, "name": item.name, "mime_type": item.mime_type, "size": item.size,
            "modified_at": item.modified_at}  # fmt: skip


class FoldersResource:
    def __init__(self, browser: Factory) -> None:
        self._browser = browser

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        parent = single(req, "parent")
        with google_problems():
            listing = self._browser().folders(drive_id(parent, "parent") if parent else None)
        crumbs = [{"id": crumb.id, "name": crumb.name} for crumb in listing.breadcrumbs]
        respond(
            resp, {"parent": listing.parent, "breadcrumbs": crumbs, "items": [item_json(f) for f in listing.folders]}
        )


class FilesResource:
    def __init__(self, browser: Factory) -> None:
        self._browser = browser

    def on_get(self, req: falcon.Request, resp: falcon.Response, folder_id: str) -> None:
        folder = drive_id(folder_id, "folder_id")
        with google_problems():
            page = self._browser().files(folder, single(req, "pattern"), single(req, "cursor"))
        respond(resp, {"items": [item_json(i) for i in page.items], "next_cursor": page.next_cursor})


class DownloadResource:
    def __init__(self, browser: Factory) -> None:
        self._browser = browser

    def on_get(self, req: falcon.Request, resp: falcon.Response, file_id: str) -> None:
        with google_problems():  # the first chunk comes with the answer: Google's refusal is a problem, not a cut
            item, chunks = self._browser().download(drive_id(file_id, "file_id"))
        name = item.name + (".xlsx" if item.mime_type == SHEET_MIME_TYPE else "")
        resp.content_type = XLSX_MIME_TYPE if item.mime_type == SHEET_MIME_TYPE else "application/octet-stream"
        resp.downloadable_as = name
        resp.stream = chunks


class UploadResource:
    """A multipart form: `folder_id` (a text field, before the file) and `file`."""

    def __init__(self, browser: Factory, max_bytes: int) -> None:
        self._browser = browser
        self._max = max_bytes

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        folder: str | None = single(req, "folder_id")
        if not (req.content_type or "").lower().startswith("multipart/form-data"):
            raise Problem(415, "Unsupported media type", "send a multipart/form-data form: folder_id, then file")
        try:
            for part in req.get_media():
                if part.name == "folder_id":
                    folder = drive_id(part.get_text(), "folder_id")
                elif part.name == "file":
                    name = (part.filename or "").strip()[:255]
                    if not name or "\x00" in name:
                        raise bad_request("file", "needs a file name")
                    with google_problems():
                        item = self._send(drive_id(folder, "folder_id"), name, part.content_type, part.stream)
                    respond(resp, item_json(item), status=201)
                    return
        except falcon.MediaMalformedError:
            raise Problem(400, "Invalid request", "the multipart body is malformed") from None
        raise Problem(422, "Invalid data", "missing: file", [{"field": "file", "message": "is required"}])

    def _send(self, folder: str, name: str, mime_type: str | None, stream: Any) -> DriveItem:
        mime_type = mime_type or "application/octet-stream"
        chunks = _bounded(stream, self._max)
        head = bytearray()
        for chunk in chunks:
            head += chunk
            if len(head) > SMALL_UPLOAD:
                rest = itertools.chain([bytes(head)], chunks)
                return self._browser().upload_stream(folder, name, mime_type, rest)
        return self._browser().upload(folder, name, mime_type, bytes(head))


def _bounded(stream: Any, max_bytes: int) -> Iterator[bytes]:
    total = 0
    while chunk := stream.read(READ):
        total += len(chunk)
        if total > max_bytes:
            raise Problem(413, "Payload too large", f"a file uploaded to Drive has at most {max_bytes} bytes")
        yield chunk
