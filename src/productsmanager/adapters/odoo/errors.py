"""What Odoo says when it refuses, turned into the port's errors. Pure functions, shared by both protocols.

XML-RPC (`/xmlrpc/2`): Odoo answers a `Fault` whose code says the kind (2 user/validation error, 3 access
denied, 4 access error) with its message as the fault string; anything else is code 1 with the formatted
traceback, whose last line names the exception class (`odoo.exceptions.ValidationError: ...`, or
`psycopg2.OperationalError: ... database "x" does not exist`). Older servers and the legacy endpoints put the
class name in the text instead of the code, so the class name wins when there is one.

JSON-2 (`/json/2`): the HTTP status says the kind and the body is `{"name", "message", "arguments", "context",
"debug"}` with the exception's qualified class name.

HTTP itself, on both protocols: 502, 503 and 504 come from a proxy in front of an Odoo that is down or
restarting, so they are `OdooUnreachable` (transient: the task is retried). A 404 on a call that names the
database is an unknown database (JSON-2: Odoo cannot open it and answers the no-database HTML 404; XML-RPC: a
database-per-host front answers 404 for a name it does not serve); a 404 on `version`, which needs no database,
means no Odoo answers at that URL. A connection that cannot be made reads only "could not connect" (whether it
was refused, timed out or blocked by the outbound guard is in the server log).
"""

from __future__ import annotations

import logging
import re
from typing import Any

from productsmanager.adapters.http.outbound_guard import COULD_NOT_CONNECT, describe_failure
from productsmanager.application.odoo.ports import (
    OdooAccessDenied,
    OdooAuthenticationFailed,
    OdooError,
    OdooServerError,
    OdooUnknownDatabase,
    OdooUnreachable,
    OdooValidationError,
)

log = logging.getLogger(__name__)
TRANSIENT_STATUSES = (502, 503, 504)

_EXCEPTION_LINE = re.compile(r"^((?:odoo\.exceptions|psycopg2?(?:\.\w+)*|werkzeug\.exceptions)\.\w+|\w+Error): ?", re.M)
_UNKNOWN_DATABASE = re.compile(r'database "?[^"\s]*"? (?:does not exist|not found)|KeyError: .?dbname', re.I)
_USER_ERRORS = {"UserError", "ValidationError", "MissingError", "RedirectWarning", "Warning", "except_orm"}
_FAULT_CODES: dict[int, type[OdooError]] = {2: OdooValidationError, 3: OdooAuthenticationFailed, 4: OdooAccessDenied}


def split_odoo_text(text: str) -> tuple[str | None, str]:
    """(exception class, message) of a fault string: a traceback's last exception line, or the text itself."""
    matches = list(_EXCEPTION_LINE.finditer(text))
    if not matches:
        return None, text.strip()
    last = matches[-1]
    return last.group(1), text[last.end() :].strip()


def error_for_class(class_name: str | None, message: str) -> type[OdooError] | None:
    """The port's error for an Odoo exception class (qualified or not), None when the class says nothing."""
    if _UNKNOWN_DATABASE.search(message):
        return OdooUnknownDatabase
    short = (class_name or "").rsplit(".", 1)[-1]
    if short == "AccessDenied":
        return OdooAuthenticationFailed
    if short == "AccessError":
        return OdooAccessDenied
    if short in _USER_ERRORS:
        return OdooValidationError
    return None


def translate_fault(fault_code: int | str, fault_string: str, *, what: str) -> OdooError:
    """The error for an XML-RPC fault raised while doing `what` (e.g. "product.product.create")."""
    class_name, message = split_odoo_text(fault_string)
    kind = error_for_class(class_name, fault_string)
    if kind is None and isinstance(fault_code, str):  # legacy endpoints: "warning -- message", "AccessDenied"
        head = fault_code.split(" -- ", 1)[0].strip()
        kind = OdooValidationError if head.lower() == "warning" else error_for_class(head, fault_string)
    if kind is None and isinstance(fault_code, int):
        kind = _FAULT_CODES.get(fault_code)
    kind = kind or OdooServerError
    return kind(_describe(kind, what, message), odoo_message=message or fault_string)


def unreachable(what: str, url: str, error: BaseException) -> OdooUnreachable:
    """A connection that failed (refused, reset, DNS, TLS, timeout, blocked): the log says how, the user only
    that it could not connect, so that the Odoo URL field cannot be used to probe hosts and ports."""
    log.warning("%s: no connection to %s: %s", what, url, describe_failure(error))
    return OdooUnreachable(f"{what}: {COULD_NOT_CONNECT} to {url}")


def translate_http_status(status: int, *, what: str, url: str, reason: str = "") -> OdooError | None:
    """The error an HTTP status says by itself (see the module's notes), None when Odoo's answer must say it."""
    if status in TRANSIENT_STATUSES:
        return OdooUnreachable(f"{what}: {url} answered HTTP {status} {reason}".rstrip(), odoo_message=reason or None)
    if status == 404 and what == "version":
        return OdooServerError(f"version: no Odoo answers at {url} (HTTP 404)")
    if status == 404:
        message = f"{what}: the database does not exist (HTTP 404 from {url})"
        return OdooUnknownDatabase(message, odoo_message=reason or None)
    return None


def translate_json_error(status: int, body: Any, *, what: str, url: str = "") -> OdooError:
    """The error for a JSON-2 answer with HTTP `status` and decoded `body` (None when it was not JSON)."""
    if not (isinstance(body, dict) and body.get("name")):  # not Odoo's JSON error: HTTP's own meaning
        by_status = translate_http_status(status, what=what, url=url)
        if by_status is not None:
            return by_status
    name = body.get("name") if isinstance(body, dict) else None
    message = str(body.get("message") or "") if isinstance(body, dict) else ""
    kind = error_for_class(name, message)
    if kind is None:
        if status == 401:
            kind = OdooAuthenticationFailed
        elif status == 403:
            kind = OdooAccessDenied
        elif status == 422:
            kind = OdooValidationError
        else:
            kind = OdooServerError
    detail = message or f"HTTP {status}"
    return kind(_describe(kind, what, detail), odoo_message=message or None)


def _describe(kind: type[OdooError], what: str, message: str) -> str:
    summary = " ".join(line.strip(" -\t") for line in message.splitlines() if line.strip())
    summary = summary if len(summary) <= 200 else summary[:199] + "…"
    reasons = {
        OdooUnknownDatabase: "the database does not exist",
        OdooAuthenticationFailed: "wrong login, password or API key",
        OdooAccessDenied: "the user lacks the access rights",
        OdooValidationError: "Odoo refused the values",
    }
    reason = reasons.get(kind, "Odoo failed")
    return f"{what}: {reason}" + (f" ({summary})" if summary else "")
