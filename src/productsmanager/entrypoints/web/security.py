"""The back office's session cookie, CSRF tokens and response headers.

The cookie holds the same opaque session token the API's login issues (same table, expiry and revocation),
HttpOnly and SameSite=Lax, and Secure unless the server is the embedded default on a loopback address (a
browser drops Secure cookies sent over plain http). A form's CSRF token is derived from the session token
(HMAC), so it needs no storage and a page's token changes with each sign-in; before sign-in the login form
uses a double-submit cookie instead. The policy allows scripts, styles and connections from the app itself
only (no inline script or style), images from the app, the media store and Amazon's image hosts."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
from urllib.parse import urlsplit

import falcon

from productsmanager.config import Config
from productsmanager.domain.code2asin.marketplaces import AMAZON_IMAGE_HOSTS

SESSION_COOKIE = "pm_session"
LOGIN_CSRF_COOKIE = "pm_login_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class WebSecurity:
    def __init__(self, config: Config) -> None:
        self.secure_cookies = not (config.embedded and is_loopback(config.host))
        self.policy = content_security_policy(config)

    def set_session(self, resp: falcon.Response, token: str, max_age: int) -> None:
        resp.set_cookie(
            SESSION_COOKIE,
            token,
            max_age=max_age,
            path="/",
            secure=self.secure_cookies,
            http_only=True,
            same_site="Lax",
        )

    def clear_session(self, resp: falcon.Response) -> None:
        resp.unset_cookie(SESSION_COOKIE, path="/", same_site="Lax")

    def login_csrf(self, req: falcon.Request, resp: falcon.Response) -> str:
        """The sign-in forms' token: the cookie's value when the browser has one, else a new one."""
        token = req.cookies.get(LOGIN_CSRF_COOKIE) or secrets.token_urlsafe(24)
        resp.set_cookie(
            LOGIN_CSRF_COOKIE,
            token,
            max_age=3600,
            path="/",
            secure=self.secure_cookies,
            http_only=True,
            same_site="Lax",
        )
        return token

    def add_headers(self, resp: falcon.Response) -> None:
        resp.set_header("Content-Security-Policy", self.policy)
        resp.set_header("X-Content-Type-Options", "nosniff")
        # a page may ask for a stricter policy (the reset page sends none)
        resp.set_header("Referrer-Policy", resp.get_header("Referrer-Policy") or "same-origin")
        resp.set_header("X-Frame-Options", "DENY")
        resp.set_header("Cache-Control", "no-store")


def session_token(req: falcon.Request) -> str | None:
    token = req.cookies.get(SESSION_COOKIE)
    return token or None


def csrf_for(session: str) -> str:
    return hmac.new(session.encode(), b"productsmanager back-office form", hashlib.sha256).hexdigest()


def csrf_matches(expected: str, given: object) -> bool:
    return isinstance(given, str) and bool(given) and hmac.compare_digest(expected.encode(), given.encode())


# The Code2ASIN pages preview Amazon's product images: images only, no script, style or connection from there.
AMAZON_IMAGE_ORIGINS = tuple(f"https://{host}" for host in AMAZON_IMAGE_HOSTS)


def content_security_policy(config: Config) -> str:
    images = ["'self'", "data:", "blob:", *AMAZON_IMAGE_ORIGINS]
    for url in (config.media_public_url, config.s3_endpoint):
        if url:
            parts = urlsplit(url)
            if parts.scheme and parts.netloc:
                images.append(f"{parts.scheme}://{parts.netloc}")
    return (
        "default-src 'self'; script-src 'self'; style-src 'self'; "
        f"img-src {' '.join(dict.fromkeys(images))}; connect-src 'self'; font-src 'self'; "
        "object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
    )
