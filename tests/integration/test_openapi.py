"""The OpenAPI document and the served routes agree: every route is described, every described route served."""

from __future__ import annotations

import io
import re
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from PIL import Image

from productsmanager.adapters.sqlalchemy.tables import odoo_category_mappings, odoo_field_mappings, odoo_tax_mappings
from productsmanager.domain.enrichment.finder import FinderRow, FinderStatus, RowData
from productsmanager.domain.imports.import_source import SourceKind
from productsmanager.domain.odoo.instances import DEFAULT_INSTANCE_ID
from productsmanager.entrypoints.falcon.routes import ROUTES
from tests.integration.fake_odoo import DATABASE, FakeOdoo, fake_odoo_server
from tests.integration.helpers import PASSWORD, Backend, Users, login
from tests.integration.import_helpers import multipart_import

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
    "MediaFilePatch": {"is_primary": True},
    "ForgotPasswordRequest": {"email": "viewer@example.com"},
    "ResetPasswordRequest": {"token": "not-a-token", "new_password": "Brand-New-Secret-2"},
    # A wrong current password: a right one would revoke the admin's session that the next requests use.
    "ChangePasswordRequest": {"current_password": "wrong", "new_password": "Brand-New-Secret-2"},
    "SettingsSectionUpdate": {"thumbnail_jpeg_quality": 80},
    "ImportProfile": {"mapping": {"ean": "ean", "name": "name"}},
    "OdooConfigPut": {"url": "http://127.0.0.1:9", "database": "db", "login": "a", "secret": "s", "timeout_seconds": 1},
    "FtpSourcePut": {"host": "127.0.0.1", "port": 9, "user": "u", "pattern": "*.csv", "timeout_seconds": 1},
    "DriveSourcePut": {"folder_id": "folder1", "pattern": "*catalog*.xlsx"},
    "MailSourcePut": {"host": "127.0.0.1", "port": 9, "username": "u", "pattern": "*.csv", "timeout_seconds": 1},
    "OdooFieldMappingPost": {"local_field": "name", "odoo_field": "name"},
    "OdooCategoryMappingPost": {"local_category": "Tools", "odoo_category_id": 11},
    "OdooTaxMappingPost": {"vat_rate": "20", "odoo_tax_id": 21},
    "OdooSuggestionsAccept": [{"local_field": "name", "odoo_field": "name"}],
    "OdooWebhookPut": {"enabled": True},
    "OdooWebhookDelivery": {"_id": 1, "_model": "product.product", "_action": "Catalog(#1)"},
    "OdooBulkSync": {"product_ids": []},
    "OdooLogRetry": {"log_ids": []},
    "OdooScheduleCreate": {"name": "Nightly", "direction": "export", "interval_minutes": 1440},
    "OdooScheduleUpdate": {"interval_minutes": 60, "product_filter": {"in_stock": "true"}},
    "OdooInstancePost": {"name": "staging", "url": "http://127.0.0.1:9", "database": "db", "login": "a"},
    "OdooInstancePut": {"enabled": True, "timeout_seconds": 2},
    "EanProviderPut": {"enabled": True, "priority": 2, "timeout_seconds": 1},
    "AmazonConfigPut": {"marketplace": "amazon.de", "timeout_seconds": 1},
    "EanLookupRequest": {"ean": "4006381333931"},
    "LookupJobCreate": {"eans": ["4006381333931"]},
    "EanFinderJobRequest": {},
    "EanFinderResolve": {"gtin": "5901234123457"},
    "Code2AsinJobCreate": {"eans": ["4006381333931"]},
    "DriveUpload": {"folder_id": "root"},
    "ExportPlatformBody": {"name": "Partner bucket", "kind": "s3", "bucket": "exports", "prefix": "partner/"},
    "ExportTemplateBody": {"name": "Flat file", "columns": [{"header": "EAN", "field": "ean"}]},
    "ExportCreate": {"platform_id": "00000000-0000-4000-8000-00000000d0a1", "format": "csv"},
}
MAPPINGS = (
    (
        odoo_field_mappings,
        {"local_field": "cost", "odoo_field": "standard_price", "direction": "export", "transform": "none"},
    ),
    (odoo_category_mappings, {"local_category": "Kitchen", "odoo_category_id": 11}),
    (odoo_tax_mappings, {"vat_rate": Decimal("5.5"), "odoo_tax_id": 21}),
)


CHILDREN = ("/offers/", "/media/files/", "/values/")
INSTANCE_PATHS = "/api/v1/odoo/instances/{instance_id}/"


def _schema_name(operation: dict[str, Any]) -> str:
    """The request schema: JSON bodies, and the multipart form of uploads (listed first)."""
    content = next(iter(operation["requestBody"]["content"].values()))
    return str(content["schema"]["$ref"].rsplit("/", 1)[-1])


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 200)).save(out, "PNG")
    return out.getvalue()


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
                ref = _schema_name(described)
                assert ref in document["components"]["schemas"]


@pytest.fixture
def odoo(backend: Backend) -> Iterator[FakeOdoo]:
    """A fake Odoo with the records the mapping bodies name: the mappings are checked against it."""
    with fake_odoo_server() as server:
        server.store.add("product.category", id=11, name="Tools")
        server.store.add("account.tax", id=21, name="VAT 20%")
        yield server


def test_every_described_operation_is_served(backend: Backend, users: Users, odoo: FakeOdoo) -> None:
    client, admin = backend.client, users.admin
    odoo_config = {"url": odoo.url, "database": DATABASE, "login": "admin", "secret": "admin-password"}
    bodies = {**BODIES, "OdooConfigPut": {**BODIES["OdooConfigPut"], **odoo_config}}
    supplier = client.simulate_post("/api/v1/suppliers", headers=admin, json={"code": "ACME", "name": "Acme"}).json
    product_body = {"ean": "4006381333931", "name": "Pen", "brand": "Stabilo"}
    product = client.simulate_post("/api/v1/products", headers=admin, json=product_body).json
    viewer_id = users.create("viewer@example.com", "viewer")
    values = {
        "user_id": viewer_id,
        "supplier_id": supplier["id"],
        "product_id": product["id"],
        "field": "brand",  # the admin's own value: withdrawn
        "supplier_code": supplier["code"],
        "ean": product["ean"],
        "size": "small",
        "section": "media",
        "provider": "go_upc",
        "instance_id": DEFAULT_INSTANCE_ID,
    }
    image = _png()
    uploaded = client.simulate_post(
        f"/api/v1/products/{product['id']}/media", headers={**admin, "Content-Type": "image/png"}, body=image
    )
    values["media_id"] = uploaded.json["id"]
    import_body, import_type = multipart_import("catalog.csv", b"ean,name\n4006381333931,Pen\n", supplier["code"])
    imported = client.simulate_post("/api/v1/imports", headers={**admin, "Content-Type": import_type}, body=import_body)
    values["job_id"] = imported.json["id"]
    sources = backend.container.import_sources()
    sources.save(uuid.UUID(supplier["id"]), SourceKind.FTP, BODIES["FtpSourcePut"])
    sources.save(uuid.UUID(supplier["id"]), SourceKind.GDRIVE, BODIES["DriveSourcePut"])
    sources.save(uuid.UUID(supplier["id"]), SourceKind.EMAIL, BODIES["MailSourcePut"])
    # The default instance's paths and another instance's (`instances/{instance_id}/…`, whose own runs, mappings
    # and schedules they address): each deletes its own. The instance itself is the default one (409 on DELETE).
    other = backend.container.odoo_instances().create({"name": "other", **odoo_config}).instance.id
    scoped = {**values, "instance_id": other}
    for instance_id, ids in ((DEFAULT_INSTANCE_ID, values), (other, scoped)):
        backend.container.odoo_setup(instance_id=instance_id).save(bodies["OdooConfigPut"])
        # One id for a mapping of each kind: the three DELETE routes name it alike, {mapping_id}.
        mapping_id = uuid.uuid4()
        ids["mapping_id"] = str(mapping_id)
        with backend.engine.begin() as conn:
            for table, row in MAPPINGS:
                conn.execute(table.insert().values(id=mapping_id, instance_id=instance_id, **row))
        ids["run_id"] = backend.container.odoo_sync(instance_id=instance_id).request_import().id
        schedule = backend.container.odoo_schedule_manager(instance_id=instance_id).create(
            {"name": "Hourly", "direction": "import", "interval_minutes": 60}
        )
        ids["schedule_id"] = schedule.id
    values["instance_id"] = DEFAULT_INSTANCE_ID
    priority = backend.container.settings_administration().change_section("product_data", {"source_priority": []}, None)
    assert priority.resolve_job is not None
    values["resolve_job_id"] = priority.resolve_job.id
    values["lookup_job_id"] = backend.container.lookup_jobs().create({"eans": ["96385074"]}, None).id
    values["finder_job_id"] = backend.container.ean_finder_search().start(None, None).id
    amazon = {"client_id": "amzn1.application-oa2-client.x", "client_secret": "s", "refresh_token": "Atzr|x"}
    backend.container.amazon_settings().change(amazon, None)  # a job of EANs needs Amazon's credentials
    values["code2asin_job_id"] = backend.container.code2asin_jobs().create({"eans": ["96385074"]}, None).id
    values["row_id"] = finder_row(backend, uuid.UUID(supplier["id"]))
    values["folder_id"] = values["file_id"] = "1AbCdEfGhIjKlMnOp"  # Drive ids (Google not configured here)
    values["platform_id"] = backend.container.export_platforms().create(BODIES["ExportPlatformBody"]).id
    values["template_id"] = backend.container.export_templates().create(BODIES["ExportTemplateBody"]).id
    exported = backend.container.exports().create(BODIES["ExportCreate"], None)
    values["export_id"] = exported.id
    # Falcon's own answers to an unknown path and an unserved method, to tell them apart from the app's 404s.
    route_missing = client.simulate_get("/api/v1/no-such-route", headers=admin)
    method_missing = client.simulate_patch("/api/v1/health", headers=admin)
    assert (route_missing.status_code, method_missing.status_code) == (404, 405)

    document = client.simulate_get("/api/v1/openapi.json").json
    # Deletions last (offers and images before their product), so that every operation finds what it addresses.
    operations = sorted(
        ((path, method.upper(), op) for path, item in document["paths"].items() for method, op in item.items()),
        key=lambda entry: (entry[1] == "DELETE", entry[1] == "DELETE" and not any(p in entry[0] for p in CHILDREN)),
    )
    for path, method, operation in operations:
        ids = scoped if path.startswith(INSTANCE_PATHS) else values
        if path.endswith("/webhook/{token}"):  # a token valid now: the PUT and rotate before it made new ones
            ids = {**ids, "token": backend.container.odoo_webhooks().enable(other).value}
        url = re.sub(r"{(\w+)}", lambda m, ids=ids: str(ids[m.group(1)]), path)
        headers = login(client, "admin@example.com") if path == "/api/v1/auth/logout" else admin
        if "requestBody" in operation and _schema_name(operation) == "ImportUpload":
            result = client.simulate_request(
                method, url, headers={**headers, "Content-Type": import_type}, body=import_body
            )
        elif "requestBody" in operation and _schema_name(operation) == "ImageUpload":
            result = client.simulate_request(method, url, headers={**headers, "Content-Type": "image/png"}, body=image)
        else:
            body = bodies[_schema_name(operation)] if "requestBody" in operation else None
            result = client.simulate_request(method, url, headers=headers, json=body)
        assert result.status_code not in (404, 405), (method, url, result.status_code, result.text)
        if "json" in result.headers.get("content-type", ""):  # images are served as such
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


def finder_row(backend: Backend, supplier_id: uuid.UUID) -> uuid.UUID:
    """An EAN Finder row waiting for its GTIN (imports make them of rows without an EAN)."""
    row = FinderRow(uuid.uuid4(), supplier_id, "ACME", FinderStatus.WAITING, RowData(name="Pen", stock=3))
    with backend.container.uow() as uow:
        uow.ean_finder.add([row], datetime.now(UTC))
        uow.commit()
    return row.id
