"""Product images through the REST API on the embedded filesystem store (both databases): upload,
dedup, the one-primary rule, thumbnails, content, deletion, refusals."""

from __future__ import annotations

import io
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import urlsplit

import pytest
from PIL import Image

from productsmanager.adapters.images import PillowThumbnailer
from tests.integration.helpers import Backend, Users, assert_problem

pytestmark = pytest.mark.integration


def image_bytes(
    width: int = 1200, height: int = 900, fmt: str = "JPEG", colour: tuple[int, int, int] = (200, 40, 40)
) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, fmt)
    return out.getvalue()


def _product(backend: Backend, ean: str = "4006381333931") -> str:
    return str(backend.container.product_editor().create(ean, {"name": "Mug"}))


def multipart(field: str, file_name: str, data: bytes) -> tuple[bytes, str]:
    """A multipart/form-data body with one file part, as browsers and `curl -F` send it."""
    boundary = "pm-test-boundary-7d1c"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="{file_name}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    )
    body = head.encode() + data + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def fetch(backend: Backend, url: str) -> Any:
    """GET of a URL the API handed out (signed, with the public URL's scheme and host), without a token."""
    parts = urlsplit(url)
    return backend.client.simulate_get(parts.path, query_string=parts.query)


def _upload(
    backend: Backend, headers: dict[str, str], product_id: str, data: bytes, name: str = "p.jpg", field: str = "file"
) -> Any:
    body, content_type = multipart(field, name, data)
    return backend.client.simulate_post(
        f"/api/v1/products/{product_id}/media", headers={**headers, "Content-Type": content_type}, body=body
    )


def test_upload_makes_thumbnails_and_the_list_shows_them(backend: Backend, users: Users) -> None:
    product_id = _product(backend)
    result = _upload(backend, users.editor, product_id, image_bytes(1200, 900))
    assert result.status_code == 201, result.text
    media = result.json
    assert media["is_primary"] and media["status"] == "ready" and media["file_name"] == "p.jpg"
    assert (media["width"], media["height"], media["content_type"]) == (1200, 900, "image/jpeg")
    thumbnails = media["thumbnails"]
    assert all(thumbnails[size] for size in ("small", "medium", "large")), thumbnails
    item = backend.client.simulate_get("/api/v1/products", headers=users.viewer).json["items"][0]
    assert [i["id"] for i in item["images"]] == [media["id"]] and item["images"][0]["thumbnails"] == thumbnails
    original = fetch(backend, media["file_url"])
    assert original.status_code == 200 and original.content == image_bytes(1200, 900)
    large = fetch(backend, thumbnails["large"])
    assert large.headers["content-type"] == "image/jpeg"
    assert Image.open(io.BytesIO(large.content)).size == (800, 600)


def test_a_raw_body_upload_works_and_the_same_bytes_give_the_stored_file(backend: Backend, users: Users) -> None:
    product_id = _product(backend)
    data = image_bytes(300, 200, "PNG")
    first = backend.client.simulate_post(
        f"/api/v1/products/{product_id}/media", headers={**users.editor, "Content-Type": "image/png"}, body=data
    )
    assert first.status_code == 201, first.text
    again = _upload(backend, users.editor, product_id, data, "other-name.png")
    assert again.status_code == 200 and again.json["id"] == first.json["id"]
    listed = backend.client.simulate_get(f"/api/v1/products/{product_id}/media", headers=users.viewer).json
    assert len(listed["items"]) == 1


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"%PDF-1.7\n%%EOF", "not an image"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "svg"),
        (image_bytes(800, 600)[:2000], "truncated jpeg"),
    ],
)
def test_what_is_not_a_whole_image_is_refused_with_422(
    backend: Backend, users: Users, data: bytes, reason: str
) -> None:
    product_id = _product(backend)
    assert_problem(_upload(backend, users.editor, product_id, data), 422, "file")
    assert backend.client.simulate_get(f"/api/v1/products/{product_id}/media", headers=users.viewer).json == {
        "items": []
    }


def test_upload_needs_an_editor_and_an_existing_product(backend: Backend, users: Users) -> None:
    product_id = _product(backend)
    assert _upload(backend, users.viewer, product_id, image_bytes(10, 10)).status_code == 403
    missing = "00000000-0000-4000-8000-000000000000"
    assert_problem(_upload(backend, users.editor, missing, image_bytes(10, 10)), 404)
    assert_problem(_upload(backend, users.editor, product_id, b"1", field="other"), 400, "file")


def test_the_upload_limit_and_thumbnail_quality_follow_the_settings(backend: Backend, users: Users) -> None:
    """Below PM_MEDIA_MAX_BYTES (the ceiling), an admin sets the limit; the thumbnails take the set quality."""
    product_id, data = _product(backend), image_bytes(900, 600)
    media = {"max_upload_bytes": len(data) - 1, "thumbnail_jpeg_quality": 30}
    assert backend.client.simulate_put("/api/v1/settings/media", headers=users.admin, json=media).status_code == 200
    assert_problem(_upload(backend, users.editor, product_id, data), 413, "file")
    media["max_upload_bytes"] = len(data)
    assert backend.client.simulate_put("/api/v1/settings/media", headers=users.admin, json=media).status_code == 200
    uploaded = _upload(backend, users.editor, product_id, data)
    assert uploaded.status_code == 201, uploaded.text
    large = fetch(backend, uploaded.json["thumbnails"]["large"])
    assert large.content == PillowThumbnailer().render(data, ["large"], 30)[0].data
    assert large.content != PillowThumbnailer().render(data, ["large"])[0].data


def test_primary_moves_and_deleting_it_promotes_the_next(backend: Backend, users: Users) -> None:
    product_id = _product(backend)
    uploaded = [
        _upload(backend, users.editor, product_id, image_bytes(50, 50, colour=(n * 40, 0, 0))).json for n in range(3)
    ]
    ids = [media["id"] for media in uploaded]

    def primaries() -> list[str]:
        items = backend.client.simulate_get(f"/api/v1/products/{product_id}/media", headers=users.viewer).json["items"]
        return [i["id"] for i in items if i["is_primary"]]

    assert primaries() == [ids[0]]
    patched = backend.client.simulate_patch(
        f"/api/v1/media/files/{ids[2]}", headers=users.editor, json={"is_primary": True}
    )
    assert patched.status_code == 200 and patched.json["is_primary"]
    assert primaries() == [ids[2]]
    cleared = backend.client.simulate_patch(
        f"/api/v1/media/files/{ids[2]}", headers=users.editor, json={"is_primary": False}
    )
    assert_problem(cleared, 422, "is_primary")
    assert backend.client.simulate_delete(f"/api/v1/media/files/{ids[2]}", headers=users.editor).status_code == 204
    assert primaries() == [ids[0]]
    gone = fetch(backend, uploaded[2]["file_url"])
    assert_problem(gone, 404)


def test_thumbnails_can_be_regenerated(backend: Backend, users: Users) -> None:
    media_id = _upload(backend, users.editor, _product(backend), image_bytes(400, 400)).json["id"]
    result = backend.client.simulate_post(
        f"/api/v1/media/files/{media_id}/generate-thumbnails", headers=users.editor, params={"force": "true"}
    )
    assert result.status_code == 202 and result.json["force"] is True
    media = backend.client.simulate_get(f"/api/v1/media/files/{media_id}", headers=users.viewer).json
    assert media["status"] == "ready" and media["thumbnails"]["large"]


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_concurrent_first_uploads_leave_exactly_one_primary(backend: Backend, users: Users) -> None:
    product_id = _product(backend)
    headers = users.editor
    start = threading.Barrier(4, timeout=10)

    def upload(n: int) -> int:
        start.wait()
        return _upload(backend, headers, product_id, image_bytes(64, 64, colour=(n * 50, 10, 10))).status_code

    with ThreadPoolExecutor(max_workers=4) as pool:
        assert sorted(pool.map(upload, range(4))) == [201] * 4
    items = backend.client.simulate_get(f"/api/v1/products/{product_id}/media", headers=users.viewer).json["items"]
    assert len(items) == 4 and sum(i["is_primary"] for i in items) == 1
