"""Google Drive from the exports page: connecting (the REST flow: the authorization URL, Google, then the REST
callback, which lands back on /exports because of the cookie left here), disconnecting, and browsing the
account's folders to choose one as an export's target (a Google Drive platform for that folder)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import falcon

from productsmanager.application.exports.platforms import ExportPlatforms
from productsmanager.application.google.browser import DriveBrowser
from productsmanager.application.google.connection import GoogleConnection
from productsmanager.domain.exports.platforms import PlatformKind
from productsmanager.entrypoints.falcon.google.connection import CALLBACK_PATH, OUTCOMES, RETURN_COOKIE
from productsmanager.entrypoints.falcon.google.drive import drive_id
from productsmanager.entrypoints.falcon.google.errors import google_problems
from productsmanager.entrypoints.falcon.problems import Problem, problem_body
from productsmanager.entrypoints.web.forms import read_form, redirect, text
from productsmanager.entrypoints.web.rendering import Renderer

FOLDERS_PER_PAGE = 25
STATE_MINUTES = 10


class GoogleConnect:
    """`GET /exports/google/connect` (a link: a form's redirect to Google would break the form-action policy)."""

    def __init__(self, connection: Callable[[], GoogleConnection], renderer: Renderer) -> None:
        self._connection = connection
        self._secure = renderer.security.secure_cookies

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        try:
            with google_problems():
                url = self._connection().authorize(req.context.user.id)
        except Problem as problem:
            redirect(resp, f"/exports?google={OUTCOMES.get(problem.status_code, 'refused')}#google")
            return
        resp.set_cookie(RETURN_COOKIE, "/exports", max_age=STATE_MINUTES * 60, path=CALLBACK_PATH,
                        secure=self._secure, http_only=True, same_site="Lax")  # fmt: skip
        redirect(resp, url)


class GoogleDisconnect:
    def __init__(self, connection: Callable[[], GoogleConnection]) -> None:
        self._connection = connection

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        with google_problems():
            self._connection().disconnect()
        redirect(resp, "/exports?google=disconnected#google")


class GoogleFolders:
    """`GET /exports/google/folders?parent=…&page=…`: a folder's folders (the REST listing, a page at a time);
    `POST` (administrators): the chosen folder becomes a platform, preselected in the new export's form."""

    def __init__(
        self, browser: Callable[[], DriveBrowser], platforms: Callable[[], ExportPlatforms], renderer: Renderer
    ) -> None:
        self._browser = browser
        self._platforms = platforms
        self._renderer = renderer

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        parent = req.get_param("parent")
        number = max(1, req.get_param_as_int("page", min_value=1, default=1) or 1)
        context: dict[str, Any] = {"listing": None, "problem": None, "page_number": number, "has_next": False}
        try:
            with google_problems():
                listing = self._browser().folders(drive_id(parent, "parent") if parent else None)
        except Problem as problem:
            context["problem"] = problem_body(problem)
            self._renderer.render(
                req, resp, "exports/folders.html", block="folders", status=problem.status_code, **context
            )
            return
        start = (number - 1) * FOLDERS_PER_PAGE
        context.update(
            listing=listing,
            folders=listing.folders[start : start + FOLDERS_PER_PAGE],
            has_next=len(listing.folders) > start + FOLDERS_PER_PAGE,
        )
        self._renderer.render(req, resp, "exports/folders.html", block="folders", **context)

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        form = read_form(req)
        folder, name = (
            drive_id(text(form, "folder_id"), "folder_id"),
            text(form, "name")[:80] or text(form, "folder_id"),
        )
        platforms = self._platforms()
        known = [p for p in platforms.list() if p.kind is PlatformKind.GDRIVE and p.folder_id == folder]
        chosen = known[0] if known else platforms.create({"name": f"Google Drive: {name}", "kind": "gdrive",
                                                          "folder_id": folder})  # fmt: skip
        redirect(resp, f"/exports?platform={chosen.id}#new-export")
