"""Every back-office page, as the table declares it: each responder of a page resource has a role unless the
page is one of the sign-in pages (a method without a role would be public and skip the form token); every page
without path parameters answers an admin, refuses a role below its own with a 403 page, and sends a
signed-out visitor to /login."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import make_url

from productsmanager.domain.users import Role
from productsmanager.entrypoints.web import web_middleware
from productsmanager.entrypoints.web.routes import PAGES
from tests.integration.helpers import Backend
from tests.integration.outage_helpers import app_with
from tests.integration.tcp_proxy import tcp_proxy
from tests.integration.web_session import WebSession, signed_in

pytestmark = pytest.mark.integration

PUBLIC = {"/login", "/forgot-password", "/reset-password"}
RESPONDERS = ("GET", "POST", "PUT", "PATCH", "DELETE")
# Pages that answer otherwise on an empty installation by design: Google Drive and Odoo not configured (409), the
# Google connection sent back to /exports with what to configure (303).
NOT_READY = {
    "/exports/google/folders": 409,
    "/exports/google/connect": 303,
    "/odoo-sync/mappings/fields/suggestions": 409,
}
PLAIN_GETS = [page for page in PAGES if "{" not in page.path and page.roles.get("GET") is not None and page.path != "/"]


def test_every_responder_of_a_page_has_a_role_unless_it_is_a_sign_in_page(backend: Backend) -> None:
    _, renderer = web_middleware(backend.container)
    for page in PAGES:
        resource = page.factory(backend.container, renderer)
        for method in RESPONDERS:
            if hasattr(resource, f"on_{method.lower()}"):
                assert page.path in PUBLIC or page.roles.get(method) is not None, f"{method} {page.path} is public"


@pytest.mark.parametrize("page", PLAIN_GETS, ids=[page.path for page in PLAIN_GETS])
def test_each_page_answers_its_roles_and_sends_strangers_to_sign_in(backend: Backend, page: object) -> None:
    path: str = page.path  # type: ignore[attr-defined]
    required: Role = page.roles["GET"]  # type: ignore[attr-defined]
    admin = signed_in(backend, "root@example.com", "admin")
    shown = admin.get(path)
    assert shown.status_code == NOT_READY.get(path, 200), shown.text[:500]
    assert shown.status_code == 303 or "text/html" in shown.headers["Content-Type"] or path.endswith(".csv")
    viewer = signed_in(backend, "look@example.com", "viewer")
    answer = viewer.get(path)
    if Role.VIEWER.allows(required):
        assert answer.status_code == NOT_READY.get(path, 200)
    else:
        assert answer.status_code == 403
        assert "text/html" in answer.headers["Content-Type"]
    stranger = WebSession(backend.client).get(path)
    assert stranger.status_code == 303
    assert stranger.headers["Location"].startswith("/login?next=")


HOSTILE = (
    "cursor=%00&limit=-1&status=%FF&page=0&q=" + "a" * 5000,
    "cursor=not-a-cursor&limit=100000&sort=sideways&from=2026-13-45&instance=x&tab=nothing",
    "supplier=" + "%C3%28" * 50 + "&has_images=maybe&brand[]=x&parent=..%2F..",
)


@pytest.mark.parametrize("page", PLAIN_GETS, ids=[page.path for page in PLAIN_GETS])
def test_hostile_query_strings_get_a_page_or_a_clear_refusal_never_a_failure(backend: Backend, page: object) -> None:
    path: str = page.path  # type: ignore[attr-defined]
    admin = signed_in(backend, "root@example.com", "admin")
    for query in HOSTILE:
        answer = admin.get(path, query_string=query)
        assert answer.status_code < 500, f"{path}?{query[:80]}: {answer.status_code} {answer.text[:300]}"
        assert answer.status_code in (200, 303, 400, 404, 409, 422), f"{path}?{query[:80]}: {answer.status_code}"


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_with_the_database_unreachable_every_page_is_a_503_page(backend: Backend) -> None:
    """The session check needs the database too: a 503 page with Retry-After, never a 500 or a sign-in loop."""
    admin = signed_in(backend, "root@example.com", "admin")
    url = make_url(backend.url)
    with tcp_proxy(url.host or "127.0.0.1", url.port or 5432) as proxy:
        proxied = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
        container, client = app_with(backend, proxied)
        session = WebSession(client, cookies=dict(admin.cookies), csrf_token=admin.csrf_token)
        assert session.get("/account").status_code == 200  # pooled, then cut
        proxy.stop()
        for page in PLAIN_GETS:
            answer = session.get(page.path)
            assert answer.status_code == 503, f"{page.path}: {answer.status_code} {answer.text[:300]}"
            assert "text/html" in answer.headers["Content-Type"] and answer.headers.get("Retry-After")
        refused = session.post("/suppliers", session.form(code="NEW", name="New"))
        assert refused.status_code == 503
        container.engine().dispose()
