"""A fake Odoo on 127.0.0.1 speaking both external APIs over real HTTP against one `FakeOdooStore`:

- XML-RPC: `/xmlrpc/2/common` (`version`, `authenticate`) and `/xmlrpc/2/object` (`execute_kw`), failures as
  Odoo's faults: code 2 user error, 3 access denied, 4 access error with the message, and code 1 with a formatted
  traceback ending in the exception's class name otherwise (an unknown database is psycopg2's error).
- JSON-2 (Odoo 19+): `GET /web/version` (`{"version_info": [...], "version": "19.0"}`, as the `rpc` addon's
  controller answers), `POST /json/2/<model>/<method>` with named arguments, bearer API key and
  `X-Odoo-Database`, failures as JSON bodies `{name, message, arguments, context, debug}` with Odoo's statuses;
  an unknown database in `X-Odoo-Database` is werkzeug's HTML 404 (Odoo serves the request without a database).

`latency_seconds` is slept on every request; `seconds_per_record` (0 unless a benchmark asks for it) is slept
once more per record an ORM call reads, returns, creates or writes, as a real Odoo's work grows with the
records; `calls` counts requests per (model, method) and `written` the records each model was asked to write."""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from attrs import define, field

from tests.integration.fake_odoo_http import FakeOdooHTTPServer
from tests.integration.fake_odoo_store import FakeOdooStore, OdooException

DATABASE, VERSION = "catalog", "19.0"


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
    seconds_per_record: float = 0.0
    calls: Counter[tuple[str, str]] = field(factory=Counter)
    written: Counter[str] = field(factory=Counter)
    url: str = ""
    database: str = DATABASE
    lock: threading.RLock = field(factory=threading.RLock)  # requests are served in threads
    context_has_uid: bool = True  # False: `res.users.context_get` leaves the uid out
    contexts: list[Any] = field(factory=list)  # the `context` of every ORM call (None when none was sent)
    http_status: int | None = None  # set: every request answers this status (a proxy before a stopped Odoo)

    def __attrs_post_init__(self) -> None:
        for user in self.users:
            self.store.add("res.users", id=user.uid, name=user.login.title(), login=user.login)

    def webhook_body(
        self, model: str, record_id: int, fields: tuple[str, ...] = ("write_date", "barcode", "name"), action: int = 7
    ) -> bytes:
        """What Odoo's "Send Webhook Notification" server action posts for the record as it is now:
        `json.dumps({"_action": …, "_id": …, "_model": …, **record.read(fields)[0]}, sort_keys=True,
        default=str)` (odoo/addons/base/models/ir_actions.py, `_run_action_webhook`)."""
        with self.lock:
            values = {"_action": f"Catalog sync(#{action})", "_id": record_id, "_model": model}
            values |= self.store.read(model, [record_id], list(fields))[0]
        return json.dumps(values, sort_keys=True, default=str).encode()

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

    def web_version(self) -> dict[str, Any]:
        """`GET /web/version` (JSON-2's, needs no database): Odoo's release, under its own two names."""
        return {"version_info": [19, 0, 0, "final", 0, ""], "version": VERSION}

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
            result = self._execute(database, user, model, method, args, kwargs)
            if method == "write":
                self.written[model] += records_handled(method, args, result)
        if self.seconds_per_record:  # outside the lock: concurrent requests pay it side by side
            time.sleep(self.seconds_per_record * records_handled(method, args, result))
        return result

    def _execute(
        self, database: str, user: FakeUser | None, model: str, method: str, args: list[Any], kwargs: dict[str, Any]
    ) -> Any:
        self.check_database(database)
        if user is None:
            raise OdooException("odoo.exceptions.AccessDenied", "Access Denied")
        self.contexts.append(kwargs.get("context"))
        if method == "context_get":
            context = self.store.context_get(model, user.uid)
            return context if self.context_has_uid else {k: v for k, v in context.items() if k != "uid"}
        if not user.has_rights and model != "res.users":
            message = f"You are not allowed to access '{model}' ({model}) records.\n\n"
            message += "This operation is allowed for the following groups:\n\t- Inventory/User"
            raise OdooException("odoo.exceptions.AccessError", message)
        kwargs = {k: v for k, v in kwargs.items() if k != "context"}
        if method not in ("search_read", "search_count", "read", "create", "write", "fields_get"):
            raise OdooException("AttributeError", f"The method '{method}' does not exist on the model '{model}'")
        return getattr(self.store, method)(model, *args, **kwargs)

    def check_database(self, database: str) -> None:
        """Odoo opens the database before anything else: an unknown name fails in psycopg2, as on a real server."""
        if database != self.database:
            message = (
                f'connection to server at "127.0.0.1", port 5432 failed: FATAL:  database "{database}" does not exist'
            )
            raise OdooException("psycopg2.OperationalError", message + "\n")


def records_handled(method: str, args: list[Any], result: Any) -> int:
    """How many records an ORM call went through: those it returned (`read`, `search_read`), created or wrote."""
    if method in ("read", "search_read") or (method == "create" and isinstance(result, list)):
        return len(result)
    if method == "create":
        return 1
    if method == "write" and args and isinstance(args[0], list):
        return len(args[0])
    return 0


@contextmanager
def fake_odoo_server(odoo: FakeOdoo | None = None) -> Iterator[FakeOdoo]:
    """Serves `odoo` (a fresh one by default) on 127.0.0.1 on a free port; `odoo.url` is its address. Stopped,
    with its socket closed, on exit."""
    odoo = odoo or FakeOdoo()
    server = FakeOdooHTTPServer(odoo)
    odoo.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield odoo
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
