"""Fake of Code2ASIN's Amazon configuration row: the settings and the credentials as encrypted."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime

from attrs import define, evolve, field

from productsmanager.domain.code2asin.config import CREDENTIALS, AmazonConfig


@define
class AmazonConfigState:
    config: AmazonConfig | None = None
    secrets: dict[str, str] = field(factory=dict)
    updated_by: uuid.UUID | None = None


class FakeAmazonConfigRepository:
    def __init__(self, state: AmazonConfigState) -> None:
        self._s = state

    def get(self) -> AmazonConfig | None:
        if self._s.config is None:
            return None
        flags = {f"has_{name}": name in self._s.secrets for name in CREDENTIALS}
        return evolve(self._s.config, **flags)

    def save(self, config: AmazonConfig, secrets: Mapping[str, str | None], updated_by: uuid.UUID | None) -> None:
        for name, value in secrets.items():
            if value is None:
                self._s.secrets.pop(name, None)
            else:
                self._s.secrets[name] = value
        self._s.config, self._s.updated_by = config, updated_by

    def encrypted_credentials(self) -> dict[str, str]:
        return dict(self._s.secrets)

    def record_test(self, at: datetime, error: str | None) -> None:
        if self._s.config is not None:
            self._s.config = evolve(self._s.config, tested_at=at, test_error=error)
