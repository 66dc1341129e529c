"""GET /api/docs: Swagger UI over the API's own document, open, every asset served by the app itself."""

from __future__ import annotations

import re

import pytest

from tests.integration.helpers import Backend

ASSET_TYPES = {".js": "text/javascript", ".css": "text/css", ".png": "image/png"}


def _references(html: str) -> list[str]:
    return re.findall(r'(?:src|href)="([^"]+)"', html)


def test_the_docs_page_is_open_and_references_only_its_own_assets(backend: Backend) -> None:
    page = backend.client.simulate_get("/api/docs")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    policy = page.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    references = _references(page.text)
    assert references and all(ref.startswith("/api/docs/assets/") for ref in references), references
    assert "<script>" not in page.text  # no inline script: the policy allows none


def test_every_referenced_asset_is_served_with_its_type(backend: Backend) -> None:
    references = _references(backend.client.simulate_get("/api/docs").text)
    for path in references:
        asset = backend.client.simulate_get(path)
        assert asset.status_code == 200, path
        expected = ASSET_TYPES[path[path.rindex(".") :]]
        assert asset.headers["content-type"].startswith(expected), (path, asset.headers["content-type"])
        assert asset.headers["x-content-type-options"] == "nosniff"
        assert asset.content


def test_the_start_script_shows_the_api_document(backend: Backend) -> None:
    script = backend.client.simulate_get("/api/docs/assets/docs.js").text
    assert '"/api/v1/openapi.json"' in script
    assert backend.client.simulate_get("/api/v1/openapi.json").status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/api/docs/assets/index.html",  # in the package, but not one of the served assets
        "/api/docs/assets/no-such.js",
        "/api/docs/assets/../../../etc/passwd",
        "/api/docs/assets/..%2F..%2Fsecret.key",
        "/api/docs/assets/%2e%2e%2fapp.py",
    ],
)
def test_unknown_assets_and_path_traversal_are_not_found(backend: Backend, path: str) -> None:
    result = backend.client.simulate_get(path)
    assert result.status_code == 404, (path, result.status_code)
    assert "root:" not in result.text


def test_the_docs_are_not_part_of_the_document(backend: Backend) -> None:
    document = backend.client.simulate_get("/api/v1/openapi.json").json
    assert not any(path.startswith("/api/docs") for path in document["paths"])
