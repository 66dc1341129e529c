"""The Odoo instance as the sync use cases see it: a few ORM calls over Odoo's external API, whatever the protocol.

Both adapters (XML-RPC and JSON-2) answer with the same shapes (many2one as `[id, name]`, x2many as id lists) and
raise the same errors, so the use cases and the test-connection endpoint never know which protocol was used.
"""

from __future__ import annotations

from typing import Any, Literal, Protocol

from attrs import field, frozen

from productsmanager.domain.errors import ProductsManagerError

OdooProtocol = Literal["xmlrpc", "json2"]


@frozen
class OdooConnection:
    """Where and as whom to call Odoo. `secret` is the password or API key, already decrypted: it is kept out of
    the repr so that a connection logged by mistake does not leak it. `protocol` picks the adapter."""

    url: str
    database: str
    login: str
    secret: str = field(repr=False)
    protocol: OdooProtocol
    timeout_seconds: float = 30.0
    company_id: int | None = None


@frozen
class OdooServerInfo:
    """What a successful connection test reports: the server's version and the uid the calls run as."""

    server_version: str
    uid: int


class OdooError(ProductsManagerError):
    """Base of the Odoo failures the use cases tell apart. `odoo_message` is Odoo's own text (a fault string or
    an error body's message), kept for the sync log; the exception's message is ours and says what happened.
    `code` is what a connection test and the API's 502 answer name the failure by (`unknown_database`...)."""

    code = "odoo_failed"

    def __init__(self, message: str, *, odoo_message: str | None = None) -> None:
        super().__init__(message)
        self.odoo_message = odoo_message


class OdooUnreachable(OdooError):
    """No answer in time: DNS, refused connection, TLS, timeout, or an answer that is not Odoo's."""

    code = "unreachable"


class OdooUnknownDatabase(OdooError):
    """The server answers but has no database of that name."""

    code = "unknown_database"


class OdooAuthenticationFailed(OdooError):
    """Wrong login, password or API key (Odoo's AccessDenied)."""

    code = "authentication_failed"


class OdooAccessDenied(OdooError):
    """Authenticated, but the user lacks the access rights for the model or record (Odoo's AccessError)."""

    code = "access_denied"


class OdooValidationError(OdooError):
    """Odoo refused the values (UserError, ValidationError: a duplicate barcode, a missing required field)."""

    code = "validation_error"


class OdooServerError(OdooError):
    """Anything else Odoo raised: a bug, a missing module, an unexpected answer. Usually worth a retry later."""

    code = "server_error"


class OdooCatalog(Protocol):
    """ORM calls on one Odoo database as one user. Values sent must never contain `None` (XML-RPC cannot marshal
    it): the adapters refuse them with a `ValueError` naming the field, before anything is sent."""

    def version(self) -> dict[str, Any]:
        """The server's version information (`server_version`, `server_version_info`...); needs no login."""
        ...

    def authenticate(self) -> OdooServerInfo:
        """Checks the credentials and returns the server version and the uid; later calls reuse the uid."""
        ...

    def search_read(
        self,
        model: str,
        domain: list[Any],
        fields: list[str],
        offset: int = 0,
        limit: int | None = None,
        order: str | None = None,
    ) -> list[dict[str, Any]]: ...

    def read(self, model: str, ids: list[int], fields: list[str]) -> list[dict[str, Any]]: ...

    def search_count(self, model: str, domain: list[Any]) -> int: ...

    def create(self, model: str, values: dict[str, Any] | list[dict[str, Any]]) -> int | list[int]:
        """One record for a dict (its id), several in one call for a list (their ids, in order)."""
        ...

    def write(self, model: str, ids: list[int], values: dict[str, Any]) -> bool: ...

    def fields_get(self, model: str, attributes: list[str]) -> dict[str, dict[str, Any]]:
        """The model's fields by name, each with the requested `attributes` (`type`, `string`, `relation`...)."""
        ...
