"""The exports area's pages and the role each method needs: the same as the REST API's (viewers read and
download, editors start exports, administrators manage templates, platforms and the Google connection)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from productsmanager.domain.users import Role
from productsmanager.entrypoints.web.declarations import WebPage
from productsmanager.entrypoints.web.exports import google, overview, platforms, templates
from productsmanager.entrypoints.web.exports.views import ExportsView

if TYPE_CHECKING:
    from productsmanager.container import Container


def _view(c: Container) -> ExportsView:
    return ExportsView(c.exports, c.export_platforms, c.export_templates, c.google_connection)


READ = {"GET": Role.VIEWER}
ADMIN_POST = {"POST": Role.ADMIN}
ADMIN = {"GET": Role.ADMIN, "POST": Role.ADMIN}

PAGES: tuple[WebPage, ...] = (
    WebPage(path="/exports", factory=lambda c, r: overview.ExportsPage(_view(c), r),
            roles={**READ, "POST": Role.EDITOR}),
    WebPage(path="/exports/{export_id}/row", factory=lambda c, r: overview.ExportRow(_view(c), r), roles=READ),
    WebPage(path="/exports/{export_id}/download", factory=lambda c, r: overview.ExportDownload(_view(c)), roles=READ),
    WebPage(path="/exports/templates", factory=lambda c, r: templates.TemplatesPage(c.export_templates, r),
            roles=ADMIN),
    WebPage(path="/exports/templates/{template_id}",
            factory=lambda c, r: templates.TemplatePage(c.export_templates, r), roles=ADMIN),
    WebPage(path="/exports/templates/{template_id}/delete",
            factory=lambda c, r: templates.TemplateDeletion(c.export_templates), roles=ADMIN_POST),
    WebPage(path="/exports/platforms", factory=lambda c, r: platforms.PlatformsPage(c.export_platforms, r),
            roles=ADMIN),
    WebPage(path="/exports/platforms/{platform_id}/delete",
            factory=lambda c, r: platforms.PlatformDeletion(c.export_platforms), roles=ADMIN_POST),
    WebPage(path="/exports/google/connect", factory=lambda c, r: google.GoogleConnect(c.google_connection, r),
            roles={"GET": Role.ADMIN}),
    WebPage(path="/exports/google/disconnect", factory=lambda c, r: google.GoogleDisconnect(c.google_connection),
            roles=ADMIN_POST),
    WebPage(path="/exports/google/folders",
            factory=lambda c, r: google.GoogleFolders(c.drive_browser, c.export_platforms, r),
            roles={**READ, **ADMIN_POST}),
)  # fmt: skip
