"""`OdooCatalog` over Odoo's XML-RPC API (`/xmlrpc/2/common` and `/xmlrpc/2/object`), with the standard library.

The answers are parsed by defusedxml's expat parser (no entity expansion, no external entities: a hostile or
hijacked server cannot blow up the worker), every socket has the connection's timeout, and `allow_none` stays
off: `None` is refused before sending (see `refuse_none`). XML-RPC is deprecated from Odoo 19 (JSON-2 replaces
it) but is the only external API of the versions before.
"""

from __future__ import annotations

import http.client
import threading
import xml.parsers.expat
import xmlrpc.client
from typing import Any
from urllib.parse import urlsplit

from defusedxml import DefusedXmlException
from defusedxml.xmlrpc import DefusedExpatParser

from productsmanager.adapters.http.connections import guarded_connection
from productsmanager.adapters.http.outbound_guard import OutboundGuard
from productsmanager.adapters.odoo.errors import translate_fault, translate_http_status, unreachable
from productsmanager.adapters.odoo.values import company_context, refuse_none
from productsmanager.application.odoo.ports import (
    OdooAuthenticationFailed,
    OdooConnection,
    OdooServerError,
    OdooServerInfo,
)


class _HardenedTransportMixin:
    """Connections through the outbound guard with a timeout, a defused parser, and no gzip (an unbounded
    decompression is a bomb). The connection is kept alive between calls, as xmlrpc.client's own is."""

    accept_gzip_encoding = False
    timeout: float = 30.0
    guard: OutboundGuard = OutboundGuard()
    https = False

    def make_connection(self, host: Any) -> http.client.HTTPConnection:
        cached = getattr(self, "_connection", (None, None))
        if cached[1] is not None and host == cached[0]:
            return cached[1]
        chost, self._extra_headers, _x509 = self.get_host_info(host)  # type: ignore[attr-defined]
        where = urlsplit(f"//{chost}")  # "host", "host:8069" or "[::1]:8069"
        connection = guarded_connection(self.https, where.hostname or chost, where.port, self.timeout, self.guard)
        self._connection = host, connection
        return connection

    def getparser(self) -> tuple[Any, xmlrpc.client.Unmarshaller]:
        unmarshaller = xmlrpc.client.Unmarshaller(use_datetime=False, use_builtin_types=True)
        return DefusedExpatParser(unmarshaller), unmarshaller

    def parse_response(self, response: http.client.HTTPResponse) -> Any:
        if response.getheader("Content-Encoding", "") == "gzip":
            raise xmlrpc.client.ProtocolError("", response.status, "unrequested gzip body", {})
        return super().parse_response(response)  # type: ignore[misc]


class _Transport(_HardenedTransportMixin, xmlrpc.client.Transport):
    pass


class _SafeTransport(_HardenedTransportMixin, xmlrpc.client.SafeTransport):
    https = True


class OdooXmlRpcCatalog:
    """One Odoo database as one user over XML-RPC. The uid is asked once (`authenticate`) and reused; the HTTP
    connections are kept alive between calls, so one instance serves one thread at a time (calls are locked).
    Every connection goes through `guard`."""

    def __init__(self, connection: OdooConnection, guard: OutboundGuard | None = None) -> None:
        self._connection = connection
        self._guard = guard or OutboundGuard()
        self._uid: int | None = None
        self._lock = threading.Lock()
        base = connection.url.rstrip("/")
        self._common = self._proxy(f"{base}/xmlrpc/2/common")
        self._object = self._proxy(f"{base}/xmlrpc/2/object")

    def _proxy(self, url: str) -> xmlrpc.client.ServerProxy:
        transport = _SafeTransport() if urlsplit(url).scheme == "https" else _Transport()
        transport.timeout = self._connection.timeout_seconds
        transport.guard = self._guard
        return xmlrpc.client.ServerProxy(url, transport=transport, allow_none=False, use_builtin_types=True)

    def version(self) -> dict[str, Any]:
        result = self._call(self._common, "version", (), what="version")
        if not isinstance(result, dict):
            raise OdooServerError(f"version: unexpected answer {result!r}")
        return result

    def authenticate(self) -> OdooServerInfo:
        version = self.version()
        c = self._connection
        uid = self._call(self._common, "authenticate", (c.database, c.login, c.secret, {}), what="authenticate")
        if not isinstance(uid, int) or isinstance(uid, bool) or uid <= 0:
            raise OdooAuthenticationFailed(f"authenticate: wrong login, password or API key for {c.login!r}")
        self._uid = uid
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
        options: dict[str, Any] = {"fields": fields, "offset": offset}
        options |= {"limit": limit} if limit is not None else {}
        options |= {"order": order} if order is not None else {}
        return self._execute(model, "search_read", [domain], options)

    def read(self, model: str, ids: list[int], fields: list[str]) -> list[dict[str, Any]]:
        return self._execute(model, "read", [ids], {"fields": fields})

    def search_count(self, model: str, domain: list[Any]) -> int:
        return int(self._execute(model, "search_count", [domain], {}))

    def create(self, model: str, values: dict[str, Any] | list[dict[str, Any]]) -> int | list[int]:
        return self._execute(model, "create", [values], {})

    def write(self, model: str, ids: list[int], values: dict[str, Any]) -> bool:
        return bool(self._execute(model, "write", [ids, values], {}))

    def fields_get(self, model: str, attributes: list[str]) -> dict[str, dict[str, Any]]:
        return self._execute(model, "fields_get", [], {"attributes": attributes})

    def _execute(self, model: str, method: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
        refuse_none(args, f"{model}.{method} arguments")
        refuse_none(kwargs, f"{model}.{method} options")
        uid = self._uid if self._uid is not None else self.authenticate().uid
        c = self._connection
        kwargs = kwargs | ({"context": company_context(c.company_id)} if c.company_id is not None else {})
        params = (c.database, uid, c.secret, model, method, args, kwargs)
        return self._call(self._object, "execute_kw", params, what=f"{model}.{method}")

    def _call(self, proxy: xmlrpc.client.ServerProxy, method: str, params: tuple[Any, ...], *, what: str) -> Any:
        """One call, with every failure turned into the port's errors (Odoo's own text kept for the log)."""
        try:
            with self._lock:
                return getattr(proxy, method)(*params)
        except xmlrpc.client.Fault as fault:
            raise translate_fault(fault.faultCode, fault.faultString, what=what) from fault
        except xmlrpc.client.ProtocolError as error:
            url = self._connection.url
            known = translate_http_status(error.errcode, what=what, url=url, reason=error.errmsg)
            message = f"{what}: {url} answered HTTP {error.errcode} {error.errmsg}"
            raise known or OdooServerError(message, odoo_message=error.errmsg) from error
        except (OSError, http.client.HTTPException) as error:  # refused, reset, DNS, TLS, timeouts, blocked
            raise unreachable(what, self._connection.url, error) from error
        except (xml.parsers.expat.ExpatError, DefusedXmlException, xmlrpc.client.ResponseError) as error:
            raise OdooServerError(f"{what}: the answer is not valid XML-RPC ({error})") from error
