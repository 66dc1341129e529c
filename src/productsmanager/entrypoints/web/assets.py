"""The back office's static files, served by the app from the package under content-hashed names
(`app.3f2a9c1b7d0e.css`) with a one-year immutable cache lifetime: a new release changes the name, never the
content behind a name. `static/vendor/` holds the files installed from the npm registry at build time
(`scripts/vendor_assets.py`), each with its licence."""

from __future__ import annotations

import hashlib
import mimetypes
from importlib import resources
from importlib.resources.abc import Traversable

import falcon
from attrs import frozen

IMMUTABLE = "public, max-age=31536000, immutable"
_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8", ".svg": "image/svg+xml"}


@frozen
class Asset:
    url: str
    body: bytes
    content_type: str


class MissingAsset(LookupError):
    """The page asks for a file the package does not hold (a vendor file not installed: run the set-up)."""


class AssetCatalog:
    def __init__(self, root: Traversable | None = None, prefix: str = "/static/") -> None:
        root = root or resources.files("productsmanager.entrypoints.web").joinpath("static")
        self._by_name: dict[str, Asset] = {}
        self._by_url: dict[str, Asset] = {}
        for path, relative in _walk(root, ""):
            body = path.read_bytes()
            stem, dot, ext = relative.rpartition(".")
            digest = hashlib.sha256(body).hexdigest()[:12]
            url = f"{prefix}{stem}.{digest}.{ext}" if dot else f"{prefix}{relative}.{digest}"
            kind = _TYPES.get(f".{ext}") or mimetypes.guess_type(relative)[0] or "application/octet-stream"
            asset = Asset(url, body, kind)
            self._by_name[relative] = asset
            self._by_url[url] = asset

    def url(self, name: str) -> str:
        try:
            return self._by_name[name].url
        except KeyError:
            raise MissingAsset(f"static file {name!r} is missing: run ./scripts/bootstrap.sh") from None

    def find(self, url: str) -> Asset | None:
        return self._by_url.get(url)


def _walk(folder: Traversable, prefix: str) -> list[tuple[Traversable, str]]:
    found: list[tuple[Traversable, str]] = []
    for entry in folder.iterdir():
        name = f"{prefix}{entry.name}"
        if entry.is_dir():
            found.extend(_walk(entry, f"{name}/"))
        elif entry.is_file() and not entry.name.startswith("."):
            found.append((entry, name))
    return found


class StaticFiles:
    """`GET /static/{name:path}`: only the hashed names the catalog made; anything else is 404."""

    def __init__(self, catalog: AssetCatalog) -> None:
        self._catalog = catalog

    def on_get(self, req: falcon.Request, resp: falcon.Response, name: str) -> None:
        asset = self._catalog.find(req.path)
        if asset is None:
            raise falcon.HTTPNotFound()
        resp.content_type = asset.content_type
        resp.data = asset.body
        resp.set_header("Cache-Control", IMMUTABLE)
        resp.set_header("X-Content-Type-Options", "nosniff")
