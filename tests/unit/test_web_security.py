"""The back office's pure rules: where to go after signing in, the form token, loopback hosts, the policy and
the content-hashed names of static files."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from productsmanager.config import Config
from productsmanager.entrypoints.web.assets import AssetCatalog
from productsmanager.entrypoints.web.code2asin.details import shown_images
from productsmanager.entrypoints.web.middleware import safe_next
from productsmanager.entrypoints.web.security import content_security_policy, csrf_for, csrf_matches, is_loopback


@given(st.text(max_size=60))
def test_after_sign_in_only_a_path_of_this_site_is_followed(value: str) -> None:
    target = safe_next(value)
    assert target.startswith("/") and not target.startswith("//") and "\\" not in target
    assert target in (value, "/products")


def test_foreign_destinations_fall_back_to_the_catalog() -> None:
    for value in ("//evil.example", "https://evil.example/", "/\\evil.example", "", None, 42):
        assert safe_next(value) == "/products"
    assert safe_next("/imports?status=failed") == "/imports?status=failed"


@given(st.text(min_size=1, max_size=40), st.text(min_size=1, max_size=40))
def test_a_form_token_belongs_to_its_session(one: str, other: str) -> None:
    assert csrf_matches(csrf_for(one), csrf_for(one))
    assert csrf_matches(csrf_for(one), csrf_for(other)) == (csrf_for(one) == csrf_for(other))
    assert not csrf_matches(csrf_for(one), None)
    assert not csrf_matches(csrf_for(one), "")


def test_loopback_hosts() -> None:
    assert all(is_loopback(host) for host in ("127.0.0.1", "127.8.9.1", "::1", "[::1]", "localhost"))
    assert not any(is_loopback(host) for host in ("0.0.0.0", "10.0.0.1", "example.com", "::"))


def test_the_policy_allows_no_inline_code_and_images_from_the_media_store_and_amazon_only() -> None:
    policy = content_security_policy(
        Config.from_env({"PM_DATA_DIR": "/tmp/pm-policy", "PM_MEDIA_PUBLIC_URL": "https://cdn.example.com/media"})
    )
    assert "script-src 'self';" in policy and "style-src 'self';" in policy
    assert "unsafe" not in policy
    images = policy.split("img-src ", 1)[1].split(";", 1)[0].split()
    assert images[:3] == ["'self'", "data:", "blob:"] and images[-1] == "https://cdn.example.com"
    assert "https://m.media-amazon.com" in images and "https://images-eu.ssl-images-amazon.com" in images
    assert all(source.startswith(("'", "data:", "blob:", "https://")) for source in images)
    assert "frame-ancestors 'none'" in policy


def test_static_names_change_with_their_content(tmp_path: Path) -> None:
    (tmp_path / "vendor").mkdir()
    (tmp_path / "app.css").write_text("a{}")
    (tmp_path / "vendor" / "lib.min.js").write_text("1")
    first = AssetCatalog(tmp_path)
    assert re.fullmatch(r"/static/app\.[0-9a-f]{12}\.css", first.url("app.css"))
    assert re.fullmatch(r"/static/vendor/lib\.min\.[0-9a-f]{12}\.js", first.url("vendor/lib.min.js"))
    asset = first.find(first.url("app.css"))
    assert asset is not None and asset.body == b"a{}" and asset.content_type.startswith("text/css")
    (tmp_path / "app.css").write_text("b{}")
    assert AssetCatalog(tmp_path).url("app.css") != first.url("app.css")
    assert first.find("/static/app.css") is None


def test_only_web_addresses_of_amazon_data_are_previewed_or_linked() -> None:
    origins = ("https://m.media-amazon.com",)
    urls = [
        "https://m.media-amazon.com/images/I/a.jpg",
        "http://example.com/b.jpg",
        "javascript:alert(1)",
        "data:image/png;base64,AAAA",
        "//no-scheme.example/c.jpg",
    ]
    shown = shown_images(urls, origins)
    assert [(image["url"], image["inline"]) for image in shown] == [
        ("https://m.media-amazon.com/images/I/a.jpg", True),
        ("http://example.com/b.jpg", False),
    ]
