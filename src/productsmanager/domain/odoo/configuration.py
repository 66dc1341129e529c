"""How to reach the Odoo instance the catalog syncs with. The secret (password or API key) is not part of it:
it is stored apart, encrypted, and given to the protocol adapter for the time of a call, so the configuration
can be shown, logged and compared freely."""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from attrs import frozen

from productsmanager.domain.errors import InvalidValue
from productsmanager.domain.field_errors import FieldErrors

_DATABASE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$")
FIELDS = ("url", "database", "login", "protocol", "timeout_seconds", "batch_size", "company_id")


class OdooProtocol(enum.StrEnum):
    XMLRPC = "xmlrpc"  # /xmlrpc/2/common and /xmlrpc/2/object, every Odoo version until XML-RPC goes away
    JSON2 = "json2"  # /json/2/{model}/{method} with a bearer API key, Odoo 19 and later


@frozen
class OdooConfiguration:
    url: str
    database: str
    login: str
    protocol: OdooProtocol = OdooProtocol.XMLRPC
    timeout_seconds: int = 30
    batch_size: int = 200  # records per `create` list or lookup by barcode
    company_id: int | None = None

    @classmethod
    def parse(cls, raw: Mapping[str, Any]) -> OdooConfiguration:
        """From the API's JSON shape without the secret; every problem named by its field, all at once."""
        values: dict[str, Any] = {}
        with FieldErrors() as errors:
            errors.unknown(sorted(set(raw) - set(FIELDS)), "an Odoo setting")
            for name, check in _CHECKS.items():  # each field's refusal, required or not, in the fields' order
                if name in raw:
                    with errors.checking():
                        values[name] = check(raw[name])
                elif name in ("url", "database", "login"):
                    errors.refuse(f"{name} is required", name)
        return cls(**values)

    def to_json(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "database": self.database,
            "login": self.login,
            "protocol": self.protocol.value,
            "timeout_seconds": self.timeout_seconds,
            "batch_size": self.batch_size,
            "company_id": self.company_id,
        }


def _url(raw: object) -> str:
    try:
        parts = urlsplit(raw) if isinstance(raw, str) else None
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise InvalidValue("url must be the Odoo server's http(s) address, like https://erp.example.com", field="url")
    return str(raw).rstrip("/")


def _text(name: str, pattern: re.Pattern[str] | None = None) -> Any:
    def check(raw: object) -> str:
        if not isinstance(raw, str) or not raw.strip() or len(raw) > 200 or (pattern and not pattern.match(raw)):
            raise InvalidValue(f"{name} must be a non-empty name of at most 200 characters", field=name)
        return raw.strip()

    return check


def _whole(name: str, low: int, high: int, nullable: bool = False) -> Any:
    def check(raw: object) -> int | None:
        if raw is None and nullable:
            return None
        if isinstance(raw, bool) or not isinstance(raw, int) or not low <= raw <= high:
            raise InvalidValue(f"{name} must be a whole number from {low} to {high}", field=name)
        return raw

    return check


def _protocol(raw: object) -> OdooProtocol:
    if raw not in tuple(OdooProtocol):
        raise InvalidValue("protocol must be 'xmlrpc' or 'json2' (Odoo 19+, with an API key)", field="protocol")
    return OdooProtocol(raw)


_CHECKS = {
    "url": _url,
    "database": _text("database", _DATABASE),
    "login": _text("login"),
    "protocol": _protocol,
    "timeout_seconds": _whole("timeout_seconds", 1, 300),
    "batch_size": _whole("batch_size", 1, 1000),
    "company_id": _whole("company_id", 1, 2**31 - 1, nullable=True),
}
