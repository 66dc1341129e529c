"""`OdooCatalog` over Odoo 19+'s JSON-2 API (`POST /json/2/<model>/<method>`), with the standard library.

Each call is one stateless request authenticated by `Authorization: bearer <api key>` and
`X-Odoo-Database: <db>`, with the method's arguments named in a JSON object (`ids`, `domain`, `fields`,
`vals_list`, `vals`...). There is no login call: the API key identifies the user, so `authenticate` asks
`res.users.context_get`, whose answer carries the uid, which both checks the key and tells who it belongs to
(falling back to reading the user by login when a server leaves `uid` out of the context).

`GET /web/version` answers `{"version_info": [19, 0, 0, "final", 0, ""], "version": "19.0"}` (not XML-RPC's
`server_version`). An unknown database is no JSON error: Odoo cannot open it, serves the request without a
database, finds no such route there and answers werkzeug's HTML 404 page.
"""

from __future__ import annotations

import http.client
import json
import logging
from typing import Any
from urllib.parse import quote, urlsplit

from productsmanager.adapters.http.connections import guarded_connection
from productsmanager.adapters.http.outbound_guard import OutboundGuard
from productsmanager.adapters.odoo.errors import translate_json_error, unreachable
from productsmanager.adapters.odoo.values import company_context, refuse_none
from productsmanager.application.odoo.ports import (
    OdooAuthenticationFailed,
    OdooConnection,
    OdooServerError,
    OdooServerInfo,
)

log = logging.getLogger(__name__)


class OdooJsonCatalog:
    """One Odoo database as one user over JSON-2. A connection per call: nothing is shared between calls, so
    one instance may serve several threads. Every connection goes through `guard`."""

    def __init__(self, connection: OdooConnection, guard: OutboundGuard | None = None) -> None:
        self._connection = connection
        self._guard = guard or OutboundGuard()
        parts = urlsplit(connection.url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"an Odoo URL must be http(s)://host[:port][/path], not {connection.url!r}")
        self._https = parts.scheme == "https"
        self._host, self._port = parts.hostname, parts.port
        self._base_path = parts.path.rstrip("/")

    def version(self) -> dict[str, Any]:
        """Odoo's answer with XML-RPC's names added (`server_version`, `server_version_info`), as the port says."""
        result = self._request("GET", "/web/version", None, what="version")
        if not isinstance(result, dict) or not isinstance(result.get("version", result.get("server_version")), str):
            raise OdooServerError(f"version: unexpected answer {str(result)[:200]!r}")
        return {
            "server_version": result.get("version", result.get("server_version")),
            "server_version_info": result.get("version_info", result.get("server_version_info")),
        } | result

    def authenticate(self) -> OdooServerInfo:
        version = self.version()
        context = self._call("res.users", "context_get", {})
        uid = context.get("uid") if isinstance(context, dict) else None
        if not isinstance(uid, int):
            domain = [["login", "=", self._connection.login]]
            users = self._call("res.users", "search_read", {"domain": domain, "fields": ["id"], "limit": 1})
            uid = users[0]["id"] if users else None
        if not isinstance(uid, int):
            raise OdooAuthenticationFailed(f"authenticate: no user {self._connection.login!r} for this API key")
        return OdooServerInfo(server_version=str(version.get("server_version", "")), uid=uid)

    def search_read(
        self,
        model: str,
        domain: list[Any],
        fields: list[str],
        offset: int = 0,
        limit: int | None = None,
        order: str | None = None,
    ) -> list[dict[str, Any]]:
        arguments: dict[str, Any] = {"domain": domain, "fields": fields, "offset": offset}
        arguments |= {"limit": limit} if limit is not None else {}
        arguments |= {"order": order} if order is not None else {}
        return self._call(model, "search_read", arguments)

    def read(self, model: str, ids: list[int], fields: list[str]) -> list[dict[str, Any]]:
        return self._call(model, "read", {"ids": ids, "fields": fields})

    def search_count(self, model: str, domain: list[Any]) -> int:
        return int(self._call(model, "search_count", {"domain": domain}))

    def create(self, model: str, values: dict[str, Any] | list[dict[str, Any]]) -> int | list[int]:
        """JSON-2 always answers `create` with a list of ids (the recordset); a single dict gets its one id."""
        ids = self._call(model, "create", {"vals_list": [values] if isinstance(values, dict) else values})
        return int(ids[0]) if isinstance(values, dict) else [int(i) for i in ids]

    def write(self, model: str, ids: list[int], values: dict[str, Any]) -> bool:
        return bool(self._call(model, "write", {"ids": ids, "vals": values}))

    def fields_get(self, model: str, attributes: list[str]) -> dict[str, dict[str, Any]]:
        return self._call(model, "fields_get", {"attributes": attributes})

    def _call(self, model: str, method: str, arguments: dict[str, Any]) -> Any:
        what = f"{model}.{method}"
        refuse_none(arguments, f"{what} arguments")
        if self._connection.company_id is not None:
            arguments = arguments | {"context": company_context(self._connection.company_id)}
        return self._request("POST", f"/json/2/{quote(model)}/{quote(method)}", arguments, what=what)

    def _request(self, verb: str, path: str, body: dict[str, Any] | None, *, what: str) -> Any:
        """One HTTP exchange; the answer decoded, or the port's error for the status and Odoo's error body."""
        c = self._connection
        headers = {"Accept": "application/json", "X-Odoo-Database": c.database}
        if body is not None:
            headers |= {"Content-Type": "application/json", "Authorization": f"bearer {c.secret}"}
        connection = guarded_connection(self._https, self._host, self._port, c.timeout_seconds, self._guard)
        try:
            payload = None if body is None else json.dumps(body).encode()
            connection.request(verb, self._base_path + path, body=payload, headers=headers)
            response = connection.getresponse()
            status, raw = response.status, response.read()
        except (OSError, http.client.HTTPException) as error:  # refused, reset, DNS, TLS, timeouts, blocked
            raise unreachable(what, c.url, error) from error
        finally:
            connection.close()
        try:
            decoded = json.loads(raw) if raw else None
        except ValueError:
            decoded = None
            if status < 400:
                raise OdooServerError(f"{what}: the answer is not JSON (HTTP {status})") from None
        if status >= 400:
            raise translate_json_error(status, decoded, what=what, url=c.url)
        return decoded
