"""`GET /api/docs`: Swagger UI showing `/api/v1/openapi.json`, open like the document itself.

The page and its scripts and styles come from this process (Swagger UI's files from the installed
`openapi-ui-bundles` package, the page and its start-up script from this package): nothing is fetched from
another origin at run time, and the Content-Security-Policy allows nothing else. Assets are served from a
fixed list of names, so no path given by a client ever reaches the file system."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

import falcon
from openapi_ui_bundles import swagger_ui

from productsmanager.entrypoints.falcon.problems import Problem

ASSETS_PATH = "/api/docs/assets"
POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
JS = "text/javascript; charset=utf-8"
CSS = "text/css; charset=utf-8"


def _own(name: str) -> bytes:
    return resources.files("productsmanager.entrypoints.falcon").joinpath(f"pages/{name}").read_bytes()


def _vendor(name: str) -> bytes:
    return (Path(swagger_ui.static_path) / name).read_bytes()


# name -> (reader, content type): the only files the docs serve.
ASSETS = {
    "swagger-ui.css": (_vendor, CSS),
    "swagger-ui-bundle.js": (_vendor, JS),
    "favicon-32x32.png": (_vendor, "image/png"),
    "docs.js": (_own, JS),
}


@cache
def _asset(name: str) -> bytes:
    read, _ = ASSETS[name]
    return read(name)


def _secure(resp: falcon.Response) -> None:
    resp.set_header("Content-Security-Policy", POLICY)
    resp.set_header("X-Content-Type-Options", "nosniff")
    resp.set_header("Referrer-Policy", "no-referrer")


class DocsPage:
    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        resp.content_type = falcon.MEDIA_HTML
        resp.data = _own("docs.html")
        resp.set_header("Cache-Control", "no-cache")
        _secure(resp)


class DocsAsset:
    def on_get(self, req: falcon.Request, resp: falcon.Response, name: str) -> None:
        if name not in ASSETS:
            raise Problem(404, "Not found", f"no documentation asset is named {name!r}")
        resp.content_type = ASSETS[name][1]
        resp.data = _asset(name)
        resp.set_header("Cache-Control", "public, max-age=86400")
        _secure(resp)
