"""The HTTP side of the fake Odoo: XML-RPC and JSON-2 requests decoded, run on the `FakeOdoo`, and its answers
or failures encoded as a real Odoo does (see `fake_odoo`)."""

from __future__ import annotations

import json
import time
import xmlrpc.client
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any

from tests.integration.fake_odoo_store import MODELS, OdooException

if TYPE_CHECKING:
    from tests.integration.fake_odoo import FakeOdoo

ORM_METHODS = ("search_read", "search_count", "read", "create", "write", "fields_get", "context_get")
_FAULT_CODES = {"UserError": 2, "ValidationError": 2, "MissingError": 2, "AccessDenied": 3, "AccessError": 4}
_JSON_STATUSES = {
    "AccessDenied": 401,
    "AccessError": 403,
    "MissingError": 404,
    "UserError": 422,
    "ValidationError": 422,
    "NotFound": 404,
}


NOT_FOUND_PAGE = (
    b"<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n<p>The requested URL was "
    b"not found on the server. If you entered the URL manually please check your spelling and try again.</p>\n"
)


def traceback_text(error: OdooException) -> str:
    return (
        'Traceback (most recent call last):\n  File "/opt/odoo/odoo/addons/base/controllers/rpc.py", line 165, '
        f"in xmlrpc_2\n    response = self._xmlrpc(service)\n{error.name}: {error.message}\n"
    )


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as behind a real Odoo
    disable_nagle_algorithm = True  # headers and body are two writes: no 40 ms delayed-ACK stall between them
    server: FakeOdooHTTPServer

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        time.sleep(self.server.odoo.latency_seconds)
        if self.server.odoo.http_status is not None:  # a proxy in front of a stopped Odoo
            self._send(self.server.odoo.http_status, "text/html", b"<html><body>Bad Gateway</body></html>")
        elif self.path.rstrip("/").endswith("/web/version"):
            self.server.odoo.calls[("common", "version")] += 1
            self._send(200, "application/json", json.dumps(self.server.odoo.web_version()).encode())
        else:
            self._send(404, "text/html; charset=utf-8", NOT_FOUND_PAGE)

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        time.sleep(self.server.odoo.latency_seconds)
        if self.server.odoo.http_status is not None:  # a proxy in front of a stopped Odoo
            self._send(self.server.odoo.http_status, "text/html", b"<html><body>Bad Gateway</body></html>")
        elif self.path.startswith("/xmlrpc/2/"):
            self._xmlrpc(self.path.removeprefix("/xmlrpc/2/"), body)
        elif self.path.startswith("/json/2/"):
            self._json2(self.path.removeprefix("/json/2/"), body)
        else:
            self._send(404, "text/html; charset=utf-8", NOT_FOUND_PAGE)

    def _xmlrpc(self, service: str, body: bytes) -> None:
        params, method = xmlrpc.client.loads(body, use_builtin_types=True)
        odoo = self.server.odoo
        try:
            if (service, method) == ("common", "version"):
                odoo.calls[("common", "version")] += 1
                result: Any = odoo.version_info()
            elif (service, method) == ("common", "authenticate"):
                odoo.calls[("common", "authenticate")] += 1
                database, login, secret, _ = params
                odoo.check_database(database)
                user = odoo.user(login, secret)
                result = user.uid if user else False
            elif (service, method) == ("object", "execute_kw"):
                database, uid, secret, model, name, args, *rest = params
                result = odoo.execute(database, odoo.user(uid, secret), model, name, args, rest[0] if rest else {})
            else:
                raise OdooException("KeyError", repr(method))
            answer = xmlrpc.client.dumps((result,), methodresponse=True, allow_none=False)
        except OdooException as error:
            short = error.name.rsplit(".", 1)[-1]
            code = _FAULT_CODES.get(short, 1)
            answer = xmlrpc.client.dumps(
                xmlrpc.client.Fault(code, error.message if code > 1 else traceback_text(error))
            )
        self._send(200, "text/xml", answer.encode())

    def _json2(self, route: str, body: bytes) -> None:
        odoo = self.server.odoo
        model, _, method = route.partition("/")
        authorization = self.headers.get("Authorization", "")
        key = authorization[7:] if authorization.lower().startswith("bearer ") else ""
        try:
            arguments = json.loads(body or b"{}")
            ids = arguments.pop("ids", None)
            if method == "create" and isinstance(arguments.get("vals_list"), dict):
                arguments["vals_list"] = [arguments["vals_list"]]
            args = [ids] if ids is not None else []
            user = next((u for u in odoo.users if key and u.api_key == key), None)
            database = self.headers.get("X-Odoo-Database", "")
            if database and database != odoo.database:
                # Odoo cannot open the registry, serves the request without a database, where no /json/2 route
                # exists: werkzeug's HTML 404, not a JSON error.
                odoo.calls[(model, method)] += 1
                self._send(404, "text/html; charset=utf-8", NOT_FOUND_PAGE)
                return
            if user is None:
                odoo.calls[(model, method)] += 1
                raise OdooException("werkzeug.exceptions.Unauthorized", "Invalid apikey")
            if model not in MODELS:  # the controller's own checks, answered as JSON NotFound errors
                raise OdooException("werkzeug.exceptions.NotFound", f"the model {model!r} does not exist")
            if method not in ORM_METHODS:
                message = f"The method '{method}' does not exist on the model '{model}'"
                raise OdooException("werkzeug.exceptions.NotFound", message)
            result = odoo.execute(odoo.database, user, model, method, args, arguments)
            self._send(200, "application/json", json.dumps(result).encode())
        except OdooException as error:
            short = error.name.rsplit(".", 1)[-1]
            status = 401 if short == "Unauthorized" else _JSON_STATUSES.get(short, 500)
            error_body = {
                "name": error.name,
                "message": error.message,
                "arguments": [error.message],
                "context": {},
                "debug": traceback_text(error),
            }
            self._send(status, "application/json", json.dumps(error_body).encode())

    def _send(self, status: int, content_type: str, payload: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    odoo: FakeOdoo


class FakeOdooHTTPServer(ThreadingHTTPServer):
    """One thread per connection on 127.0.0.1, on a port of the kernel's choice."""

    daemon_threads = True

    def __init__(self, odoo: FakeOdoo) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.odoo = odoo
