"""Reading an uploaded image: multipart `file` part or a raw body, bounded so that an oversized upload is
refused (413) without being held in memory whole."""

from __future__ import annotations

import falcon

from productsmanager.entrypoints.falcon.input_guard import MESSAGE, NUL
from productsmanager.entrypoints.falcon.problems import Problem


def read_upload(req: falcon.Request, max_bytes: int) -> tuple[bytes, str | None]:
    """The file's bytes and the name the client gave it (display only). The client's content type is
    ignored: the image is identified by its content."""
    if req.content_length is not None and req.content_length > max_bytes + 64 * 1024:
        raise _too_large(max_bytes)
    content_type = (req.content_type or "").lower()
    if content_type.startswith("multipart/form-data"):
        try:
            for part in req.get_media():
                if part.name == "file":
                    if part.filename and NUL in part.filename:
                        message = f"the file name {MESSAGE}"
                        raise Problem(422, "Invalid data", f"file: {message}", [{"field": "file", "message": message}])
                    return _bounded(part.stream, max_bytes), part.filename
        except falcon.MediaMalformedError:
            raise Problem(400, "Invalid request", "the multipart body is malformed") from None
        raise Problem(
            400,
            "Invalid request",
            "send the image in a multipart part named 'file'",
            [{"field": "file", "message": "is required"}],
        )
    if not content_type:
        raise Problem(415, "Unsupported media type", "send multipart/form-data with a 'file' part, or the raw image")
    data = _bounded(req.bounded_stream, max_bytes)
    if not data:
        raise Problem(400, "Invalid request", "the request body is empty", [{"field": "file", "message": "is empty"}])
    return data, None


def _bounded(stream: object, max_bytes: int) -> bytes:
    data: bytes = stream.read(max_bytes + 1)  # type: ignore[attr-defined]
    if len(data) > max_bytes:
        raise _too_large(max_bytes)
    return data


def _too_large(max_bytes: int) -> Problem:
    return Problem(413, "Payload too large", f"images are limited to {max_bytes} bytes (PM_MEDIA_MAX_BYTES)")
