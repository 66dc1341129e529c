"""Code2ASIN's access to Amazon as an administrator sets it up: the marketplace, endpoints, pace and time
limit (the defaults until saved), the credentials kept encrypted and never returned (`has_*` say which are
stored), and a test that signs in and asks Amazon one question.

A test's outcome names what went wrong by the error's code with a message of ours: Amazon's own wording and any
network detail stay in the log."""

from __future__ import annotations

import time
import uuid
from collections.abc import Mapping
from typing import Any

from attrs import evolve, frozen

from productsmanager.application.code2asin.config_ports import AmazonCredentials, AmazonSourceBuilder
from productsmanager.application.code2asin.ports import AmazonError, AmazonNotConfigured, AsinSource
from productsmanager.application.ports import Clock, SecretBox, UnitOfWorkFactory
from productsmanager.domain.code2asin.config import CREDENTIALS, AmazonConfig

NOT_CONFIGURED = "client_id, client_secret and refresh_token must all be set (PUT /api/v1/code2asin/config)"
MESSAGES = {
    "not_configured": NOT_CONFIGURED,
    "bad_credentials": "Amazon refused the credentials: check the client id, client secret and refresh token",
    "rate_limited": "Amazon asked to wait before the next request: try again in a moment",
    "unreachable": "could not connect to Amazon",
    "bad_request": "Amazon refused the request",
    "unexpected": "Amazon answered in a way its API does not document",
}


@frozen
class AmazonTest:
    """`ok`, or the error's `error_code` (one of `MESSAGES`) and our message; `latency_ms` of the exchange
    (None when nothing was asked)."""

    ok: bool
    latency_ms: int | None = None
    error_code: str | None = None
    message: str | None = None


class AmazonSettings:
    def __init__(self, uow: UnitOfWorkFactory, secrets: SecretBox, sources: AmazonSourceBuilder, clock: Clock) -> None:
        self._uow = uow
        self._secrets = secrets
        self._sources = sources
        self._clock = clock

    def show(self) -> AmazonConfig:
        with self._uow() as uow:
            return uow.amazon_config.get() or AmazonConfig()

    def change(self, raw: Mapping[str, Any], updated_by: uuid.UUID | None) -> AmazonConfig:
        """Fields given replace the stored ones, fields left out keep theirs; a credential given as text is
        stored encrypted, null removes it. Every broken rule is refused at once."""
        with self._uow() as uow:
            current = uow.amazon_config.get() or AmazonConfig()
            config, credentials = current.changed(dict(raw))
            secrets = {
                name: None if value is None else self._secrets.encrypt(value) for name, value in credentials.items()
            }
            config = evolve(config, updated_at=self._clock.now(), **_flags(current, credentials))
            uow.amazon_config.save(config, secrets, updated_by)
            uow.commit()
            return uow.amazon_config.get() or config

    def source(self) -> AsinSource:
        """The Selling Partner API as configured now (an `AsinSourceFactory`). Raises `AmazonNotConfigured`
        while a credential is missing."""
        config, credentials = self._configured()
        return self._sources(config, credentials)

    def test(self) -> AmazonTest:
        """Signs in and searches one EAN on the configured marketplace; the outcome is recorded with the
        configuration (a failure is the test's result, not an error)."""
        started = time.perf_counter()
        try:
            config, credentials = self._configured()
        except AmazonNotConfigured as error:
            return self._recorded(AmazonTest(False, error_code=error.code, message=MESSAGES[error.code]))
        try:
            self._sources(config, credentials).check(config.marketplace)
        except AmazonError as error:
            code = error.code if error.code in MESSAGES else "unexpected"
            return self._recorded(AmazonTest(False, _since(started), code, MESSAGES[code]))
        return self._recorded(AmazonTest(True, _since(started)))

    def _configured(self) -> tuple[AmazonConfig, AmazonCredentials]:
        with self._uow() as uow:
            config = uow.amazon_config.get()
            encrypted = uow.amazon_config.encrypted_credentials()
        if config is None or any(name not in encrypted for name in CREDENTIALS):
            raise AmazonNotConfigured(NOT_CONFIGURED)
        plain = {name: self._secrets.decrypt(encrypted[name]) for name in CREDENTIALS}
        return config, AmazonCredentials(**plain)

    def _recorded(self, outcome: AmazonTest) -> AmazonTest:
        with self._uow() as uow:
            uow.amazon_config.record_test(self._clock.now(), outcome.error_code)
            uow.commit()
        return outcome


def _flags(current: AmazonConfig, credentials: Mapping[str, str | None]) -> dict[str, bool]:
    return {
        f"has_{name}": (credentials[name] is not None) if name in credentials else getattr(current, f"has_{name}")
        for name in CREDENTIALS
    }


def _since(started: float) -> int:
    return round((time.perf_counter() - started) * 1000)
