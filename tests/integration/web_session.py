"""A signed-in browser, as far as the server can tell: the back office's session cookie and form token,
over falcon's test client. Page tests use it; tests/browser drive a real browser instead."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from falcon import testing

from productsmanager.entrypoints.web.security import SESSION_COOKIE, csrf_for
from tests.integration.helpers import PASSWORD, Backend

_CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]*)">')
_LOGIN_CSRF = re.compile(r'name="csrf_token" value="([^"]*)"')


@dataclass
class WebSession:
    client: testing.TestClient
    cookies: dict[str, str] = field(default_factory=dict)
    csrf_token: str = ""

    def sign_in(self, email: str, password: str = PASSWORD) -> testing.Result:
        page = self.get("/login")
        token = _LOGIN_CSRF.search(page.text)
        assert token is not None, page.text
        result = self.post("/login", {"email": email, "password": password, "csrf_token": token.group(1)})
        if result.status_code == 303:
            self.csrf_token = csrf_for(self.cookies[SESSION_COOKIE])  # what every page's meta tag carries
        return result

    def get(self, path: str, *, htmx: bool = False, **kwargs: Any) -> testing.Result:
        headers: dict[str, str] = {**({"HX-Request": "true"} if htmx else {}), **kwargs.pop("headers", {})}
        return self._keep(self.client.simulate_get(path, cookies=self.cookies, headers=headers, **kwargs))

    def post(
        self, path: str, form: dict[str, Any] | None = None, *, htmx: bool = False, **kwargs: Any
    ) -> testing.Result:
        headers: dict[str, str] = dict(kwargs.pop("headers", {}))
        if htmx:
            headers.update({"HX-Request": "true", "X-CSRF-Token": self.csrf_token})
        if form is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            kwargs["body"] = urlencode(form, doseq=True)
        return self._keep(self.client.simulate_post(path, cookies=self.cookies, headers=headers, **kwargs))

    def form(self, **fields: Any) -> dict[str, Any]:
        """Fields of a form with the page's token, as a browser posts it."""
        return {"csrf_token": self.csrf_token, **fields}

    @staticmethod
    def csrf_of(page: testing.Result) -> str:
        found = _CSRF_META.search(page.text)
        return found.group(1) if found else ""

    def _keep(self, result: testing.Result) -> testing.Result:
        for cookie in result.cookies.values():
            if cookie.max_age == 0 or (cookie.expires is not None and not cookie.value):
                self.cookies.pop(cookie.name, None)
            else:
                self.cookies[cookie.name] = cookie.value
        return result


def signed_in(backend: Backend, email: str, role: str) -> WebSession:
    """A user of `role` created through the use case and signed in through /login."""
    backend.container.user_administration().create(email, PASSWORD, role)
    session = WebSession(backend.client)
    result = session.sign_in(email)
    assert result.status_code == 303, result.text
    return session
