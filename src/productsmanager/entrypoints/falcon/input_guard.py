"""No NUL character gets past the HTTP boundary: PostgreSQL refuses it in text and JSONB (the request
would fail with a 500) and SQLite would store it, so both databases refuse it alike, here, with a 4xx
naming the parameter or field. Query and path parameters are checked for every route by middleware
(400: the request line is malformed); JSON bodies and form fields when they are read (422)."""

from __future__ import annotations

from typing import Any

import falcon

from productsmanager.entrypoints.falcon.problems import Problem, bad_request

NUL = "\x00"
MESSAGE = "must not contain NUL characters (\\u0000)"


def shown(name: str) -> str:
    """A name as an error can quote it: a NUL inside it is written as its JSON escape."""
    return name.replace(NUL, "\\u0000")


class NulGuardMiddleware:
    """Query parameters (names and values) and path parameters of every request."""

    def process_resource(
        self, req: falcon.Request, resp: falcon.Response, resource: Any, params: dict[str, Any]
    ) -> None:
        for name, value in req.params.items():
            values = value if isinstance(value, list) else [value]
            if NUL in name or any(NUL in v for v in values):
                raise bad_request(shown(name), f"query parameter '{shown(name)}' {MESSAGE}")
        for name, value in params.items():
            if isinstance(value, str) and NUL in value:
                raise bad_request(name, f"path parameter '{name}' {MESSAGE}")


def nul_fields(body: Any) -> list[str]:
    """The dotted paths (`items.0.name`, or `name` for a key) of every string or key holding a NUL, walked
    without recursion since a body may be nested as deep as the JSON parser allows."""
    found: list[str] = []
    pending: list[tuple[Any, str]] = [(body, "")]
    while pending:
        node, path = pending.pop()
        if isinstance(node, str):
            if NUL in node:
                found.append(path)
        elif isinstance(node, dict):
            for key, child in node.items():
                child_path = f"{path}.{shown(key)}" if path else shown(key)
                if NUL in key:
                    found.append(child_path)
                else:
                    pending.append((child, child_path))
        elif isinstance(node, list):
            pending.extend((child, f"{path}.{i}" if path else str(i)) for i, child in enumerate(node))
    return sorted(found)


def refuse_nul_fields(body: Any) -> None:
    fields = nul_fields(body)
    if fields:
        errors: list[dict[str, str | None]] = [{"field": f or None, "message": MESSAGE} for f in fields]
        raise Problem(422, "Invalid data", "; ".join(f"{f or 'body'}: {MESSAGE}" for f in fields), errors)
