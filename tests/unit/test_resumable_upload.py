"""The resumable upload's loop against a scripted Drive: what Drive did not keep (its 308 `Range`) is sent again,
the last chunk carries the total, and a session that never progresses ends in an error rather than a loop."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from googleapiclient.errors import HttpError

from productsmanager.adapters.google.resumable import QUANTUM, ResumableUpload


class Response(dict[str, str]):
    def __init__(self, status: int, **headers: str) -> None:
        super().__init__(headers)
        self.status = status


class ScriptedDrive:
    """Keeps at most `keep` bytes of each PUT (Drive may persist less than it received)."""

    def __init__(self, keep: int | None = None) -> None:
        self.keep = keep
        self.data = bytearray()
        self.ranges: list[str] = []

    def request(self, uri: str, method: str, body: Any = None, headers: dict[str, str] | None = None) -> Any:
        if method == "POST":
            return Response(200, location="https://upload.example/session"), b""
        assert headers is not None
        self.ranges.append(headers["Content-Range"])
        sent = re.fullmatch(r"bytes (?:(\d+)-\d+|\*)/(\d+|\*)", headers["Content-Range"])
        assert sent is not None and (sent[1] is None or int(sent[1]) == len(self.data))
        self.data += body[: self.keep] if self.keep is not None else body
        if sent[2] != "*" and int(sent[2]) == len(self.data):
            return Response(200), json.dumps({"id": "new", "name": "x"}).encode()
        return Response(308, **({"range": f"bytes=0-{len(self.data) - 1}"} if self.data else {})), b""


def test_bytes_drive_did_not_keep_are_sent_again() -> None:
    drive = ScriptedDrive(keep=QUANTUM)
    payload = bytes(range(256)) * 5000  # 1,280,000 bytes in chunks of 2 x 256 KiB
    created = ResumableUpload(drive, "https://x/upload/drive/v3/files", 2 * QUANTUM).send(
        {"name": "x"}, "text/csv", iter([payload[i : i + 70_000] for i in range(0, len(payload), 70_000)]), "id"
    )
    assert created["id"] == "new" and bytes(drive.data) == payload
    assert drive.ranges[1] == f"bytes {QUANTUM}-{3 * QUANTUM - 1}/*" and drive.ranges[-1].endswith("/1280000")


def test_an_empty_stream_makes_an_empty_file() -> None:
    drive = ScriptedDrive()
    ResumableUpload(drive, "https://x/upload", QUANTUM).send({"name": "x"}, "text/csv", iter([]), "id")
    assert drive.ranges == ["bytes */0"]


def test_a_session_that_keeps_nothing_ends_in_an_error() -> None:
    with pytest.raises(HttpError):
        ResumableUpload(ScriptedDrive(keep=0), "https://x/upload", QUANTUM).send(
            {"name": "x"}, "text/csv", iter([b"a" * (3 * QUANTUM)]), "id"
        )


def test_a_chunk_is_a_multiple_of_256_kib() -> None:
    with pytest.raises(ValueError, match="256 KiB"):
        ResumableUpload(ScriptedDrive(), "https://x/upload", 1000)
