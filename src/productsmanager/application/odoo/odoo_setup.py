"""One Odoo instance's connection: its settings (the secret encrypted at rest, never returned), a connection
test that says precisely what is wrong, and the status the UI shows."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from typing import Any

from attrs import evolve, frozen

from productsmanager.application.odoo.config_ports import StoredOdooConfig, StoredOdooInstance
from productsmanager.application.odoo.ports import OdooCatalog, OdooConnection, OdooError, OdooServerInfo
from productsmanager.application.ports import Clock, SecretBox, UnitOfWorkFactory
from productsmanager.domain.errors import Conflict, InvalidValue, NotFound, ValidationFailed
from productsmanager.domain.odoo.configuration import OdooConfiguration
from productsmanager.domain.odoo.instances import DEFAULT_INSTANCE_ID

SECRET_MAX = 500


@frozen
class ConnectionTest:
    ok: bool
    server: OdooServerInfo | None = None
    error: str | None = None  # the error's kind: unreachable, unknown_database, authentication_failed...
    message: str | None = None


def check_secret(secret: object) -> None:
    """A secret given: text of at most SECRET_MAX characters, or None (removes the stored one)."""
    if secret is not None and (not isinstance(secret, str) or len(secret) > SECRET_MAX):
        message = f"secret must be text of at most {SECRET_MAX} characters"
        raise ValidationFailed([InvalidValue(message, field="secret")])


class OdooSetup:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        secrets: SecretBox,
        catalog: Callable[[OdooConnection], OdooCatalog],
        clock: Clock,
        instance_id: uuid.UUID = DEFAULT_INSTANCE_ID,
    ) -> None:
        self._uow = uow
        self._secrets = secrets
        self._catalog = catalog
        self._clock = clock
        self.instance_id = instance_id

    def instance(self) -> StoredOdooInstance:
        with self._uow() as uow:
            stored = uow.odoo_instances.get(self.instance_id)
        if stored is None:
            raise NotFound("Odoo instance", self.instance_id)
        return stored

    def get(self) -> StoredOdooConfig:
        """Raises `NotFound` until the instance is configured."""
        stored = self.instance().config
        if stored is None:
            raise NotFound("Odoo configuration", "odoo")
        return stored

    def save(self, raw: Mapping[str, Any]) -> StoredOdooConfig:
        """`secret` (password or API key) left out keeps the stored one; null removes it."""
        values = dict(raw)
        secret = values.pop("secret", ...)
        if secret is not ...:
            check_secret(secret)
        config = OdooConfiguration.parse(values)
        with self._uow() as uow:
            stored = uow.odoo_instances.get(self.instance_id)
            if stored is None:
                raise NotFound("Odoo instance", self.instance_id)
            encrypted = stored.secret_encrypted
            if secret is not ...:
                encrypted = self._secrets.encrypt(secret) if secret else None
            uow.odoo_instances.update(evolve(stored.instance, configuration=config), encrypted, self._clock.now())
            uow.commit()
        return self.get()

    def connection(self) -> OdooConnection:
        stored = self.get()
        if stored.secret_encrypted is None:
            where = (
                "/api/v1/odoo/config"
                if self.instance_id == DEFAULT_INSTANCE_ID
                else f"/api/v1/odoo/instances/{self.instance_id}"
            )
            raise Conflict(f"the Odoo configuration has no secret: PUT {where} with a password or API key")
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
            uow.odoo_instances.record_test(self.instance_id, summary, self._clock.now())
            uow.commit()
        return result
