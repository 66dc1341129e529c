"""Response headers a resource declares for all its responses, errors included."""

from __future__ import annotations

from typing import Any

import falcon


class ResourceHeaders:
    """Falcon middleware: a resource's `response_headers` (a mapping) go on every response it gives, the
    problem documents of its errors included (`process_response` runs after the error handlers)."""

    def process_response(self, req: falcon.Request, resp: falcon.Response, resource: Any, req_succeeded: bool) -> None:
        for name, value in getattr(resource, "response_headers", {}).items():
            resp.set_header(name, value)
