"""Drive's resumable upload of a stream whose total size is known only when it ends (an export being written).

The session is opened with the file's metadata (`POST …?uploadType=resumable` → `Location`); the bytes follow in
chunks of a multiple of 256 KiB, each `PUT` saying `Content-Range: bytes a-b/*` until the last one, which gives
the total (`bytes a-b/total`, or `bytes */total` when nothing is left). Drive answers `308` with the `Range` it
has kept; what it did not keep is sent again. google-api-python-client's `MediaUpload` wants to read at any
offset, which a stream cannot, hence this loop on the same guarded, authorized transport.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import urlencode

from googleapiclient.errors import HttpError

QUANTUM = 256 * 1024
MAX_RESENDS = 3  # a server that keeps fewer bytes than sent, again and again, is not making progress


class ResumableUpload:
    def __init__(self, http: Any, upload_uri: str, chunk_size: int) -> None:
        if chunk_size <= 0 or chunk_size % QUANTUM:
            raise ValueError("a resumable upload's chunk is a multiple of 256 KiB")
        self._http = http
        self._uri = upload_uri
        self._chunk = chunk_size

    def send(self, metadata: dict[str, Any], mime_type: str, chunks: Iterable[bytes], fields: str) -> dict[str, Any]:
        session = self._open(metadata, mime_type, fields)
        pending = bytearray()
        sent = 0
        stream = iter(chunks)
        ended = False
        stalls = 0
        while True:
            ended = ended or _fill(pending, stream, self._chunk)
            if ended and len(pending) <= self._chunk:
                return self._finish(session, pending, sent)
            kept = self._put(session, bytes(pending[: self._chunk]), sent, "*")
            if kept is None:
                raise HttpError(_Status(500), b"", uri=session)  # Drive finished before the last chunk
            stalls = stalls + 1 if kept <= sent else 0
            if stalls > MAX_RESENDS:
                raise HttpError(_Status(503), b"", uri=session)
            del pending[: max(0, kept - sent)]
            sent = max(sent, kept)

    def _open(self, metadata: dict[str, Any], mime_type: str, fields: str) -> str:
        uri = f"{self._uri}?{urlencode({'uploadType': 'resumable', 'fields': fields, 'supportsAllDrives': 'true'})}"
        headers = {"Content-Type": "application/json; charset=UTF-8", "X-Upload-Content-Type": mime_type}
        response, content = self._http.request(uri, "POST", body=json.dumps(metadata), headers=headers)
        if response.status != 200 or "location" not in response:
            raise HttpError(response, content, uri=uri)
        return str(response["location"])

    def _finish(self, session: str, pending: bytearray, sent: int) -> dict[str, Any]:
        total = sent + len(pending)
        for _ in range(MAX_RESENDS + 1):
            kept = self._put(session, bytes(pending), sent, str(total), final=True)
            if kept is None:
                return self._created
            del pending[: kept - sent]
            sent = kept
        raise HttpError(_Status(503), b"", uri=session)

    def _put(self, session: str, data: bytes, start: int, total: str, final: bool = False) -> int | None:
        """Sends `data` from `start`; the offset Drive has kept up to (308), or None once the file is made."""
        content_range = f"bytes {start}-{start + len(data) - 1}/{total}" if data else f"bytes */{total}"
        headers = {"Content-Range": content_range, "Content-Length": str(len(data))}
        response, content = self._http.request(session, "PUT", body=data, headers=headers)
        if response.status in (200, 201):
            self._created: dict[str, Any] = json.loads(content)
            return None
        if response.status == 308:
            kept = response.get("range")  # "bytes=0-262143"; absent when Drive kept nothing
            return int(kept.rsplit("-", 1)[1]) + 1 if kept else 0
        raise HttpError(response, content, uri=session)


def _fill(pending: bytearray, stream: Iterator[bytes], chunk: int) -> bool:
    """Reads from `stream` until more than one chunk is pending (so the last chunk is known to be the last);
    True when the stream ended."""
    while len(pending) <= chunk:
        piece = next(stream, None)
        if piece is None:
            return True
        pending += piece
    return False


class _Status(dict[str, str]):
    """An httplib2-like response carrying only a status, for the errors raised here."""

    def __init__(self, status: int) -> None:
        super().__init__()
        self.status = status
        self.reason = "upload did not complete"
