"""A fake Odoo on 127.0.0.1 speaking both external APIs over real HTTP against one `FakeOdooStore`:

- XML-RPC: `/xmlrpc/2/common` (`version`, `authenticate`) and `/xmlrpc/2/object` (`execute_kw`), failures as
  Odoo's faults: code 2 user error, 3 access denied, 4 access error with the message, and code 1 with a formatted
  traceback ending in the exception's class name otherwise (an unknown database is psycopg2's error).
- JSON-2 (Odoo 19+): `GET /web/version`, `POST /json/2/<model>/<method>` with named arguments, bearer API key and
  `X-Odoo-Database`, failures as JSON bodies `{name, message, arguments, context, debug}` with Odoo's statuses.

`latency_seconds` is slept on every request; `calls` counts requests per (model, method)."""

from __future__ import annotations

import json
import threading
import time
import xmlrpc.client
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from attrs import define, field

from tests.integration.fake_odoo_store import FakeOdooStore, OdooException

DATABASE, VERSION = "catalog", "19.0"
_FAULT_CODES = {"UserError": 2, "ValidationError": 2, "MissingError": 2, "AccessDenied": 3, "AccessError": 4}
_JSON_STATUSES = {
    "AccessDenied": 401,
    "AccessError": 403,
    "MissingError": 404,
    "UserError": 422,
    "ValidationError": 422,
    "NotFound": 404,
}


@define
class FakeUser:
    uid: int
    login: str
    password: str
    api_key: str
    has_rights: bool = True


@define
class FakeOdoo:
    store: FakeOdooStore = field(factory=FakeOdooStore)
    users: list[FakeUser] = field(factory=lambda: [FakeUser(2, "admin", "admin-password", "admin-api-key")])
    latency_seconds: float = 0.0
    calls: Counter[tuple[str, str]] = field(factory=Counter)
    url: str = ""
    lock: threading.RLock = field(factory=threading.RLock)  # requests are served in threads

    def __attrs_post_init__(self) -> None:
        for user in self.users:
            self.store.add("res.users", id=user.uid, name=user.login.title(), login=user.login)

    def add_user(self, user: FakeUser) -> FakeUser:
        self.users.append(user)
        self.store.add("res.users", id=user.uid, name=user.login.title(), login=user.login)
        return user

    def version_info(self) -> dict[str, Any]:
        return {
            "server_version": VERSION,
            "server_version_info": [19, 0, 0, "final", 0, ""],
            "server_serie": VERSION,
            "protocol_version": 1,
        }

    def user(self, login_or_uid: Any, secret: str) -> FakeUser | None:
        """The user of those credentials (a password or an API key, as Odoo's RPC accepts either)."""
        return next(
            (u for u in self.users if login_or_uid in (u.login, u.uid) and secret in (u.password, u.api_key)), None
        )

    def execute(
        self, database: str, user: FakeUser | None, model: str, method: str, args: list[Any], kwargs: dict[str, Any]
    ) -> Any:
        """One ORM call as Odoo runs it: database, then credentials, then access rights, then the method."""
        with self.lock:
            self.calls[(model, method)] += 1
            return self._execute(database, user, model, method, args, kwargs)

    def _execute(
        self, database: str, user: FakeUser | None, model: str, method: str, args: list[Any], kwargs: dict[str, Any]
    ) -> Any:
        check_database(database)
        if user is None:
            raise OdooException("odoo.exceptions.AccessDenied", "Access Denied")
        if method == "context_get":
            return self.store.context_get(model, user.uid)
        if not user.has_rights and model != "res.users":
            message = f"You are not allowed to access '{model}' ({model}) records.\n\n"
            message += "This operation is allowed for the following groups:\n\t- Inventory/User"
            raise OdooException("odoo.exceptions.AccessError", message)
        kwargs = {k: v for k, v in kwargs.items() if k != "context"}
        if method not in ("search_read", "search_count", "read", "create", "write", "fields_get"):
            raise OdooException("AttributeError", f"The method '{method}' does not exist on the model '{model}'")
        return getattr(self.store, method)(model, *args, **kwargs)


def check_database(database: str) -> None:
    if database != DATABASE:
        raise OdooException(
            "psycopg2.OperationalError",
            f'connection to server at "127.0.0.1", port 5432 failed: FATAL:  database "{database}" does not exist\n',
        )


def traceback_text(error: OdooException) -> str:
    return (
        'Traceback (most recent call last):\n  File "/opt/odoo/odoo/addons/base/controllers/rpc.py", line 165, '
        f"in xmlrpc_2\n    response = self._xmlrpc(service)\n{error.name}: {error.message}\n"
    )


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as behind a real Odoo
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        time.sleep(self.server.odoo.latency_seconds)
        if self.path.rstrip("/").endswith("/web/version"):
            self.server.odoo.calls[("common", "version")] += 1
            self._send(200, "application/json", json.dumps(self.server.odoo.version_info()).encode())
        else:
            self._send(404, "text/html", b"<html><body>Not Found</body></html>")

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        time.sleep(self.server.odoo.latency_seconds)
        if self.path.startswith("/xmlrpc/2/"):
            self._xmlrpc(self.path.removeprefix("/xmlrpc/2/"), body)
        elif self.path.startswith("/json/2/"):
            self._json2(self.path.removeprefix("/json/2/"), body)
        else:
            self._send(404, "text/html", b"<html><body>Not Found</body></html>")

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
                check_database(database)
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
            if database and database != DATABASE:
                odoo.calls[(model, method)] += 1
                raise OdooException("werkzeug.exceptions.NotFound", f'Database "{database}" not found.')
            if user is None:
                odoo.calls[(model, method)] += 1
                raise OdooException("werkzeug.exceptions.Unauthorized", "Invalid apikey")
            result = odoo.execute(DATABASE, user, model, method, args, arguments)
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


@contextmanager
def fake_odoo_server(odoo: FakeOdoo | None = None) -> Iterator[FakeOdoo]:
    """Serves `odoo` (a fresh one by default) on 127.0.0.1 on a free port; `odoo.url` is its address. Stopped,
    with its socket closed, on exit."""
    odoo = odoo or FakeOdoo()
    server = _Server(("127.0.0.1", 0), _Handler)
    server.odoo = odoo
    odoo.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield odoo
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
