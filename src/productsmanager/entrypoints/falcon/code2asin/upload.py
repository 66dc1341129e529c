"""Receiving a results file: a multipart form with a `file` part and optional `mapping` (JSON text) and
`marketplace` fields, the file streamed to a temporary file (never held in memory) and bounded by
PM_IMPORT_MAX_BYTES, as supplier files are."""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import falcon
from attrs import frozen

from productsmanager.entrypoints.falcon.code2asin.schemas import BODIES
from productsmanager.entrypoints.falcon.input_guard import MESSAGE, NUL
from productsmanager.entrypoints.falcon.problems import Problem

CHUNK = 1024 * 1024
FIELDS = ("mapping", "marketplace")


@frozen
class ResultsUpload:
    path: Path
    file_name: str
    mapping: dict[str, str] | None
    marketplace: str | None


@contextmanager
def received_results(req: falcon.Request, max_bytes: int) -> Iterator[ResultsUpload]:
    """The upload; its temporary file is deleted on exit."""
    folder = Path(tempfile.mkdtemp(prefix="pm-code2asin-"))
    try:
        path, name, fields = folder / "file", None, {}
        try:
            for part in req.get_media():
                if part.name == "file":
                    name = (part.filename or "results").strip()[:255] or "results"
                    _copy_bounded(part.stream, path, max_bytes)
                elif part.name in FIELDS:
                    fields[part.name] = _text(part)
        except falcon.MediaMalformedError:
            raise Problem(400, "Invalid request", "the multipart body is malformed") from None
        if name is None:
            raise Problem(422, "Invalid data", "missing: file", [{"field": "file", "message": "is required"}])
        BODIES.check_form(fields, "Code2AsinJobCreate")
        if NUL in name:
            message = f"the file name {MESSAGE}"
            raise Problem(422, "Invalid data", f"file: {message}", [{"field": "file", "message": message}])
        yield ResultsUpload(path, name, _mapping(fields.get("mapping")), fields.get("marketplace") or None)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _mapping(raw: str | None) -> dict[str, str] | None:
    if not raw:
        return None
    try:
        value = json.loads(raw)
    except ValueError:
        value = None
    if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        message = "must be a JSON object of field names to column names"
        raise Problem(422, "Invalid data", f"mapping: {message}", [{"field": "mapping", "message": message}])
    return value


def _text(part: Any) -> str:
    try:
        text = part.get_text()
    except falcon.MediaMalformedError:
        text = None
    if text is None:
        message = "must be a text form field (text/plain, UTF-8)"
        raise Problem(422, "Invalid data", f"{part.name}: {message}", [{"field": part.name, "message": message}])
    return str(text).strip()


def _copy_bounded(stream: Any, path: Path, max_bytes: int) -> None:
    size = 0
    with path.open("wb") as out:
        while chunk := stream.read(CHUNK):
            size += len(chunk)
            if size > max_bytes:
                raise Problem(413, "Payload too large", f"results files are limited to {max_bytes} bytes")
            out.write(chunk)
