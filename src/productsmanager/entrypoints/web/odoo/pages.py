"""The Odoo pages' declarations: path, the role of each method (the REST API's role for the same operation),
and the resource built from the container's Odoo use cases, scoped to the page's instance."""

from __future__ import annotations

from typing import Any

from productsmanager.domain.users import Role
from productsmanager.entrypoints.web.declarations import WebPage
from productsmanager.entrypoints.web.odoo.common import scoped
from productsmanager.entrypoints.web.odoo.config import ConfigPage
from productsmanager.entrypoints.web.odoo.dashboard import ConnectionTestPage, DashboardPage, DashboardView, RunPage
from productsmanager.entrypoints.web.odoo.history import HistoryPage, RetryPage
from productsmanager.entrypoints.web.odoo.mappings import MappingDeletePage, MappingsPage, SuggestionsPage
from productsmanager.entrypoints.web.odoo.schedules import ScheduleActionPage, ScheduleEditPage, ScheduleListPage
from productsmanager.entrypoints.web.odoo.sync import ExportPage, ImportPage

V, E, A = Role.VIEWER, Role.EDITOR, Role.ADMIN


def _dashboard(kind: type[DashboardView]) -> Any:
    return lambda c, r: kind(scoped(c, c.odoo_setup), scoped(c, c.odoo_sync), r, c.odoo_instances)


def _schedule_action(action: str) -> WebPage:
    return WebPage(
        path=f"/odoo-sync/schedules/{{schedule_id}}/{action}",
        factory=lambda c, r: ScheduleActionPage(scoped(c, c.odoo_schedule_manager), action),
        roles={"POST": A},
    )


PAGES: tuple[WebPage, ...] = (
    WebPage(path="/odoo-sync", factory=_dashboard(DashboardPage), roles={"GET": V}),
    WebPage(path="/odoo-sync/test-connection", factory=_dashboard(ConnectionTestPage), roles={"POST": A}),
    WebPage(path="/odoo-sync/runs/{run_id}", factory=lambda c, r: RunPage(scoped(c, c.odoo_sync), r)),
    WebPage(
        path="/odoo-sync/config",
        factory=lambda c, r: ConfigPage(scoped(c, c.odoo_setup), r),
        roles={"GET": A, "POST": A},
    ),
    WebPage(
        path="/odoo-sync/export",
        factory=lambda c, r: ExportPage(scoped(c, c.odoo_sync), r),
        roles={"GET": V, "POST": E},
    ),
    WebPage(
        path="/odoo-sync/import",
        factory=lambda c, r: ImportPage(scoped(c, c.odoo_sync), r),
        roles={"GET": V, "POST": A},
    ),
    WebPage(
        path="/odoo-sync/mappings",
        factory=lambda c, r: MappingsPage(scoped(c, c.odoo_mapping_manager), r),
        roles={"GET": V, "POST": A},
    ),
    WebPage(
        path="/odoo-sync/mappings/{tab}",
        factory=lambda c, r: MappingsPage(scoped(c, c.odoo_mapping_manager), r),
        roles={"GET": V, "POST": A},
    ),
    WebPage(
        path="/odoo-sync/mappings/{tab}/{mapping_id}/delete",
        factory=lambda c, r: MappingDeletePage(scoped(c, c.odoo_mapping_manager)),
        roles={"POST": A},
    ),
    WebPage(
        path="/odoo-sync/mappings/fields/suggestions",
        factory=lambda c, r: SuggestionsPage(c.odoo_mapping_suggestions, r),
        roles={"GET": V, "POST": A},
    ),
    WebPage(
        path="/odoo-sync/schedules",
        factory=lambda c, r: ScheduleListPage(scoped(c, c.odoo_schedule_manager), r),
        roles={"GET": V, "POST": A},
    ),
    WebPage(
        path="/odoo-sync/schedules/{schedule_id}",
        factory=lambda c, r: ScheduleEditPage(scoped(c, c.odoo_schedule_manager), r),
        roles={"GET": A, "POST": A},
    ),
    *(_schedule_action(action) for action in ("toggle", "run", "delete")),
    WebPage(path="/odoo-sync/history", factory=lambda c, r: HistoryPage(scoped(c, c.odoo_sync), r)),
    WebPage(
        path="/odoo-sync/history/retry",
        factory=lambda c, r: RetryPage(scoped(c, c.odoo_sync), r),
        roles={"POST": E},
    ),
)
