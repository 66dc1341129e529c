"""Receiving a supplier file: a multipart form with a `file` part and a `supplier_code` field, the file
streamed to a temporary file (never held in memory) and bounded by PM_IMPORT_MAX_BYTES."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import falcon

from productsmanager.entrypoints.falcon.imports.schemas import BODIES
from productsmanager.entrypoints.falcon.input_guard import MESSAGE, NUL
from productsmanager.entrypoints.falcon.problems import Problem

CHUNK = 1024 * 1024


@contextmanager
def received_file(req: falcon.Request, max_bytes: int) -> Iterator[tuple[Path, str, str]]:
    """(temporary path, the client's file name, supplier code); the file is deleted on exit."""
    if not (req.content_type or "").lower().startswith("multipart/form-data"):
        raise Problem(415, "Unsupported media type", "send multipart/form-data with a 'file' part and 'supplier_code'")
    folder = Path(tempfile.mkdtemp(prefix="pm-upload-"))
    try:
        path, name, code = folder / "file", None, None
        try:
            for part in req.get_media():
                if part.name == "file":
                    name = (part.filename or "upload").strip()[:255] or "upload"
                    _copy_bounded(part.stream, path, max_bytes)
                elif part.name == "supplier_code":
                    code = _text(part)
        except falcon.MediaMalformedError:
            raise Problem(400, "Invalid request", "the multipart body is malformed") from None
        missing = [field for field, value in (("file", name), ("supplier_code", code)) if not value]
        if missing:
            errors = [{"field": field, "message": "is required"} for field in missing]
            raise Problem(422, "Invalid data", f"missing: {', '.join(missing)}", errors)
        assert name is not None and code is not None
        BODIES.check_form({"supplier_code": code}, "ImportUpload")
        if NUL in name:
            message = f"the file name {MESSAGE}"
            raise Problem(422, "Invalid data", f"file: {message}", [{"field": "file", "message": message}])
        yield path, name, code
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _text(part: Any) -> str:
    """A form field's text; a part falcon cannot read as text (a non-text content type, an unknown
    charset) is a 422 naming it, not a crash."""
    try:
        text = part.get_text()
    except falcon.MediaMalformedError:
        text = None
    if text is None:
        message = "must be a text form field (text/plain, UTF-8)"
        raise Problem(422, "Invalid data", f"{part.name}: {message}", [{"field": part.name, "message": message}])
    return str(text).strip()


def _copy_bounded(stream: object, path: Path, max_bytes: int) -> None:
    size = 0
    with path.open("wb") as out:
        while chunk := stream.read(CHUNK):  # type: ignore[attr-defined]
            size += len(chunk)
            if size > max_bytes:
                raise Problem(413, "Payload too large", f"supplier files are limited to {max_bytes} bytes")
            out.write(chunk)
