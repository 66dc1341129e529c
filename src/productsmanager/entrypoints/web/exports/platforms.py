"""Export platforms from the back office (administrators, as in the API): an S3 bucket added with its errors
next to its fields, a platform deleted (exports made to it keep their record). Google Drive platforms are made
by choosing a folder in the folder browser; the download platform is always there."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import falcon

from productsmanager.application.exports.platforms import ExportPlatforms
from productsmanager.domain.errors import DomainError
from productsmanager.entrypoints.falcon.problems import problem_body, to_problem
from productsmanager.entrypoints.falcon.requests import path_uuid
from productsmanager.entrypoints.web.exports.columns import field_errors
from productsmanager.entrypoints.web.forms import read_form, redirect, text
from productsmanager.entrypoints.web.rendering import Renderer

FIELDS = ("name", "bucket", "prefix")


class PlatformsPage:
    """`/exports/platforms`: the new S3 platform's form (GET), the platform (POST)."""

    def __init__(self, platforms: Callable[[], ExportPlatforms], renderer: Renderer) -> None:
        self._platforms = platforms
        self._renderer = renderer

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        self._show(req, resp, dict.fromkeys(FIELDS, ""), None)

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        values = {name: text(read_form(req), name) for name in FIELDS}
        body = {"name": values["name"], "kind": "s3", "bucket": values["bucket"] or None, "prefix": values["prefix"]}
        try:
            self._platforms().create(body)
        except DomainError as error:
            self._show(req, resp, values, to_problem(error))
            return
        redirect(resp, "/exports#platforms")

    def _show(self, req: falcon.Request, resp: falcon.Response, values: dict[str, str], problem: Any) -> None:
        body = problem_body(problem) if problem is not None else None
        self._renderer.render(
            req, resp, "exports/platform.html", status=problem.status_code if problem is not None else 200,
            values=values, problem=body, errors=field_errors(body),
        )  # fmt: skip


class PlatformDeletion:
    """`POST /exports/platforms/{id}/delete`; the download platform is refused (409), as by the API."""

    def __init__(self, platforms: Callable[[], ExportPlatforms]) -> None:
        self._platforms = platforms

    def on_post(self, req: falcon.Request, resp: falcon.Response, platform_id: str) -> None:
        self._platforms().delete(path_uuid(platform_id, "export platform"))
        redirect(resp, "/exports#platforms")
