"""The OpenAPI document and the served routes agree: every route is described, every described route served."""

from __future__ import annotations

import re
from typing import Any

import pytest

from productsmanager.entrypoints.falcon.routes import ROUTES
from tests.integration.helpers import PASSWORD, Backend, Users, login

pytestmark = pytest.mark.integration

BODIES: dict[str, dict[str, Any]] = {
    "LoginRequest": {"email": "admin@example.com", "password": PASSWORD},
    "UserCreate": {"email": "someone@example.com", "password": PASSWORD},
    "UserPatch": {"role": "viewer"},
    "SupplierCreate": {"code": "NEW", "name": "New"},
    "SupplierPatch": {"name": "Renamed"},
    "ProductCreate": {"ean": "96385074", "name": "Mug"},
    "ProductPatch": {"name": "Renamed"},
    "OfferPut": {"price": "1.00", "stock": 1},
}


def test_every_route_is_in_the_document(backend: Backend) -> None:
    document = backend.client.simulate_get("/api/v1/openapi.json").json
    assert set(document["paths"]) == {route.path for route in ROUTES}
    for route in ROUTES:
        assert set(document["paths"][route.path]) == {m.lower() for m in route.operations}, route.path
        for method, operation in route.operations.items():
            described = document["paths"][route.path][method.lower()]
            assert str(operation.status) in described["responses"]
            assert ("security" in described) == (operation.role is not None)
            params = {p["name"] for p in described.get("parameters", []) if p["in"] == "path"}
            assert params == set(re.findall(r"{(\w+)}", route.path))
            if operation.request:
                ref = described["requestBody"]["content"]["application/json"]["schema"]["$ref"]
                assert ref.rsplit("/", 1)[-1] in document["components"]["schemas"]


def test_every_described_operation_is_served(backend: Backend, users: Users) -> None:
    client, admin = backend.client, users.admin
    supplier = client.simulate_post("/api/v1/suppliers", headers=admin, json={"code": "ACME", "name": "Acme"}).json
    product = client.simulate_post("/api/v1/products", headers=admin, json={"ean": "4006381333931", "name": "Pen"}).json
    viewer_id = users.create("viewer@example.com", "viewer")
    values = {
        "user_id": viewer_id,
        "supplier_id": supplier["id"],
        "product_id": product["id"],
        "supplier_code": supplier["code"],
        "ean": product["ean"],
    }
    # Falcon's own answers to an unknown path and an unserved method, to tell them apart from the app's 404s.
    route_missing = client.simulate_get("/api/v1/no-such-route", headers=admin)
    method_missing = client.simulate_patch("/api/v1/health", headers=admin)
    assert (route_missing.status_code, method_missing.status_code) == (404, 405)

    document = client.simulate_get("/api/v1/openapi.json").json
    # Deletions last (the offer before its product), so that every operation finds what it addresses.
    operations = sorted(
        ((path, method.upper(), op) for path, item in document["paths"].items() for method, op in item.items()),
        key=lambda entry: (entry[1] == "DELETE", entry[1] == "DELETE" and "offers" not in entry[0]),
    )
    for path, method, operation in operations:
        url = re.sub(r"{(\w+)}", lambda m: str(values[m.group(1)]), path)
        body = None
        if "requestBody" in operation:
            body = BODIES[operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]]
        headers = login(client, "admin@example.com") if path == "/api/v1/auth/logout" else admin
        result = client.simulate_request(method, url, headers=headers, json=body)
        assert result.status_code not in (404, 405), (method, url, result.status_code, result.text)
        assert result.json != route_missing.json
        documented = {int(code) for code in operation["responses"]}
        assert result.status_code in documented, (method, url, result.status_code, documented)


def test_document_is_the_same_everywhere(backend: Backend) -> None:
    from productsmanager.entrypoints.falcon.openapi import openapi_document

    assert backend.client.simulate_get("/api/v1/openapi.json").json == openapi_document()


def test_operations_with_a_body_document_its_problems(backend: Backend) -> None:
    """Malformed JSON (400), an oversized body (413) and another media type (415) can happen to any of them."""
    document = backend.client.simulate_get("/api/v1/openapi.json").json
    with_body = [op for item in document["paths"].values() for op in item.values() if "requestBody" in op]
    assert with_body
    for operation in with_body:
        assert {"400", "413", "415"} <= operation["responses"].keys(), operation["operationId"]
