"""Settings as JSON: every section, or one, with every key (the domain's own JSON form of them)."""

from __future__ import annotations

from typing import Any

from productsmanager.application.settings.settings_administration import SectionChange
from productsmanager.domain.setting_section import Section
from productsmanager.domain.settings import SettingsSnapshot
from productsmanager.entrypoints.falcon.settings.schemas import RESOLVING_SECTIONS


def snapshot(value: SettingsSnapshot) -> dict[str, Any]:
    return value.to_json()


def section(value: Section) -> dict[str, Any]:
    return value.to_json()


def change(value: SectionChange) -> dict[str, Any]:
    """The section after a PUT; a section whose change may start a resolve job names it, or null."""
    body = value.section.to_json()
    if value.section.name in RESOLVING_SECTIONS:
        body["resolve_job_id"] = str(value.resolve_job.id) if value.resolve_job is not None else None
    return body
