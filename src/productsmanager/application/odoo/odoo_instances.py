"""The Odoo instances the catalog syncs with: listed, created, changed and deleted by an admin. An instance is
its name, whether it syncs (`enabled`) and its connection settings (none until given); the secret is
write-only, like the single configuration's was. The default instance always exists and cannot be deleted."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from typing import Any

from attrs import evolve

from productsmanager.application.odoo.config_ports import StoredOdooInstance
from productsmanager.application.odoo.odoo_setup import check_secret
from productsmanager.application.ports import Clock, SecretBox, UnitOfWorkFactory
from productsmanager.domain.errors import NotFound, ValidationFailed
from productsmanager.domain.field_errors import FieldErrors
from productsmanager.domain.odoo.configuration import FIELDS as CONNECTION_FIELDS
from productsmanager.domain.odoo.configuration import OdooConfiguration
from productsmanager.domain.odoo.instances import OdooInstance

FIELDS = ("name", "enabled", "secret", *CONNECTION_FIELDS)


class OdooInstances:
    def __init__(self, uow: UnitOfWorkFactory, secrets: SecretBox, clock: Clock) -> None:
        self._uow = uow
        self._secrets = secrets
        self._clock = clock

    def list(self) -> list[StoredOdooInstance]:
        with self._uow() as uow:
            return uow.odoo_instances.list()

    def get(self, instance_id: uuid.UUID) -> StoredOdooInstance:
        with self._uow() as uow:
            stored = uow.odoo_instances.get(instance_id)
        if stored is None:
            raise NotFound("Odoo instance", instance_id)
        return stored

    def create(self, raw: Mapping[str, Any]) -> StoredOdooInstance:
        """`name` is required; the connection settings may come later (then url, database and login together)."""
        instance, secret = _parse(raw, None)
        encrypted = self._secrets.encrypt(secret) if isinstance(secret, str) and secret else None
        with self._uow() as uow:
            uow.odoo_instances.add(instance, encrypted, self._clock.now())
            uow.commit()
        return self.get(instance.id)

    def update(self, instance_id: uuid.UUID, raw: Mapping[str, Any]) -> StoredOdooInstance:
        """The fields given change, the others are kept; `secret` null removes it."""
        with self._uow() as uow:
            stored = uow.odoo_instances.get(instance_id)
            if stored is None:
                raise NotFound("Odoo instance", instance_id)
            instance, secret = _parse(raw, stored.instance)
            encrypted = stored.secret_encrypted
            if secret is not ...:
                encrypted = self._secrets.encrypt(secret) if isinstance(secret, str) and secret else None
            uow.odoo_instances.update(instance, encrypted, self._clock.now())
            uow.commit()
        return self.get(instance_id)

    def delete(self, instance_id: uuid.UUID) -> None:
        """Its runs, log, schedules, mappings and product links go with it; the default one stays (409)."""
        with self._uow() as uow:
            stored = uow.odoo_instances.get(instance_id)
            if stored is None:
                raise NotFound("Odoo instance", instance_id)
            stored.instance.check_deletable()
            uow.odoo_instances.delete(instance_id)
            uow.commit()


def _parse(raw: Mapping[str, Any], current: OdooInstance | None) -> tuple[OdooInstance, object]:
    """The instance as changed by `raw` (every problem named at once), and the secret given (`...`: none)."""
    secret: object = raw.get("secret", ...)
    configuration = current.configuration if current is not None else None
    name = current.name if current is not None else ""
    enabled = current.enabled if current is not None else True
    with FieldErrors() as errors:
        errors.unknown(sorted(set(raw) - set(FIELDS)), "a field of an Odoo instance")
        if current is None:
            errors.required(raw, ("name",))
        with errors.checking():
            if "name" in raw:
                name = OdooInstance.parse_name(raw["name"])
        with errors.checking():
            if "enabled" in raw:
                enabled = OdooInstance.parse_enabled(raw["enabled"])
        given = {key: raw[key] for key in CONNECTION_FIELDS if key in raw}
        try:
            if secret is not ...:
                check_secret(secret)
        except ValidationFailed as failed:
            errors.errors.extend(failed.errors)
        try:
            if given:
                kept = configuration.to_json() if configuration is not None else {}
                configuration = OdooConfiguration.parse({**kept, **given})
        except ValidationFailed as failed:
            errors.errors.extend(failed.errors)
    if current is None:
        return OdooInstance(uuid.uuid4(), name, configuration, enabled), secret
    return evolve(current, name=name, configuration=configuration, enabled=enabled), secret


def instance_check(instances: Callable[[], OdooInstances]) -> Callable[[uuid.UUID], bool]:
    """Whether an instance exists, for use cases that only need to know (the webhooks)."""

    def exists(instance_id: uuid.UUID) -> bool:
        try:
            instances().get(instance_id)
        except NotFound:
            return False
        return True

    return exists
