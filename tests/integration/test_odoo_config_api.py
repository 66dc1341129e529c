"""The Odoo connection through the API against the fake Odoo over real HTTP, in both protocols: settings
kept without ever showing the secret, and a connection test that names what is wrong."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select

from productsmanager.adapters.http.outbound_guard import OutboundGuard
from productsmanager.adapters.sqlalchemy.tables import odoo_instances
from tests.integration.fake_odoo import DATABASE, FakeOdoo, FakeUser, fake_odoo_server
from tests.integration.helpers import Backend, Users

pytestmark = pytest.mark.integration
CONFIG, TEST = "/api/v1/odoo/config", "/api/v1/odoo/test-connection"


@pytest.fixture
def odoo() -> Iterator[FakeOdoo]:
    with fake_odoo_server() as server:
        server.add_user(FakeUser(7, "clerk", "clerk-password", "clerk-api-key", has_rights=False))
        yield server


def settings(odoo: FakeOdoo, protocol: str, **changes: object) -> dict[str, object]:
    secret = "admin-api-key" if protocol == "json2" else "admin-password"
    base = {"url": odoo.url, "database": DATABASE, "login": "admin", "secret": secret, "protocol": protocol}
    return {**base, "timeout_seconds": 2, **changes}


@pytest.mark.parametrize("protocol", ["xmlrpc", "json2"])
def test_a_configured_connection_tests_ok_and_the_secret_never_shows(
    backend: Backend, users: Users, odoo: FakeOdoo, protocol: str
) -> None:
    assert backend.client.simulate_get("/api/v1/odoo/status", headers=users.viewer).json["configured"] is False
    saved = backend.client.simulate_put(CONFIG, headers=users.admin, json=settings(odoo, protocol))
    assert saved.status_code == 200, saved.text
    assert saved.json["has_secret"] is True and "secret" not in saved.json and "admin-" not in saved.text
    with backend.engine.connect() as conn:
        assert "admin-" not in conn.execute(select(odoo_instances.c.secret_encrypted)).scalar_one()
    tested = backend.client.simulate_post(TEST, headers=users.admin)
    assert tested.status_code == 200 and tested.json["ok"] is True, tested.text
    assert (tested.json["server_version"], tested.json["uid"]) == ("19.0", 2)
    status = backend.client.simulate_get("/api/v1/odoo/status", headers=users.viewer).json
    assert status["configured"] and status["last_test_result"].startswith("ok: Odoo 19.0")
    kept = settings(odoo, protocol)
    del kept["secret"]  # left out: the stored one is kept
    backend.client.simulate_put(CONFIG, headers=users.admin, json=kept)
    assert backend.client.simulate_post(TEST, headers=users.admin).json["ok"] is True


@pytest.mark.parametrize("protocol", ["xmlrpc", "json2"])
@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"secret": "wrong"}, "authentication_failed"),
        ({"database": "nope"}, "unknown_database"),
        ({"login": "clerk", "secret": "clerk-password"}, "access_denied"),
    ],
)
def test_each_failure_is_named(
    backend: Backend, users: Users, odoo: FakeOdoo, protocol: str, changes: dict[str, str], error: str
) -> None:
    if protocol == "json2" and "secret" in changes and changes["secret"] == "clerk-password":
        changes = {**changes, "secret": "clerk-api-key"}
    backend.client.simulate_put(CONFIG, headers=users.admin, json=settings(odoo, protocol, **changes))
    tested = backend.client.simulate_post(TEST, headers=users.admin).json
    assert tested["ok"] is False and tested["error"] == error, tested


def test_an_unreachable_server_is_named(backend: Backend, users: Users) -> None:
    with fake_odoo_server() as gone:
        url = gone.url
    body = {"url": url, "database": DATABASE, "login": "admin", "secret": "x", "timeout_seconds": 1}
    backend.client.simulate_put(CONFIG, headers=users.admin, json=body)
    tested = backend.client.simulate_post(TEST, headers=users.admin).json
    assert tested == {**tested, "ok": False, "error": "unreachable", "message": f"version: could not connect to {url}"}


@pytest.mark.parametrize("protocol", ["xmlrpc", "json2"])
def test_a_loopback_odoo_is_refused_without_pm_outbound_allow(
    backend: Backend, users: Users, odoo: FakeOdoo, protocol: str
) -> None:
    """The running fake Odoo reads like a closed port: "could not connect", and no request reaches it."""
    container = backend.container
    backend.client.simulate_put(CONFIG, headers=users.admin, json=settings(odoo, protocol))
    with container.outbound_guard.override(OutboundGuard()):
        container.odoo_catalog_factory.reset()
        try:
            tested = backend.client.simulate_post(TEST, headers=users.admin).json
        finally:
            container.odoo_catalog_factory.reset()
    assert (tested["ok"], tested["error"]) == (False, "unreachable")
    assert tested["message"] == f"version: could not connect to {odoo.url}"
    assert sum(odoo.calls.values()) == 0


def test_settings_are_checked_and_only_admins_see_them(backend: Backend, users: Users) -> None:
    refused = backend.client.simulate_put(
        CONFIG, headers=users.admin, json={"url": "ftp://x", "database": "", "login": "a"}
    )
    assert refused.status_code == 422 and {e["field"] for e in refused.json["errors"]} >= {"url", "database"}
    assert backend.client.simulate_get(CONFIG, headers=users.editor).status_code == 403
    assert backend.client.simulate_get(CONFIG, headers=users.admin).status_code == 404
    assert backend.client.simulate_post(TEST, headers=users.admin).status_code == 404
