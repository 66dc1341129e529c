"""Route declarations of the settings (a declarative table)."""

from __future__ import annotations

from productsmanager.domain.users import Role
from productsmanager.entrypoints.falcon.routing import Operation, Route
from productsmanager.entrypoints.falcon.settings.resources import SettingsResource, SettingsSectionResource
from productsmanager.entrypoints.falcon.settings.schemas import SECTION

ROUTES = (
    Route(
        path="/api/v1/settings",
        name="settings",
        factory=lambda c: SettingsResource(c.settings_administration),
        operations={
            "GET": Operation(
                summary="Every section of the global settings", role=Role.VIEWER, response="Settings", errors=(401,)
            )
        },
    ),
    Route(
        path="/api/v1/settings/{section}",
        name="settings_section",
        factory=lambda c: SettingsSectionResource(c.settings_administration),
        path_params={"section": SECTION},
        operations={
            "GET": Operation(
                summary="One settings section: general, notifications, media, imports or product_data",
                role=Role.VIEWER,
                response="SettingsSection",
                errors=(401, 404),
            ),
            "PUT": Operation(
                summary="Change a settings section: keys given replace the stored values, keys left out keep their "
                "current value; returns the whole section (product_data: with the resolve job a changed "
                "source_priority started)",
                role=Role.ADMIN,
                request="SettingsSectionUpdate",
                response="SettingsSectionChange",
                errors=(401, 403, 404, 422),
            ),
        },
    ),
)
