#!/usr/bin/env python3
"""Screenshots of every back-office page: starts `productsmanager serve` on its embedded defaults in a
temporary data directory, seeds a little data through a container on the same directory (an admin, two
suppliers, a few products with offers and images), signs in with Playwright driving Debian's Chromium, then
saves a PNG of /login, of every page the main navigation links to (pages added later are found there), and of
a list of extra paths (`--out`, default docs/screenshots/). Pages that answer an error are skipped and named.

    .venv/bin/python scripts/screenshots.py --out docs/screenshots
"""

from __future__ import annotations

import argparse
import io
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

from productsmanager.config import Config
from productsmanager.container import Container, build_container

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repository: the tests' serving helper
from tests.served import CHROMIUM, CHROMIUM_ARGS, free_port, served

ADMIN, PASSWORD = "admin@example.com", "Screenshot-Admin-42"
SIGNED_OUT = ("/login", "/forgot-password", "/reset-password")
# Pages no navigation entry links to, with the file name of each (an id makes a poor file name).
EXTRA = {
    "/account": "account",
    "/users/{admin_id}": "user",
    "/products/{product_id}": "product",
    "/imports/{job_id}": "import-job",
    "/imports/new": "import-wizard",
}
SAMPLE = Path(__file__).resolve().parent.parent / "tests/data/samples/acme_catalogue_cp1252.csv"
PRODUCTS = (
    ("4006381333931", "Stabilo pen, blue", "Stabilo", (31, 94, 173)),
    ("5012345678900", "Garden hose 20 m", "Hozelock", (40, 140, 70)),
    ("3017620422003", "Hazelnut spread 400 g", "Nutella", (120, 70, 30)),
    ("8710103917083", "Electric toothbrush", "Philips", (200, 200, 210)),
)


def image(colour: tuple[int, int, int]) -> bytes:
    from PIL import Image, ImageDraw

    picture = Image.new("RGB", (640, 640), (245, 246, 248))
    ImageDraw.Draw(picture).ellipse((120, 120, 520, 520), fill=colour)
    buffer = io.BytesIO()
    picture.save(buffer, "PNG")
    return buffer.getvalue()


def seed(container: Container) -> dict[str, str]:
    """Data through the use cases, as the API would store it; the ids the extra paths name."""
    admin = container.user_administration().create(ADMIN, PASSWORD, "admin")
    container.user_administration().create("editor@example.com", PASSWORD, "editor")
    for code, name in (("ACME", "Acme Wholesale"), ("NORD", "Nordic Supplies")):
        container.supplier_service().create({"code": code, "name": name})
    first = ""
    for n, (ean, name, brand, colour) in enumerate(PRODUCTS):
        product_id = container.product_editor().create(ean, {"name": name, "brand": brand})
        first = first or str(product_id)
        for code in ("ACME", "NORD")[: 1 + n % 2]:
            offer = {"supplier_sku": f"{code}-{n}", "price": f"{9.9 + n * 3:.2f}", "stock": 10 * n}
            container.offer_editor().put(product_id, code, offer)
        container.media_uploader().upload(product_id, image(colour), f"{ean}.png")
    # A supplier file imported through the upload wizard's use case: the imports pages show a finished job.
    wizard = container.upload_wizard()
    preview = wizard.receive("ACME", SAMPLE.name, SAMPLE, admin.id)
    job = wizard.start(preview.upload.id, preview.profile.to_json())
    container.task_queue().drain(timeout=60)
    return {"admin_id": str(admin.id), "product_id": first, "job_id": str(job.id)}


class KeptMail:
    """The mailer of the seeding container: keeps messages instead of logging them (the reset link's token)."""

    def __init__(self) -> None:
        self.sent: list[Any] = []

    def send(self, message: Any) -> None:
        self.sent.append(message)


def reset_link(container: Container) -> str:
    """A real reset link for the admin, so the reset page shows its form rather than "open the link again"."""
    from dependency_injector import providers

    kept = KeptMail()
    with container.mailer.override(providers.Object(kept)):
        container.reset_link_sender().send(ADMIN)
    found = re.search(r"/reset-password\?token=[\w-]+", kept.sent[-1].text)
    return found.group(0) if found else "/reset-password"


def shoot(page: Any, base: str, path: str, out: Path, name: str | None = None) -> None:
    answer = page.goto(base + path)
    if answer is None or answer.status >= 400:
        print(f"skipped {path}: {answer.status if answer else 'no answer'}")
        return
    page.wait_for_load_state("networkidle")
    name = name or path.split("?")[0].strip("/").replace("/", "-") or "home"
    target = out / f"{name}.png"
    page.screenshot(path=str(target), full_page=True)
    print(f"saved {target} ({path.split('?')[0]})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"), help="folder of the PNG files")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)

    with tempfile.TemporaryDirectory(prefix="pm-screens-") as folder:
        data_dir, port = Path(folder), free_port()
        environ = {"PM_DATA_DIR": str(data_dir), "PM_PUBLIC_URL": f"http://127.0.0.1:{port}"}
        environ["PM_LOG_LEVEL"] = "WARNING"
        container = build_container(Config.from_env(environ))
        base = f"http://127.0.0.1:{port}"
        try:
            with served(environ, port, data_dir / "server.log"):
                shoot_all(container, base, args.out)
        finally:
            container.engine().dispose()
    return 0


def shoot_all(container: Container, base: str, out: Path) -> None:
    """Seeds, signs in and saves every page."""
    from playwright.sync_api import sync_playwright

    ids = seed(container)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        for path in SIGNED_OUT:
            shown = reset_link(container) if path == "/reset-password" else path
            shoot(page, base, shown, out, path.strip("/"))
        page.goto(f"{base}/login?next=/account")
        page.get_by_label("E-mail").fill(ADMIN)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/account")
        links = page.eval_on_selector_all("header nav a", "links => links.map(a => a.getAttribute('href'))")
        for path in dict.fromkeys(links):
            shoot(page, base, path, out)
        for template, name in EXTRA.items():
            shoot(page, base, template.format(**ids), out, name)
        browser.close()


if __name__ == "__main__":
    raise SystemExit(main())
