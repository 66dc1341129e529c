"""The catalog's pages on both databases: the grid with the API's filters, its next page and count, a bad
filter's message, a product's page (images, offers, sources, history, Amazon, Odoo), images uploaded, made
primary and deleted through the page endpoints, a viewer's missing controls and refused posts, "Sync now"
without Odoo."""

from __future__ import annotations

import io
import re
import uuid
from typing import Any

import pytest
from PIL import Image

from tests.integration.helpers import Backend
from tests.integration.web_session import WebSession, signed_in

pytestmark = pytest.mark.integration

EANS = ("4006381333931", "4012345678901", "5012345678900")


def jpeg(colour: tuple[int, int, int] = (200, 40, 40)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (640, 480), colour).save(out, "JPEG")
    return out.getvalue()


def multipart(data: bytes, name: str = "photo.jpg") -> tuple[bytes, str]:
    boundary = "pm-web-boundary-51c"
    head = f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n\r\n'
    return head.encode() + data + f"\r\n--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def seed(backend: Backend) -> list[uuid.UUID]:
    """Three products: a drill with an offer and an image, a kettle, a mug of another brand."""
    container = backend.container
    container.supplier_service().create({"code": "ACME", "name": "Acme Supplies"})
    editor = container.product_editor()
    ids = [
        editor.create(EANS[0], {"name": "Cordless Drill", "brand": "Bosch"}),
        editor.create(EANS[1], {"name": "Kettle", "brand": "Bosch"}),
        editor.create(EANS[2], {"name": "Mug", "brand": "Other"}),
    ]
    container.offer_editor().put(ids[0], "acme", {"price": "19.90", "stock": 4, "supplier_sku": "D-1"})
    container.media_uploader().upload(ids[0], jpeg(), "drill.jpg")
    return ids


def upload(session: WebSession, product_id: uuid.UUID, data: bytes) -> Any:
    body, content_type = multipart(data)
    return session.post(f"/products/{product_id}/images", htmx=True, body=body, headers={"Content-Type": content_type})


def test_the_grid_shows_cards_with_small_thumbnails_filters_and_a_count(backend: Backend) -> None:
    ids = seed(backend)
    session = signed_in(backend, "vi@example.com", "viewer")
    page = session.get("/products")
    assert page.status_code == 200
    for name in ("Cordless Drill", "Kettle", "Mug"):
        assert name in page.text
    assert re.search(r'<img src="[^"]*/thumbnails/small\?[^"]*" alt="Cordless Drill"', page.text)
    assert "/content?" not in page.text  # never the original
    assert page.text.count('class="no-image"') == 2
    assert '<label for="f-q">Search</label>' in page.text and 'hx-push-url="true"' in page.text
    assert "from 19.90 EUR" in page.text or "from 19.90" in page.text

    filtered = session.get("/products?q=&brand=bosch&has_images=true&sort=name", htmx=True)
    assert filtered.status_code == 200
    assert "Cordless Drill" in filtered.text and "Kettle" not in filtered.text
    assert "<html" not in filtered.text and 'id="results"' in filtered.text
    count = session.get("/products/count?brand=bosch&has_images=", htmx=True)
    assert "2 products match" in count.text
    assert str(ids[0]) in filtered.text


def test_the_next_page_comes_as_cards_with_the_next_sentinel(backend: Backend) -> None:
    seed(backend)
    session = signed_in(backend, "vi@example.com", "viewer")
    first = session.get("/products?sort=name&limit=2")
    cursor = re.search(r'hx-get="/products\?([^"]*cursor=[^"]*)" hx-trigger="revealed"', first.text)
    assert cursor is not None
    assert "Cordless Drill" in first.text and "Kettle" in first.text and "Mug" not in first.text
    more = session.get("/products?" + cursor.group(1).replace("&amp;", "&"), htmx=True)
    assert more.status_code == 200
    assert "Mug" in more.text and "Kettle" not in more.text
    assert 'id="results"' not in more.text and "revealed" not in more.text  # the last page: no sentinel


def test_a_bad_filter_shows_its_message_not_an_error(backend: Backend) -> None:
    seed(backend)
    session = signed_in(backend, "vi@example.com", "viewer")
    page = session.get("/products?has_asin=maybe&sort=price")
    assert page.status_code == 400
    assert "Some filters are not valid" in page.text and "has_asin" in page.text
    assert '<label for="f-q">Search</label>' in page.text  # the form stays usable


def test_the_product_page_shows_images_offers_sources_history_amazon_and_odoo(backend: Backend) -> None:
    ids = seed(backend)
    session = signed_in(backend, "ed@example.com", "editor")
    page = session.get(f"/products/{ids[0]}")
    assert page.status_code == 200
    assert "<h1>Cordless Drill</h1>" in page.text
    assert "/thumbnails/large?" in page.text and "/thumbnails/medium?" in page.text
    assert f'data-live-topics="thumbnails:{ids[0]}"' in page.text
    assert "Acme Supplies" in page.text and "19.90" in page.text
    assert "Fields and their sources" in page.text and "manual" in page.text
    assert "History" in page.text and "No Amazon data" in page.text
    assert "Sync now" in page.text and "data-dropzone" in page.text and "Make primary" not in page.text
    missing = session.get("/products/00000000-0000-4000-8000-000000000000")
    assert missing.status_code == 404


def test_images_are_uploaded_made_primary_and_deleted_through_the_page(backend: Backend) -> None:
    ids = seed(backend)
    session = signed_in(backend, "ed@example.com", "editor")
    answer = upload(session, ids[0], jpeg((20, 90, 200)))
    assert answer.status_code == 201, answer.text
    library = backend.container.media_library()
    images = library.for_product(ids[0])
    assert len(images) == 2
    second = next(d.media for d in images if not d.media.is_primary)
    assert str(second.id) in answer.text and "Make primary" in answer.text

    made = session.post(f"/products/{ids[0]}/images/{second.id}/primary", htmx=True)
    assert made.status_code == 200
    assert library.get(second.id).media.is_primary

    gone = session.post(f"/products/{ids[0]}/images/{second.id}/delete", htmx=True)
    assert gone.status_code == 200
    assert [d.media.id for d in library.for_product(ids[0])] != [second.id]
    assert len(library.for_product(ids[0])) == 1

    refused = upload(session, ids[0], b"not an image at all")
    assert refused.status_code in (415, 422)
    assert 'role="alert"' in refused.text and len(library.for_product(ids[0])) == 1


def test_a_viewer_sees_no_controls_and_cannot_post(backend: Backend) -> None:
    ids = seed(backend)
    session = signed_in(backend, "vi@example.com", "viewer")
    page = session.get(f"/products/{ids[0]}")
    assert page.status_code == 200
    for control in ("data-dropzone", "Sync now", "Delete", "Make primary"):
        assert control not in page.text
    media_id = backend.container.media_library().for_product(ids[0])[0].media.id
    assert upload(session, ids[0], jpeg()).status_code == 403
    assert session.post(f"/products/{ids[0]}/images/{media_id}/delete", htmx=True).status_code == 403
    assert session.post(f"/products/{ids[0]}/sync", htmx=True).status_code == 403
    assert len(backend.container.media_library().for_product(ids[0])) == 1


def test_sync_now_without_odoo_says_so(backend: Backend) -> None:
    ids = seed(backend)
    session = signed_in(backend, "ed@example.com", "editor")
    answer = session.post(f"/products/{ids[0]}/sync", htmx=True)
    assert answer.status_code == 409, answer.text
    assert "Odoo is not configured" in answer.text


def test_the_back_button_on_a_filtered_grid_gets_the_whole_page(backend: Backend) -> None:
    """htmx restores a pushed URL's page with `HX-Request` and `HX-History-Restore-Request`: a whole document."""
    session = signed_in(backend, "back@example.com", "viewer")
    fragment = session.get("/products?brand=acme", htmx=True)
    assert fragment.status_code == 200 and "<html" not in fragment.text
    restored = session.get("/products?brand=acme", headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert restored.status_code == 200 and "<html" in restored.text and "<nav" in restored.text
