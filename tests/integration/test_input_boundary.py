"""The HTTP input boundary on both databases: no NUL, bounded attributes, identifiers and sizes checked
before anything reaches the database, each refusal a 4xx naming its field or parameter, never a 500."""

from __future__ import annotations

import io
import uuid
from typing import Any

import pytest
from PIL import Image
from sqlalchemy import update

from productsmanager.adapters.sqlalchemy.tables import products
from productsmanager.domain.attributes import MAX_BYTES
from tests.integration.helpers import Backend, Users, assert_problem
from tests.integration.import_helpers import multipart_import

pytestmark = pytest.mark.integration


def nested(depth: int) -> dict[str, Any]:
    value: Any = 1
    for _ in range(depth):
        value = {"a": value}
    return value  # type: ignore[no-any-return]


def _product(backend: Backend, users: Users) -> str:
    created = backend.client.simulate_post(
        "/api/v1/products", headers=users.editor, json={"ean": "4006381333931", "name": "Pen"}
    )
    assert created.status_code == 201, created.text
    return str(created.json["id"])


@pytest.mark.parametrize(
    ("attributes", "stored"),
    [
        (nested(900), False),
        (nested(300), False),
        (nested(17), False),
        (nested(16), True),
        ({"k": "x" * MAX_BYTES}, False),
        ({"k": ["é"] * (MAX_BYTES // 4)}, False),
    ],
)
def test_attributes_are_bounded_in_depth_and_size(
    backend: Backend, users: Users, attributes: dict[str, Any], stored: bool
) -> None:
    pid = _product(backend, users)
    patched = backend.client.simulate_patch(
        f"/api/v1/products/{pid}", headers=users.editor, json={"attributes": attributes}
    )
    if stored:
        assert patched.status_code == 200, patched.text
        assert patched.json["attributes"] == attributes
    else:
        assert_problem(patched, 422, "attributes")
        created = backend.client.simulate_post(
            "/api/v1/products", headers=users.editor, json={"ean": "96385074", "name": "x", "attributes": attributes}
        )
        assert_problem(created, 422, "attributes")
    listed = backend.client.simulate_get("/api/v1/products", headers=users.viewer)
    assert listed.status_code == 200, listed.text
    assert len(listed.json["items"]) == 1


def test_attributes_stored_before_the_bounds_still_read(backend: Backend, users: Users) -> None:
    """A row written by an older release, 300 levels deep: every read shows it clipped instead of failing."""
    pid = _product(backend, users)
    with backend.engine.begin() as conn:
        conn.execute(update(products).where(products.c.id == uuid.UUID(pid)).values(attributes=nested(300)))
    client, viewer = backend.client, users.viewer
    for path in (f"/api/v1/products/{pid}", "/api/v1/products/by-ean/4006381333931"):
        read = client.simulate_get(path, headers=viewer)
        assert read.status_code == 200, read.text
        assert read.json["attributes"]["a"]["a"]["a"]
    page = client.simulate_get("/api/v1/products", headers=viewer)
    assert page.status_code == 200, page.text
    fixed = client.simulate_patch(f"/api/v1/products/{pid}", headers=users.editor, json={"attributes": {"a": 1}})
    assert fixed.status_code == 200 and fixed.json["attributes"] == {"a": 1}, fixed.text


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"email": "admin\u0000@example.com", "password": "x"}, "email"),
        ({"email": "admin@example.com", "password": "pa\u0000ss"}, "password"),
    ],
)
def test_nul_in_an_anonymous_login_is_a_422(backend: Backend, body: dict[str, str], field: str) -> None:
    assert_problem(backend.client.simulate_post("/api/v1/auth/login", json=body), 422, field)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"ean": "4006381333931", "name": "Pen\u0000"}, "name"),
        ({"ean": "4006381333931", "name": "Pen", "attributes": {"c": ["red", "bl\u0000ue"]}}, "attributes.c.1"),
        ({"ean": "4006381333931", "name": "Pen", "attributes": {"k\u0000": 1}}, "attributes.k\\u0000"),
    ],
)
def test_nul_anywhere_in_a_json_body_is_a_422_naming_it(
    backend: Backend, users: Users, body: dict[str, Any], field: str
) -> None:
    assert_problem(backend.client.simulate_post("/api/v1/products", headers=users.editor, json=body), 422, field)
    assert backend.client.simulate_get("/api/v1/products", headers=users.viewer).json["items"] == []


@pytest.mark.parametrize(
    ("path", "query", "field"),
    [
        ("/api/v1/products", "q=pe%00n", "q"),
        ("/api/v1/products", "brand=%00", "brand"),
        ("/api/v1/imports", "supplier_code=A%00B", "supplier_code"),
        ("/api/v1/odoo/logs", "start_date=2026-01-01%00", "start_date"),
        ("/api/v1/suppliers", "cursor=%00", "cursor"),
        ("/api/v1/auth/me", "x%00=1", "x\\u0000"),  # a name too, on a route that takes no parameter
        ("/api/v1/products", "has_images=", "has_images"),  # blank is neither true nor false
        ("/api/v1/products", "limit=", "limit"),
    ],
)
def test_nul_in_a_query_parameter_is_a_400_naming_it(
    backend: Backend, users: Users, path: str, query: str, field: str
) -> None:
    assert_problem(backend.client.simulate_get(path, headers=users.admin, query_string=query), 400, field)


@pytest.mark.parametrize(
    "path", ["/api/v1/products/by-ean/4006381333931%00", "/api/v1/suppliers/%00", "/api/v1/settings/gen%00eral"]
)
def test_nul_in_a_path_parameter_is_a_400(backend: Backend, users: Users, path: str) -> None:
    assert backend.client.simulate_get(path, headers=users.admin).status_code == 400


@pytest.mark.parametrize(
    ("code", "file_name", "field"),
    [
        ("A\u0000B", "offers.csv", "supplier_code"),
        ("X" * 51, "offers.csv", "supplier_code"),
        ("ACME", "o\u0000.csv", "file"),
    ],
)
def test_import_form_fields_are_checked(backend: Backend, users: Users, code: str, file_name: str, field: str) -> None:
    body, content_type = multipart_import(file_name, b"ean;name\n4006381333931;Pen\n", code)
    result = backend.client.simulate_post(
        "/api/v1/imports", headers={**users.editor, "Content-Type": content_type}, body=body
    )
    assert_problem(result, 422, field)
    assert backend.client.simulate_get("/api/v1/imports", headers=users.viewer).json["items"] == []


def test_a_supplier_code_field_that_is_not_text_is_a_422(backend: Backend, users: Users) -> None:
    boundary = "b0undary"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="supplier_code"\r\n'
        "Content-Type: text/plain; charset=no-such-charset\r\n\r\nACME\r\n"
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\nean\r\n'
        f"--{boundary}--\r\n"
    ).encode()
    headers = {**users.editor, "Content-Type": f"multipart/form-data; boundary={boundary}"}
    assert_problem(backend.client.simulate_post("/api/v1/imports", headers=headers, body=body), 422, "supplier_code")


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/api/v1/odoo/bulk-sync", {"product_ids": ["x"]}, "product_ids.0"),
        ("/api/v1/odoo/logs/retry", {"log_ids": ["x"]}, "log_ids.0"),
    ],
)
def test_identifiers_that_are_not_uuids_are_a_422(
    backend: Backend, users: Users, path: str, body: dict[str, Any], field: str
) -> None:
    assert_problem(backend.client.simulate_post(path, headers=users.admin, json=body), 422, field)


@pytest.mark.parametrize(
    ("method", "path", "query", "body", "field"),
    [
        ("GET", "/api/v1/odoo/logs", "start_date=9999-12-31T23:59:59-23:59", None, "start_date"),
        ("GET", "/api/v1/imports", "end_date=0001-01-01T00:00:00%2B23:59", None, "end_date"),
        ("POST", "/api/v1/odoo/logs/retry", None, {"start_date": "9999-12-31T23:59:59-23:59"}, "start_date"),
    ],
)
def test_a_timestamp_whose_offset_leaves_the_calendar_is_a_400(
    backend: Backend, users: Users, method: str, path: str, query: str | None, body: Any, field: str
) -> None:
    result = backend.client.simulate_request(method, path, headers=users.admin, query_string=query, json=body)
    assert_problem(result, 400, field)


def test_an_offer_of_a_malformed_supplier_code_is_a_documented_422(backend: Backend, users: Users) -> None:
    pid = _product(backend, users)
    removed = backend.client.simulate_delete(f"/api/v1/products/{pid}/offers/%C2%B0", headers=users.editor)
    assert_problem(removed, 422, "supplier_code")
    document = backend.client.simulate_get("/api/v1/openapi.json").json
    assert "422" in document["paths"]["/api/v1/products/{product_id}/offers/{supplier_code}"]["delete"]["responses"]


def test_the_document_states_the_nul_rule_on_every_free_text(backend: Backend) -> None:
    document = backend.client.simulate_get("/api/v1/openapi.json").json
    schemas = document["components"]["schemas"]
    no_nul = {"type": "string", "pattern": "\\x00"}
    assert schemas["LoginRequest"]["properties"]["email"]["not"] == no_nul
    assert schemas["ProductCreate"]["properties"]["description"]["not"] == no_nul
    assert "not" not in schemas["OdooBulkSync"]["properties"]["product_ids"]["items"]  # a UUID already
    query = document["paths"]["/api/v1/products"]["get"]["parameters"]
    assert next(p for p in query if p["name"] == "q")["schema"]["not"] == no_nul
    every = [op["responses"] for item in document["paths"].values() for op in item.values()]
    assert all("400" in responses for responses in every)  # any query string can hold a NUL


def test_an_odoo_id_beyond_bigint_is_a_422(backend: Backend, users: Users) -> None:
    body = {"ean": "4006381333931", "name": "Pen", "odoo_product_id": 2**63 + 5}
    created = backend.client.simulate_post("/api/v1/products", headers=users.editor, json=body)
    assert_problem(created, 422, "odoo_product_id")


def test_an_image_file_name_holding_a_nul_is_a_422(backend: Backend, users: Users) -> None:
    pid = _product(backend, users)
    png = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(png, "PNG")
    body = (
        b'--bnd\r\nContent-Disposition: form-data; name="file"; filename="a\x00.png"\r\n'
        b"Content-Type: image/png\r\n\r\n" + png.getvalue() + b"\r\n--bnd--\r\n"
    )
    headers = {**users.editor, "Content-Type": "multipart/form-data; boundary=bnd"}
    uploaded = backend.client.simulate_post(f"/api/v1/products/{pid}/media", headers=headers, body=body)
    assert_problem(uploaded, 422, "file")
    assert backend.client.simulate_get(f"/api/v1/products/{pid}/media", headers=users.viewer).json["items"] == []
