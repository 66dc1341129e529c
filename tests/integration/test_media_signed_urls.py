"""The filesystem store's media routes through the REST API (both databases): the bytes only through the
signed URLs the API hands out (403 problem+json when missing, altered or expired), and headers on every
media response that stop a browser from reading stored bytes as anything but an image."""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.integration.helpers import Backend, Users, assert_problem
from tests.integration.test_media_api import _product, _upload, fetch, image_bytes

pytestmark = pytest.mark.integration
SANDBOX = "default-src 'none'; sandbox"


def _uploaded(backend: Backend, users: Users) -> dict[str, object]:
    result = _upload(backend, users.editor, _product(backend), image_bytes(900, 600))
    assert result.status_code == 201, result.text
    return result.json  # type: ignore[no-any-return]


def _media_headers(result: object, policy: str | None = None) -> None:
    headers = result.headers  # type: ignore[attr-defined]
    assert headers["x-content-type-options"] == "nosniff"
    csp = headers["content-security-policy"]
    assert csp == policy if policy else csp.startswith("default-src 'none'") and "sandbox" in csp


def test_the_urls_handed_out_fetch_the_bytes_with_safe_headers(backend: Backend, users: Users) -> None:
    media = _uploaded(backend, users)
    expiry = backend.container.config().media_url_expiry_seconds
    urls = [media["file_url"], *media["thumbnails"].values()]  # type: ignore[attr-defined]
    for url in urls:
        query = parse_qs(urlsplit(url).query)
        assert expiry / 2 < int(query["expires"][0]) - time.time() <= expiry + 1
        result = fetch(backend, url)
        assert result.status_code == 200 and result.headers["content-type"] == "image/jpeg"
        _media_headers(result, SANDBOX)
        max_age = int(result.headers["cache-control"].split("max-age=")[1].split(",")[0])
        assert result.headers["cache-control"].startswith("private") and 0 < max_age <= expiry


@pytest.mark.parametrize("what", ["missing", "no signature", "altered signature", "later expiry", "other file"])
def test_a_missing_or_altered_signature_is_refused_with_403(backend: Backend, users: Users, what: str) -> None:
    media = _uploaded(backend, users)
    parts = urlsplit(media["file_url"])  # type: ignore[arg-type]
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    path = parts.path
    if what == "missing":
        query = {}
    elif what == "no signature":
        del query["signature"]
    elif what == "altered signature":
        query["signature"] = ("0" if query["signature"][0] != "0" else "1") + query["signature"][1:]
    elif what == "later expiry":
        query["expires"] = str(int(query["expires"]) + 86400)
    else:  # the signature of one file's original on its large thumbnail
        path = path.replace("/content", "/thumbnails/large")
    result = backend.client.simulate_get(path, params=query)
    assert_problem(result, 403)
    _media_headers(result, SANDBOX)


def test_an_expired_url_is_refused_and_unsigned_requests_do_not_tell_which_files_exist(
    backend: Backend, users: Users
) -> None:
    media = _uploaded(backend, users)
    signer = backend.container.media_url_signer()
    path = urlsplit(media["file_url"]).path  # type: ignore[arg-type]
    expired = signer.signed(path, int(time.time()) - 1)
    assert_problem(fetch(backend, expired), 403)
    unknown = "/api/v1/media/files/00000000-0000-4000-8000-000000000000/content"
    assert_problem(backend.client.simulate_get(unknown), 403)  # not 404: nothing learnt without a signature
    assert_problem(fetch(backend, signer.sign(unknown)), 404)


def test_media_json_routes_carry_the_headers_too(backend: Backend, users: Users) -> None:
    media = _uploaded(backend, users)
    product_id = media["product_id"]
    for result in (
        backend.client.simulate_get(f"/api/v1/media/files/{media['id']}", headers=users.viewer),
        backend.client.simulate_get(f"/api/v1/products/{product_id}/media", headers=users.viewer),
        backend.client.simulate_post(f"/api/v1/media/files/{media['id']}/generate-thumbnails", headers=users.editor),
        backend.client.simulate_get(f"/api/v1/media/files/{media['id']}"),  # 401
        _upload(backend, users.editor, str(product_id), b"<html>"),  # 422
    ):
        assert result.status_code in (200, 202, 401, 422), result.text
        _media_headers(result)
