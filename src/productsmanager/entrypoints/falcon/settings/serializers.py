"""Settings as JSON: every section, or one, with every key (the domain's own JSON form of them)."""

from __future__ import annotations

from typing import Any

from productsmanager.domain.setting_section import Section
from productsmanager.domain.settings import SettingsSnapshot


def snapshot(value: SettingsSnapshot) -> dict[str, Any]:
    return value.to_json()


def section(value: Section) -> dict[str, Any]:
    return value.to_json()
