"""The catalog in a real browser: the grid filtered with its thumbnails loaded, a product's page with an image
uploaded through the dropzone and its thumbnails appearing, both pages accessible."""

from __future__ import annotations

import io
import uuid
from typing import Any

import pytest
from PIL import Image

from tests.browser.conftest import Server, assert_accessible, sign_in

pytestmark = pytest.mark.browser

LOADED = "imgs => imgs.length > 0 && imgs.every(img => img.complete && img.naturalWidth > 0)"


def jpeg(colour: tuple[int, int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (600, 400), colour).save(out, "JPEG")
    return out.getvalue()


def product(server: Server, ean: str, name: str, brand: str, image: bytes | None) -> uuid.UUID:
    """Made through the use cases; its image through the media upload use case, so its thumbnails exist."""
    product_id = server.container.product_editor().create(ean, {"name": name, "brand": brand})
    if image is not None:
        server.container.media_uploader().upload(product_id, image, f"{name}.jpg")
    return product_id


def test_the_grid_filters_and_loads_thumbnails(page: Any, server: Server) -> None:
    product(server, "4006381333931", "Lamp Alpha", "Lumina", jpeg((200, 30, 30)))
    product(server, "4012345678901", "Lamp Beta", "Lumina", jpeg((30, 30, 200)))
    product(server, "5012345678900", "Kettle Gamma", "Brewster", None)
    sign_in(page, server, "grid@example.com", "viewer")
    page.goto("/products")
    assert_accessible(page)
    page.get_by_label("Brand").fill("lumina")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url("**/products?*brand=lumina*")
    cards = page.locator("#results .product-card")
    cards.filter(has_text="Lamp Alpha").wait_for()
    assert cards.count() == 2 and cards.filter(has_text="Kettle Gamma").count() == 0
    page.wait_for_function(f"() => ({LOADED})(Array.from(document.querySelectorAll('#results img')))")
    assert all(
        "/thumbnails/small" in src for src in page.locator("#results img").evaluate_all("i => i.map(x => x.src)")
    )
    page.get_by_text("2 products match").wait_for()
    page.reload()
    assert page.get_by_label("Brand").input_value() == "lumina"


def test_an_image_dropped_on_a_product_page_shows_its_thumbnails(page: Any, server: Server) -> None:
    product_id = product(server, "4000000000006", "Teapot Delta", "Brewster", None)
    sign_in(page, server, "upload@example.com", "editor")
    page.goto(f"/products/{product_id}")
    page.get_by_role("heading", name="Teapot Delta").wait_for()
    assert_accessible(page)
    page.locator("[data-dropzone] input[type=file]").set_input_files(
        {"name": "teapot.jpg", "mimeType": "image/jpeg", "buffer": jpeg((20, 160, 60))}
    )
    page.locator("#gallery .thumb img").first.wait_for()
    page.wait_for_function(f"() => ({LOADED})(Array.from(document.querySelectorAll('#gallery img')))")
    assert "/thumbnails/medium" in (page.locator("#gallery .thumb img").first.get_attribute("src") or "")
    assert "/thumbnails/large" in (page.locator("#gallery .primary-image img").get_attribute("src") or "")
    assert_accessible(page)
