"""What every Odoo page shares: the instance it is about (`?instance=<id>`, the default instance without it),
its use cases for that instance (the same scoped factories the REST resources use), the area's tabs, and form
errors as the messages shown next to their fields."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import falcon

from productsmanager.application.odoo.ports import OdooError
from productsmanager.domain.errors import DomainError
from productsmanager.domain.users import Role
from productsmanager.entrypoints.falcon.odoo.scope import INSTANCE_MOUNT
from productsmanager.entrypoints.falcon.problems import problem_body, to_problem
from productsmanager.entrypoints.web.rendering import Renderer

TABS: tuple[tuple[str, str], ...] = (  # the connection's tab is shown to admins only (as its page)
    ("/odoo-sync", "Dashboard"),
    ("/odoo-sync/config", "Connection"),
    ("/odoo-sync/export", "Export"),
    ("/odoo-sync/import", "Import"),
    ("/odoo-sync/mappings", "Mappings"),
    ("/odoo-sync/schedules", "Schedules"),
    ("/odoo-sync/history", "History"),
)


def instance_of(req: falcon.Request) -> str | None:
    """The instance a page is about: `?instance=` (a page's links and forms keep it), None for the default."""
    value = req.get_param("instance")
    return value or None


def scoped(container: Any, provider: Callable[..., Any]) -> Callable[[falcon.Request], Any]:
    """The provider's use case for the request's instance; an unknown instance is a 404 page."""
    for_instance = INSTANCE_MOUNT.scoped(container, provider)
    return lambda req: for_instance(instance_of(req))


def at(instance: str | None) -> Callable[..., str]:
    """Builds the area's links and form actions with the instance kept: `at('/odoo-sync/history', status=...)`."""

    def link(path: str, **params: Any) -> str:
        values = {key: value for key, value in params.items() if value not in (None, "")}
        if instance:
            values["instance"] = instance
        return f"{path}?{urlencode(values)}" if values else path

    return link


def problem_of(error: DomainError | OdooError) -> dict[str, Any]:
    """A use case's refusal as the problem body the API would answer; Odoo's own failure as one message."""
    if isinstance(error, OdooError):
        detail = f"{error.message}: {error.odoo_message}" if error.odoo_message else error.message
        return {"status": 502, "title": "Odoo failed", "detail": f"{error.code}: {detail}"[:2000]}
    return problem_body(to_problem(error))


class OdooPage:
    """A page of the area: renders its template with the instance, the link builder and the tabs."""

    def __init__(self, renderer: Renderer, instances: Callable[[], Any] | None = None) -> None:
        self._renderer = renderer
        self._instances = instances

    def show(self, req: falcon.Request, resp: falcon.Response, template: str, **context: Any) -> None:
        instance = instance_of(req)
        listed = []
        user = getattr(req.context, "user", None)
        if self._instances is not None and user is not None and user.role.allows(Role.ADMIN):
            listed = self._instances().list()  # the API lists instances to admins only
        self._renderer.render(
            req,
            resp,
            template,
            instance=instance,
            at=at(instance),
            tabs=TABS,
            instances=listed,
            **context,
        )
