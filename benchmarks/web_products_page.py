"""The back office's products page against `GET /api/v1/products`: the page's HTML must be served in at most
1.5x the API's time for the same filters and limit, and the grid's first screen (HTML, CSS, JS and the small
thumbnails of its cards) must transfer at most 300 KB.

Both run on the seeded bench database (seed_catalog.py) through `productsmanager serve --workers 2`
(gunicorn) on loopback, in the same invocation: each case's page and API request take turns, one keep-alive
connection each, and the median of each counts. For the transfer, the first screen's products get a real
photo-like image through the media upload use case (thumbnails made by the real thumbnailer, stored in a
temporary filesystem store the server serves); those images are deleted at the end.
Needs the bench database (seed_catalog.py).
"""

from __future__ import annotations

import argparse
import http.client
import io
import json
import random
import re
import sys
import tempfile
import uuid
from functools import partial
from html import unescape
from typing import Any
from urllib.parse import urlencode, urlsplit

from cryptography.fernet import Fernet
from PIL import Image, ImageDraw, ImageFilter

from benchlib import (
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    DEFAULT_URL,
    bench_container,
    free_port,
    paired_medians_ms,
    require_seeded,
    serve,
    verdict,
)

MAX_RATIO = 1.5
MAX_FIRST_SCREEN = 300 * 1024
LIMIT = 24  # the page's own page size
CASES = ("", "in_stock=true&has_price=true", "has_asin=true&sort=name", "brand=Ala", "has_images=true", "q=drill")


class Client:
    """One keep-alive connection; `get` returns the status and the body's bytes."""

    def __init__(self, port: int, headers: dict[str, str]) -> None:
        self._conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self._headers = headers

    def get(self, path: str) -> tuple[int, bytes]:
        self._conn.request("GET", path, headers=self._headers)
        response = self._conn.getresponse()
        return response.status, response.read()

    def checked(self, path: str) -> bytes:
        status, body = self.get(path)
        if status != 200:
            raise SystemExit(f"GET {path}: HTTP {status} {body[:300]!r}")
        return body


def api_token(port: int) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    body = json.dumps({"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD})
    conn.request("POST", "/api/v1/auth/login", body=body, headers={"Content-Type": "application/json"})
    response = conn.getresponse()
    payload = json.loads(response.read())
    if response.status != 200:
        raise SystemExit(f"login failed: {payload}")
    return str(payload["access_token"])


def session_cookie(port: int) -> str:
    """Signs in through /login as a browser does (its form token and cookie), returns the session cookie."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", "/login")
    response = conn.getresponse()
    page = response.read().decode()
    cookie = (response.getheader("Set-Cookie") or "").split(";")[0]
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    if token is None:
        raise SystemExit("no form token on /login")
    form = urlencode({"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD, "csrf_token": token.group(1)})
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie}
    conn.request("POST", "/login", body=form, headers=headers)
    answer = conn.getresponse()
    answer.read()
    cookies = [c.split(";")[0] for name, c in answer.getheaders() if name.lower() == "set-cookie"]
    session = next((c for c in cookies if c.startswith("pm_session=")), None)
    if answer.status != 303 or session is None:
        raise SystemExit(f"sign-in failed: HTTP {answer.status}")
    return session


def photo(rng: random.Random, size: int = 1200) -> bytes:
    """A photo-like JPEG (soft shapes on a gradient, some grain): thumbnails about as heavy as real ones."""
    image = Image.linear_gradient("L").resize((size, size)).convert("RGB")
    draw = ImageDraw.Draw(image)
    for _ in range(25):
        x, y, r = rng.randrange(size), rng.randrange(size), rng.randrange(40, size // 3)
        colour = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
        draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)
    image = image.filter(ImageFilter.GaussianBlur(3))
    grain = Image.effect_noise((size, size), 18).convert("RGB")
    out = io.BytesIO()
    Image.blend(image, grain, 0.12).save(out, "JPEG", quality=88)
    return out.getvalue()


def timings(page: Client, api: Client, repeat: int) -> bool:
    print(f"{'case':<32} {'API ms':>8} {'page ms':>8} {'ratio':>6}  verdict")
    worst = 0.0
    for case in CASES:
        query = f"{case}&limit={LIMIT}" if case else f"limit={LIMIT}"
        page_path, api_path = f"/products?{query}", f"/api/v1/products?{query}"
        for _ in range(3):  # warm-up: plans, pools, compiled templates
            page.checked(page_path), api.checked(api_path)
        actions = [partial(api.checked, api_path), partial(page.checked, page_path)]
        api_ms, page_ms = paired_medians_ms(actions, repeat)
        ratio = page_ms / api_ms
        worst = max(worst, ratio)
        print(
            f"{case or '(no filter)':<32} {api_ms:>8.2f} {page_ms:>8.2f} {ratio:>6.2f}  {verdict(ratio <= MAX_RATIO)}"
        )
    print(f"\nproducts page vs API: {verdict(worst <= MAX_RATIO)} (worst ratio {worst:.2f}, target <= {MAX_RATIO})")
    return worst <= MAX_RATIO


def first_screen(page: Client, api: Client, container: Any) -> bool:
    """The first screen's products get a real image, then the page and what it loads are fetched."""
    items = json.loads(api.checked(f"/api/v1/products?limit={LIMIT}"))["items"]
    rng, uploaded = random.Random(19), []
    try:
        for item in items:
            if not item["images"]:
                shown = container.media_uploader().upload_and_show(uuid.UUID(item["id"]), photo(rng), "photo.jpg")
                uploaded.append(shown.details.media.id)
            else:  # a seeded image: its rows only, so its small thumbnail's object is made at the recorded key
                give_thumbnail(container, uuid.UUID(item["images"][0]["id"]), photo(rng))
        html = page.checked("/products")
        text = html.decode()
        assets = re.findall(r'<(?:link rel="stylesheet" href|script src)="([^"]+)"', text)
        thumbnails = [unescape(src) for src in re.findall(r'<img src="([^"]+)"', text)]
        # What the page itself asks for once shown: its CSS and JS, and the count of matches (htmx).
        asset_bytes = sum(len(page.checked(unescape(path))) for path in assets)
        asset_bytes += sum(
            len(page.checked(unescape(path))) for path in re.findall(r'hx-get="(/products/count[^"]*)"', text)
        )
        thumb_sizes = [len(page.checked(_local(url))) for url in thumbnails]
    finally:
        library = container.media_library()
        for media_id in uploaded:
            library.delete(media_id)
    total = len(html) + asset_bytes + sum(thumb_sizes)
    print(
        f"\nfirst screen ({len(items)} cards): HTML {len(html) / 1024:.1f} KB, assets {asset_bytes / 1024:.1f} KB,"
        f" {len(thumb_sizes)} small thumbnails {sum(thumb_sizes) / 1024:.1f} KB"
        f" (largest {max(thumb_sizes, default=0) / 1024:.1f} KB)"
    )
    ok = total <= MAX_FIRST_SCREEN and len(thumb_sizes) == len(items)
    print(f"first screen transfer: {verdict(ok)} ({total / 1024:.1f} KB, target <= {MAX_FIRST_SCREEN // 1024} KB)")
    return ok


def give_thumbnail(container: Any, media_id: uuid.UUID, data: bytes) -> None:
    """The real thumbnailer's `small` rendering of `data`, stored where the seeded row says it is."""
    (small,) = container.thumbnailer().render(data, ["small"])
    for thumbnail in container.media_library().get(media_id).thumbnails:
        if thumbnail.size == "small":
            container.media_store().put(thumbnail.storage_key, small.data, "image/jpeg")


def _local(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=DEFAULT_URL, help=f"bench database (default {DEFAULT_URL})")
    parser.add_argument("--repeat", type=int, default=61, help="paired requests per case; the medians count")
    args = parser.parse_args()
    products = require_seeded(args.database_url)
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="pm-web-bench-") as data_dir:
        settings = {
            "PM_DATABASE_URL": args.database_url,
            "PM_SECRET_KEYS": Fernet.generate_key().decode(),
            "PM_DATA_DIR": data_dir,
            "PM_PUBLIC_URL": f"http://127.0.0.1:{port}",
        }
        server = serve(port, settings)
        container = bench_container(args.database_url, **{k: v for k, v in settings.items() if k != "PM_DATABASE_URL"})
        try:
            api = Client(port, {"Authorization": f"Bearer {api_token(port)}"})
            page = Client(port, {"Cookie": session_cookie(port)})
            print(f"{products} products; gunicorn 2 workers on 127.0.0.1:{port}; {args.repeat} paired requests a case")
            fast = timings(page, api, args.repeat)
            light = first_screen(page, api, container)
        finally:
            server.terminate()
            server.wait(timeout=30)
            container.engine().dispose()
    sys.exit(0 if fast and light else 1)


if __name__ == "__main__":
    main()
