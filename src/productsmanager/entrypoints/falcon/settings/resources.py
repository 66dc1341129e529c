"""Global settings: every section, one section, and an admin's change to one section."""

from __future__ import annotations

from collections.abc import Callable

import falcon

from productsmanager.application.settings.settings_administration import SettingsAdministration
from productsmanager.domain.settings import section_type
from productsmanager.entrypoints.falcon.requests import respond
from productsmanager.entrypoints.falcon.settings import serializers
from productsmanager.entrypoints.falcon.settings.schemas import BODIES, SECTION_SCHEMAS, UPDATE_SUFFIX


class SettingsResource:
    def __init__(self, settings: Callable[[], SettingsAdministration]) -> None:
        self._settings = settings

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        respond(resp, serializers.snapshot(self._settings().read_all()))


class SettingsSectionResource:
    def __init__(self, settings: Callable[[], SettingsAdministration]) -> None:
        self._settings = settings

    def on_get(self, req: falcon.Request, resp: falcon.Response, section: str) -> None:
        respond(resp, serializers.section(self._settings().read_section(section)))

    def on_put(self, req: falcon.Request, resp: falcon.Response, section: str) -> None:
        """The section is checked before the body (404 rather than a 422 against no schema); the body is then
        checked against that section's schema, and again by the domain, which has the last word."""
        section_type(section)
        body = BODIES.read(req, SECTION_SCHEMAS[section] + UPDATE_SUFFIX)
        changed = self._settings().change_section(section, body, req.context.user.id)
        respond(resp, serializers.change(changed))
