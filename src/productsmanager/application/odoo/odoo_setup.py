"""The Odoo connection: its settings (the secret encrypted at rest, never returned), a connection test that
says precisely what is wrong, and the status the UI shows."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from attrs import frozen

from productsmanager.application.odoo.config_ports import StoredOdooConfig
from productsmanager.application.odoo.ports import OdooCatalog, OdooConnection, OdooError, OdooServerInfo
from productsmanager.application.ports import Clock, SecretBox, UnitOfWorkFactory
from productsmanager.domain.errors import Conflict, InvalidValue, NotFound, ValidationFailed
from productsmanager.domain.odoo.configuration import OdooConfiguration

SECRET_MAX = 500


@frozen
class ConnectionTest:
    ok: bool
    server: OdooServerInfo | None = None
    error: str | None = None  # the error's kind: unreachable, unknown_database, authentication_failed...
    message: str | None = None


class OdooSetup:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        secrets: SecretBox,
        catalog: Callable[[OdooConnection], OdooCatalog],
        clock: Clock,
    ) -> None:
        self._uow = uow
        self._secrets = secrets
        self._catalog = catalog
        self._clock = clock

    def get(self) -> StoredOdooConfig:
        with self._uow() as uow:
            stored = uow.odoo_config.get()
        if stored is None:
            raise NotFound("Odoo configuration", "odoo")
        return stored

    def save(self, raw: Mapping[str, Any]) -> StoredOdooConfig:
        """`secret` (password or API key) left out keeps the stored one; null removes it."""
        values = dict(raw)
        secret = values.pop("secret", ...)
        if secret is not ... and secret is not None and (not isinstance(secret, str) or len(secret) > SECRET_MAX):
            message = f"secret must be text of at most {SECRET_MAX} characters"
            raise ValidationFailed([InvalidValue(message, field="secret")])
        config = OdooConfiguration.parse(values)
        with self._uow() as uow:
            stored = uow.odoo_config.get()
            encrypted = stored.secret_encrypted if stored is not None else None
            if secret is not ...:
                encrypted = self._secrets.encrypt(secret) if secret else None
            uow.odoo_config.save(config, encrypted, self._clock.now())
            uow.commit()
        return self.get()

    def connection(self) -> OdooConnection:
        stored = self.get()
        if stored.secret_encrypted is None:
            raise Conflict("the Odoo configuration has no secret: PUT /api/v1/odoo/config with a password or API key")
        c = stored.config
        return OdooConnection(
            url=c.url,
            database=c.database,
            login=c.login,
            secret=self._secrets.decrypt(stored.secret_encrypted),
            protocol=c.protocol.value,  # type: ignore[arg-type]
            timeout_seconds=float(c.timeout_seconds),
            company_id=c.company_id,
        )

    def test_connection(self) -> ConnectionTest:
        """Authenticates, then counts products (the model the sync needs: a user without rights on it fails
        here, not at the first sync); the outcome is recorded for the status."""
        try:
            catalog = self._catalog(self.connection())
            info = catalog.authenticate()
            catalog.search_count("product.product", [])  # the sync's model: a user without rights fails here
            result = ConnectionTest(True, info)
            summary = f"ok: Odoo {info.server_version}, uid {info.uid}"
        except OdooError as error:
            result = ConnectionTest(False, error=error.code, message=str(error))
            summary = f"{result.error}: {error}"
        with self._uow() as uow:
            uow.odoo_config.record_test(summary, self._clock.now())
            uow.commit()
        return result
