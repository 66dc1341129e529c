"""One Jinja2 environment for every page. A page renders a whole document, or for an htmx request
(`HX-Request`) only the block it names, so a filter change or the next page of a grid swaps a fragment
instead of the page. Autoescape is on; templates get the signed-in user, the form token, the navigation and
`asset()` for content-hashed static file names."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

import falcon
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from productsmanager.domain.users import Role, User
from productsmanager.entrypoints.web.assets import AssetCatalog
from productsmanager.entrypoints.web.declarations import NavItem
from productsmanager.entrypoints.web.security import WebSecurity


def is_htmx(req: falcon.Request) -> bool:
    """A request of htmx for a fragment; its history restoration (the back button on a pushed URL) wants the
    whole page."""
    return req.get_header("HX-Request") == "true" and req.get_header("HX-History-Restore-Request") != "true"


def _datetime(value: object) -> str:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M UTC")
    if isinstance(value, str) and "T" in value:
        return value[:16].replace("T", " ") + " UTC"
    return "" if value is None else str(value)


def _query(current: Mapping[str, object], **changes: object) -> str:
    """The current query string with some parameters changed (None removes one): links of filters and pages."""
    merged = {key: value for key, value in {**current, **changes}.items() if value not in (None, "")}
    return "?" + urlencode(merged, doseq=True) if merged else "?"


class Renderer:
    def __init__(self, assets: AssetCatalog, security: WebSecurity, nav: Sequence[NavItem]) -> None:
        self.assets = assets
        self.security = security
        self._nav = tuple(nav)
        self._env = Environment(
            loader=PackageLoader("productsmanager.entrypoints.web", "templates"),
            autoescape=select_autoescape(default=True, default_for_string=True),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self._env.globals.update(asset=assets.url, query=_query)
        self._env.filters["datetime"] = _datetime

    def render(
        self,
        req: falcon.Request,
        resp: falcon.Response,
        template: str,
        *,
        block: str | None = None,
        status: int = 200,
        **context: Any,
    ) -> None:
        """Writes the page (or its `block` for an htmx request) to `resp` with the back office's headers."""
        page = self._env.get_template(template)
        values = {**self.common(req), **context}
        if block is not None and is_htmx(req):
            html = "".join(page.blocks[block](page.new_context(values)))
        else:
            html = page.render(values)
        resp.status = falcon.code_to_http_status(status)
        resp.content_type = falcon.MEDIA_HTML
        resp.text = html
        resp.set_header("Vary", "HX-Request")

    def common(self, req: falcon.Request) -> dict[str, Any]:
        user: User | None = getattr(req.context, "user", None)
        return {
            "user": user,
            "csrf_token": getattr(req.context, "csrf_token", ""),
            "nav": [item for item in self._nav if user is not None and user.role.allows(item.role)],
            "path": req.path,
            "params": dict(req.params),
            "can_edit": user is not None and user.role.allows(Role.EDITOR),
            "is_admin": user is not None and user.role.allows(Role.ADMIN),
        }
