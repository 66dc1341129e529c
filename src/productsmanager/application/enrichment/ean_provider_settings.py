"""The barcode providers as an administrator sets them up: each provider's configuration (a provider never
saved reads as its defaults), its API key kept encrypted and never returned (`has_key` says whether there is
one), and a test that asks the provider whether the key works and how many credits are left."""

from __future__ import annotations

import time
import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from urllib.parse import quote

from attrs import evolve, frozen

from productsmanager.application.enrichment.ports import EanProviderFactory, ProviderBadKey, ProviderError
from productsmanager.application.enrichment.provider_ports import StoredProvider
from productsmanager.application.ports import Clock, SecretBox, UnitOfWorkFactory
from productsmanager.domain.enrichment.providers import ProviderConfig, ProviderName
from productsmanager.domain.errors import InvalidValue, NotFound, ValidationFailed

API_KEY_MAX = 500
NO_KEY = "no API key is set: PUT /api/v1/ean-lookup/providers/{name} with an api_key"


@frozen
class ConfiguredProvider:
    """A provider's configuration as it applies now; `updated_at` is None while it was never saved."""

    config: ProviderConfig
    updated_at: datetime | None = None
    updated_by: uuid.UUID | None = None


@frozen
class ProviderTest:
    """The outcome of a test: `ok`, or the error's `error_code` (bad_key, rate_limited, unreachable, unexpected)
    and message. `latency_ms` is that of the provider's answer (None when nothing was asked); `credits_left`
    where the provider tells."""

    ok: bool
    latency_ms: int | None = None
    credits_left: int | None = None
    error_code: str | None = None
    message: str | None = None


def provider_name(raw: str) -> ProviderName:
    """The provider a path names; any other name names nothing (404)."""
    try:
        return ProviderName(raw)
    except ValueError:
        raise NotFound("EAN provider", raw) from None


def parse_api_key(raw: Any) -> str | None:
    """A key given: trimmed text without spaces or control characters (it goes into URLs and headers); None
    removes the stored key."""
    if raw is None:
        return None
    key = raw.strip() if isinstance(raw, str) else ""
    if not key or len(key) > API_KEY_MAX or any(c.isspace() or not c.isprintable() for c in key):
        message = f"api_key must be text of 1 to {API_KEY_MAX} characters without spaces, or null to remove the key"
        raise InvalidValue(message, field="api_key")
    return key


class EanProviderSettings:
    def __init__(self, uow: UnitOfWorkFactory, secrets: SecretBox, providers: EanProviderFactory, clock: Clock) -> None:
        self._uow = uow
        self._secrets = secrets
        self._providers = providers
        self._clock = clock

    def list(self) -> list[ConfiguredProvider]:
        """Every known provider, saved or not, by priority (ties in the order the providers are known)."""
        return _by_priority(self._saved())

    def enabled_with_keys(self) -> list[tuple[ProviderConfig, str | None]]:
        """The enabled providers by priority, each with its decrypted key (None without one): what a lookup
        asks, from one read of the rows. Keys are decrypted here and handed to the adapters only."""
        saved = self._saved()
        keys = {name: stored.api_key_encrypted for name, stored in saved.items()}
        enabled = [entry.config for entry in _by_priority(saved) if entry.config.enabled]
        return [(config, self._secrets.decrypt(k) if (k := keys.get(config.name)) else None) for config in enabled]

    def _saved(self) -> dict[ProviderName, StoredProvider]:
        with self._uow() as uow:
            return {stored.config.name: stored for stored in uow.ean_providers.list()}

    def get(self, name: str) -> ConfiguredProvider:
        known = provider_name(name)
        with self._uow() as uow:
            return _configured(uow.ean_providers.get(known), known)

    def update(self, name: str, raw: Mapping[str, Any], updated_by: uuid.UUID | None) -> ConfiguredProvider:
        """Fields given replace the stored ones, fields left out keep theirs. `api_key`: text sets the key
        (encrypted), null removes it, left out keeps it. Every broken rule is refused at once."""
        known = provider_name(name)
        with self._uow() as uow:
            stored = uow.ean_providers.get(known)
            config, key = _checked(stored.config if stored is not None else ProviderConfig.default(known), raw)
            encrypted = stored.api_key_encrypted if stored is not None else None
            if key is not ...:
                encrypted = None if key is None else self._secrets.encrypt(key)
            config = evolve(config, has_key=encrypted is not None)
            saved = StoredProvider(config, encrypted, self._clock.now(), updated_by)
            uow.ean_providers.save(saved)
            uow.commit()
        return _configured(saved, known)

    def test(self, name: str) -> ProviderTest:
        """Asks the provider for its account status with the stored key, enabled or not (a provider is tested
        before it is switched on). Without a key nothing is asked: `bad_key`. The provider's failure is the
        test's outcome, not an error; the key is never part of the message."""
        known = provider_name(name)
        with self._uow() as uow:
            stored = uow.ean_providers.get(known)
        if stored is None or stored.api_key_encrypted is None:
            return ProviderTest(False, error_code=ProviderBadKey.code, message=NO_KEY.format(name=known.value))
        key = self._secrets.decrypt(stored.api_key_encrypted)
        started = time.perf_counter()
        try:
            status = self._providers(stored.config, key).status()
        except ProviderError as error:
            return ProviderTest(False, _since(started), error_code=error.code, message=_redacted(error.message, key))
        if status.credits_left is not None:
            with self._uow() as uow:
                uow.ean_providers.record_credits(known, status.credits_left, self._clock.now())
                uow.commit()
        return ProviderTest(True, _since(started), status.credits_left)


def _by_priority(saved: dict[ProviderName, StoredProvider]) -> list[ConfiguredProvider]:
    order = list(ProviderName)
    configured = [_configured(saved.get(name), name) for name in order]
    return sorted(configured, key=lambda entry: (entry.config.priority, order.index(entry.config.name)))


def _configured(stored: StoredProvider | None, name: ProviderName) -> ConfiguredProvider:
    if stored is None:
        return ConfiguredProvider(ProviderConfig.default(name))
    return ConfiguredProvider(stored.config, stored.updated_at, stored.updated_by)


def _checked(current: ProviderConfig, raw: Mapping[str, Any]) -> tuple[ProviderConfig, Any]:
    """The changed configuration and the key given (`...` when left out); the key's refusal joins those of the
    other fields."""
    refused: list[InvalidValue] = []
    key: Any = ...
    if "api_key" in raw:
        try:
            key = parse_api_key(raw["api_key"])
        except InvalidValue as error:
            refused.append(error)
    try:
        config = current.changed(dict(raw))
    except ValidationFailed as failed:
        raise ValidationFailed([*failed.errors, *refused]) from None
    if refused:
        raise ValidationFailed(refused)
    return config, key


def _since(started: float) -> int:
    return round((time.perf_counter() - started) * 1000)


def _redacted(message: str, key: str) -> str:
    """An adapter's message may quote a request URL, and one provider takes the key in the query string."""
    for form in {key, quote(key, safe="")}:
        message = message.replace(form, "***")
    return message
