"""Helpers shared by resources: JSON responses and path parameter parsing."""

from __future__ import annotations

import uuid
from typing import Any

import falcon

from productsmanager.entrypoints.falcon.problems import Problem


def respond(resp: falcon.Response, body: Any, status: int = 200) -> None:
    resp.status = falcon.code_to_http_status(status)
    resp.media = body


def path_uuid(raw: str, name: str = "id") -> uuid.UUID:
    """A malformed id in the path names nothing that exists: 404, as for an unknown one."""
    try:
        return uuid.UUID(raw)
    except ValueError:
        raise Problem(404, "Not found", f"{name} {raw!r} is not a valid identifier") from None
