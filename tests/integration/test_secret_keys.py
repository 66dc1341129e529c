"""A production container built without PM_SECRET_KEYS (as an embedding service might): no Odoo, FTP-source or
barcode-provider route answers 500; what needs a stored secret answers 503 naming PM_SECRET_KEYS, the rest
works."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from falcon import testing

from productsmanager.config import Config
from productsmanager.container import build_container
from productsmanager.entrypoints.falcon.app import create_app
from productsmanager.entrypoints.falcon.routes import ROUTES
from tests.integration.helpers import Backend, Users, assert_problem, cheap_password_hasher, clear_tables, login

pytestmark = pytest.mark.integration

ODOO = {"url": "http://127.0.0.1:9", "database": "shop", "login": "admin", "protocol": "xmlrpc"}
FTP = {"host": "127.0.0.1", "port": 9, "user": "shop", "pattern": "*.csv"}
PROVIDER = "/api/v1/ean-lookup/providers/go_upc"


@pytest.fixture
def keyed(postgresql_backend: Backend) -> Iterator[Backend]:
    """The session's PostgreSQL API, with its keys, and empty tables."""
    clear_tables(postgresql_backend.engine)
    yield postgresql_backend
    clear_tables(postgresql_backend.engine)


@pytest.fixture
def keyless(keyed: Backend, tmp_path: Path) -> Iterator[Backend]:
    """The same database behind a container built with PM_DATABASE_URL and no PM_SECRET_KEYS."""
    config = Config.from_env({"PM_DATABASE_URL": keyed.url, "PM_DATA_DIR": str(tmp_path)})
    container = build_container(config)
    container.password_hasher.override(cheap_password_hasher())
    yield Backend("postgresql", keyed.url, container, testing.TestClient(create_app(container)))
    container.engine().dispose()
    assert not (tmp_path / "secret.key").exists()  # production never falls back to a generated key


def secret_problem(result: testing.Result) -> None:
    body = assert_problem(result, 503)
    assert "PM_SECRET_KEYS" in body["detail"] and "secret keys are not configured" in body["detail"]
    assert int(result.headers["retry-after"]) > 0


def stored_secrets(keyed: Backend, users: Users) -> str:
    """An Odoo configuration, an FTP source and a barcode provider with their secrets, saved by the container
    that has keys."""
    client = keyed.client
    saved = client.simulate_put("/api/v1/odoo/config", headers=users.admin, json={**ODOO, "secret": "odoo-key"})
    assert saved.status_code == 200, saved.text
    supplier = client.simulate_post("/api/v1/suppliers", headers=users.admin, json={"code": "ACME", "name": "Acme"})
    assert supplier.status_code == 201, supplier.text
    supplier_id = str(supplier.json["id"])
    source = client.simulate_put(
        f"/api/v1/suppliers/{supplier_id}/import-sources/ftp", headers=users.admin, json={**FTP, "password": "pw"}
    )
    assert source.status_code == 200, source.text
    provider = client.simulate_put(PROVIDER, headers=users.admin, json={"api_key": "go-upc-key"})
    assert provider.status_code == 200, provider.text
    return supplier_id


def test_what_needs_a_secret_answers_503_naming_the_setting(keyed: Backend, keyless: Backend) -> None:
    supplier_id = stored_secrets(keyed, Users(keyed))
    admin = login(keyless.client, "admin@example.com")  # the same account, through the keyless API
    client = keyless.client
    secret_problem(client.simulate_put("/api/v1/odoo/config", headers=admin, json={**ODOO, "secret": "new"}))
    secret_problem(client.simulate_post("/api/v1/odoo/test-connection", headers=admin))
    ftp = f"/api/v1/suppliers/{supplier_id}/import-sources/ftp"
    secret_problem(client.simulate_put(ftp, headers=admin, json={**FTP, "password": "new"}))
    secret_problem(client.simulate_post(f"{ftp}/run", headers=admin))
    secret_problem(client.simulate_put(PROVIDER, headers=admin, json={"api_key": "new"}))
    secret_problem(client.simulate_post(f"{PROVIDER}/test", headers=admin))
    # What needs no secret still works: the settings are shown, changed without a new secret.
    assert client.simulate_get("/api/v1/odoo/config", headers=admin).json["has_secret"] is True
    assert client.simulate_put("/api/v1/odoo/config", headers=admin, json=ODOO).status_code == 200
    assert client.simulate_get(ftp, headers=admin).json["has_password"] is True
    assert client.simulate_put(ftp, headers=admin, json=FTP).status_code == 200
    assert client.simulate_get(PROVIDER, headers=admin).json["has_key"] is True
    changed = client.simulate_put(PROVIDER, headers=admin, json={"enabled": True})
    assert changed.status_code == 200 and changed.json["has_key"] is True


def _fill(path: str, supplier_id: str) -> str:
    known = {"supplier_id": supplier_id, "provider": "go_upc"}
    return re.sub(r"\{(\w+)\}", lambda m: known.get(m[1], str(uuid.uuid4())), path)


def test_no_odoo_ftp_or_provider_route_answers_500(keyed: Backend, keyless: Backend) -> None:
    supplier_id = stored_secrets(keyed, Users(keyed))
    admin = login(keyless.client, "admin@example.com")
    bodies: dict[str, Any] = {"PUT": {}, "POST": {}, "PATCH": {}}
    seen = 0
    for route in ROUTES:
        if (
            not route.path.startswith(("/api/v1/odoo/", "/api/v1/ean-lookup/"))
            and "/import-sources/ftp" not in route.path
        ):
            continue
        for method in route.operations:
            path = _fill(route.path, supplier_id)
            result = keyless.client.simulate_request(method, path, headers=admin, json=bodies.get(method))
            assert result.status_code != 500, f"{method} {path}: {result.text}"
            seen += 1
    assert seen >= 29


def test_a_secret_stored_under_a_key_no_longer_configured_is_503_not_500(keyed: Backend, tmp_path: Path) -> None:
    supplier_id = stored_secrets(keyed, Users(keyed))
    other_key = Fernet.generate_key().decode()
    environ = {"PM_DATABASE_URL": keyed.url, "PM_DATA_DIR": str(tmp_path), "PM_SECRET_KEYS": other_key}
    container = build_container(Config.from_env(environ))
    container.password_hasher.override(cheap_password_hasher())
    client = testing.TestClient(create_app(container))
    try:
        admin = login(client, "admin@example.com")
        for result in (
            client.simulate_post("/api/v1/odoo/test-connection", headers=admin),
            client.simulate_post(f"/api/v1/suppliers/{supplier_id}/import-sources/ftp/run", headers=admin),
            client.simulate_post(f"{PROVIDER}/test", headers=admin),
        ):
            body = assert_problem(result, 503)
            assert "cannot be decrypted" in body["detail"] and "PM_SECRET_KEYS" in body["detail"]
    finally:
        container.engine().dispose()
