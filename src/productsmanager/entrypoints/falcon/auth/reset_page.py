"""`GET /reset-password`: the page the reset e-mail links to (`{PM_PUBLIC_URL}/reset-password?token=...`).

A static page that posts the token and the new password to the API, so that the embedded default works end
to end without a separate front end; a front end served at PM_PUBLIC_URL can replace it. The page takes the
token out of the address bar as soon as it loads, sends no referrer, and its only script is allowed by hash."""

from __future__ import annotations

import base64
import hashlib
import re
from functools import cache
from importlib import resources

import falcon


@cache
def _page() -> tuple[bytes, str]:
    html = resources.files("productsmanager.entrypoints.falcon").joinpath("pages/reset_password.html").read_text()
    script = re.search(r"<script>(.*?)</script>", html, flags=re.S)
    assert script is not None, "the reset page has lost its script"
    digest = base64.b64encode(hashlib.sha256(script.group(1).encode()).digest()).decode()
    policy = (
        f"default-src 'none'; script-src 'sha256-{digest}'; style-src 'unsafe-inline'; connect-src 'self'; "
        "form-action 'none'; frame-ancestors 'none'; base-uri 'none'"
    )
    return html.encode(), policy


class ResetPasswordPage:
    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        body, policy = _page()
        resp.content_type = falcon.MEDIA_HTML
        resp.data = body
        resp.set_header("Content-Security-Policy", policy)
        resp.set_header("Cache-Control", "no-store")
        resp.set_header("Referrer-Policy", "no-referrer")
        resp.set_header("X-Content-Type-Options", "nosniff")
