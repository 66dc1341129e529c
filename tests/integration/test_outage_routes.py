"""Every route of the route table, called as an admin would call it, while (a) Redis (rate counters, reset
tokens, the broker) is unreachable and (b) PostgreSQL is unreachable: no 500, and each failure is a 503
problem+json with Retry-After. Work accepted while the broker is down is kept pending with its data.

The requests are built from the route table itself (every method of every path, none skipped), with real
ids of rows made beforehand through the working app; the tokens are obtained before anything goes away."""

from __future__ import annotations

import io
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from falcon import testing
from PIL import Image
from sqlalchemy import update
from sqlalchemy.engine import make_url

from productsmanager.adapters.signed_media_urls import HmacMediaUrlSigner
from productsmanager.adapters.sqlalchemy.tables import odoo_sync_runs
from productsmanager.domain.imports.jobs import JobSource
from productsmanager.domain.odoo.instances import DEFAULT_INSTANCE_ID
from productsmanager.domain.odoo.runs import RunKind
from productsmanager.entrypoints.falcon.media.routes import SIGNED_URL_PARAMS
from productsmanager.entrypoints.falcon.routes import ROUTES
from tests.integration.helpers import PASSWORD, PROBLEM_JSON, Backend, Users, login
from tests.integration.import_helpers import multipart_import
from tests.integration.outage_helpers import app_with, redis_down
from tests.integration.s3_server import ACCESS_KEY, SECRET_KEY
from tests.integration.tcp_proxy import closed_port, tcp_proxy

pytestmark = pytest.mark.integration

EAN = "4006381333931"
CSV = b"EAN;Name;Price\n4006381333931;Pen;1,50\n"
GRACE = timedelta(seconds=61)  # past PM_DISPATCH_GRACE_SECONDS' default
Call = tuple[str, str]  # (method, path template)


def _png(red: int = 200) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (red, 30, 30)).save(out, "PNG")
    return out.getvalue()


def _multipart_image(data: bytes) -> tuple[bytes, str]:
    boundary = "pm-outage-boundary-5e2f"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="red.png"\r\n'
        "Content-Type: image/png\r\n\r\n"
    )
    return head.encode() + data + f"\r\n--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


@dataclass
class World:
    """Rows made through the working app, and the tokens: an admin's, and a second user's for the calls that
    revoke sessions (logout, change-password)."""

    admin: dict[str, str]
    other: dict[str, str]
    ids: dict[str, str]


def make_world(backend: Backend, users: Users) -> World:
    container, client, admin = backend.container, backend.client, users.admin
    other_id = users.create("other@example.com", "viewer")
    supplier = client.simulate_post("/api/v1/suppliers", headers=admin, json={"code": "ACME", "name": "Acme"})
    assert supplier.status_code == 201, supplier.text
    product_id = str(container.product_editor().create(EAN, {"name": "Pen"}))
    body, content_type = _multipart_image(_png())
    media = client.simulate_post(
        f"/api/v1/products/{product_id}/media", headers={**admin, "Content-Type": content_type}, body=body
    )
    assert media.status_code == 201, media.text
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "catalog.csv"
        path.write_bytes(CSV)
        job = container.import_manager().submit("ACME", "catalog.csv", path, JobSource.UPLOAD, queue=False)
    run = container.odoo_sync().new_run(RunKind.IMPORT, 0, {})
    schedule = client.simulate_post(
        "/api/v1/odoo/schedules", headers=admin, json={"name": "nightly", "direction": "import", "interval_minutes": 60}
    )
    assert schedule.status_code == 201, schedule.text
    ids = {
        "user_id": other_id,
        "section": "general",
        "supplier_id": supplier.json["id"],
        "product_id": product_id,
        "field": "name",
        "ean": EAN,
        "media_id": media.json["id"],
        "size": "small",
        "supplier_code": "ACME",
        "job_id": str(job.id),
        "run_id": str(run.id),
        "schedule_id": schedule.json["id"],
        "mapping_id": str(uuid.uuid4()),
        "instance_id": str(DEFAULT_INSTANCE_ID),
        "token": "not-the-token",
        "resolve_job_id": str(uuid.uuid4()),
        "lookup_job_id": str(uuid.uuid4()),
        "finder_job_id": str(uuid.uuid4()),
        "code2asin_job_id": str(uuid.uuid4()),
        "row_id": str(uuid.uuid4()),
        "provider": "ean_search",
        "folder_id": "1AbCdEfGhIjKlMnOp",  # Drive ids (Google not configured here)
        "file_id": "1AbCdEfGhIjKlMnOp",
        "platform_id": str(uuid.uuid4()),
        "template_id": str(uuid.uuid4()),
        "export_id": str(uuid.uuid4()),
    }
    return World(admin, login(client, "other@example.com"), ids)


def _json_bodies(ids: dict[str, str]) -> dict[str, Any]:
    """A valid-looking body for each request schema of the route table."""
    odoo_url = f"http://127.0.0.1:{closed_port()}"
    return {
        "LoginRequest": {"email": "admin@example.com", "password": PASSWORD},
        "ForgotPasswordRequest": {"email": "admin@example.com"},
        "ResetPasswordRequest": {"token": "t" * 43, "new_password": "Another-Secret-42"},
        "ChangePasswordRequest": {"current_password": PASSWORD, "new_password": "Another-Secret-42"},
        "UserCreate": {"email": "new@example.com", "password": PASSWORD, "role": "viewer"},
        "UserPatch": {"is_active": True},
        "SettingsSectionUpdate": {"company_name": "Acme Trading"},
        "SupplierCreate": {"code": "BETA", "name": "Beta"},
        "SupplierPatch": {"name": "Acme Ltd"},
        "ProductCreate": {"ean": "5901234123457", "name": "Ink"},
        "ProductPatch": {"name": "Blue pen"},
        "MediaFilePatch": {"is_primary": True},
        "OfferPut": {"price": "1.50", "currency": "EUR", "stock": 3, "supplier_sku": "P-1"},
        "ImportProfile": {"delimiter": ";", "mapping": {"EAN": "ean", "Name": "name", "Price": "price"}},
        "FtpSourcePut": {"host": "127.0.0.1", "port": closed_port(), "user": "acme", "pattern": "*.csv"},
        "DriveSourcePut": {"folder_id": "folder1", "pattern": "*.xlsx"},
        "MailSourcePut": {"host": "127.0.0.1", "port": closed_port(), "username": "acme", "pattern": "*.csv"},
        "OdooConfigPut": {"url": odoo_url, "database": "odoo", "login": "admin", "secret": "key"},
        "OdooBulkSync": {"product_ids": [ids["product_id"]]},
        "OdooLogRetry": {"log_ids": [str(uuid.uuid4())]},
        "OdooScheduleCreate": {"name": "hourly", "direction": "export", "interval_minutes": 60},
        "OdooScheduleUpdate": {"interval_minutes": 120},
        "OdooFieldMappingPost": {"local_field": "brand", "odoo_field": "x_brand"},
        "OdooCategoryMappingPost": {"local_category": "Pens", "odoo_category_id": 7},
        "OdooTaxMappingPost": {"vat_rate": "20", "odoo_tax_id": 3},
        "OdooSuggestionsAccept": [{"local_field": "brand", "odoo_field": "x_brand"}],
        "OdooWebhookPut": {"enabled": True},
        "OdooWebhookDelivery": {"_id": 1, "_model": "product.product"},
        "OdooInstancePost": {"name": "staging", "url": odoo_url, "database": "odoo", "login": "admin"},
        "OdooInstancePut": {"enabled": True},
        "EanProviderPut": {"enabled": True, "requests_per_minute": 100},
        "EanLookupRequest": {"ean": "4006381333931"},
        "LookupJobCreate": {"eans": ["4006381333931"]},
        "EanFinderJobRequest": {},
        "EanFinderResolve": {"gtin": "5901234123457"},
        "Code2AsinJobCreate": {"eans": ["4006381333931"]},
        "AmazonConfigPut": {"marketplace": "amazon.de", "client_id": "amzn1.application-oa2-client.x"},
        "DriveUpload": {"folder_id": "root"},
        "ExportPlatformBody": {"name": "Partner bucket", "kind": "s3", "bucket": "exports", "prefix": "partner/"},
        "ExportTemplateBody": {"name": "Flat file", "columns": [{"header": "EAN", "field": "ean"}]},
        "ExportCreate": {"platform_id": "00000000-0000-4000-8000-00000000d0a1", "format": "csv"},
    }


def _operations() -> list[tuple[str, str, Any]]:
    """Every (method, path, operation) in the route table's order, except that deletions come last and in
    reverse (children before parents: they would take the rows the others use), and the logout very last."""
    calls = [(method, route.path, op) for route in ROUTES for method, op in route.operations.items()]

    def order(indexed: tuple[int, tuple[str, str, Any]]) -> tuple[int, int]:
        index, (method, path, _) = indexed
        return (2, 0) if path.endswith("/logout") else (1, -index) if method == "DELETE" else (0, index)

    return [call for _, call in sorted(enumerate(calls), key=order)]


def walk(client: testing.TestClient, world: World, signer: HmacMediaUrlSigner) -> dict[Call, testing.Result]:
    """Each operation once; media content is asked for through a signed URL, as the API hands them out."""
    bodies = _json_bodies(world.ids)
    answers: dict[Call, testing.Result] = {}
    for method, template, op in _operations():
        path = template.format(**{name: world.ids[name] for name in world.ids if "{" + name + "}" in template})
        if set(SIGNED_URL_PARAMS) <= set(op.params):
            path = signer.sign(path)
        if template.endswith("/integrations/google/callback"):  # as Google sends the browser back
            path += "?state=" + "s" * 43 + "&code=4/0AQlEd8x"
        own_session = template.endswith(("/logout", "/change-password"))
        headers = dict(world.other if own_session else world.admin)
        options: dict[str, Any] = {}
        if op.request == "ImageUpload":
            options["body"], headers["Content-Type"] = _multipart_image(_png(red=100))  # not the stored one
        elif op.request == "ImportUpload":
            options["body"], headers["Content-Type"] = multipart_import("outage.csv", CSV, "ACME")
        elif op.request is not None:
            options["json"] = bodies[op.request]
        answers[(method, template)] = client.simulate_request(method, path, headers=headers, **options)
    walked = {(method, route.path) for route in ROUTES for method in route.operations}
    assert set(answers) == walked  # every route of the table, none skipped
    return answers


def assert_unavailable(call: Call, result: testing.Result) -> None:
    assert result.status_code == 503, f"{call}: {result.status_code} {result.text}"
    assert result.headers.get("retry-after", "").isdigit(), f"{call}: no Retry-After"
    if call[1] != "/api/v1/health":  # the health report keeps its own JSON body
        assert result.headers["content-type"] == PROBLEM_JSON, call
        assert result.json["status"] == 503 and result.json["detail"], call


def assert_no_server_error(answers: dict[Call, testing.Result]) -> None:
    """2xx, a client's 4xx, Odoo (another server, down here) as 502, or a 503 done properly; never a 500."""
    for call, result in answers.items():
        status = result.status_code
        assert status != 500, f"{call}: {result.text}"
        if status == 503:
            assert_unavailable(call, result)
        elif status >= 500:
            assert status == 502 and "/odoo/" in call[1], f"{call}: {status} {result.text}"


# What needs Redis, and how it must answer while Redis is down: recorded work is accepted and left pending;
# what records nothing (a reset e-mail, a throttle check, a task carrying its own parameters) is a 503. Odoo runs
# keep their request, so they are accepted too.
REDIS_DOWN: dict[Call, int] = {
    ("GET", "/api/v1/health"): 503,
    ("POST", "/api/v1/auth/login"): 503,
    ("POST", "/api/v1/auth/forgot-password"): 503,
    ("POST", "/api/v1/auth/reset-password/verify"): 503,
    ("POST", "/api/v1/auth/change-password"): 503,
    ("POST", "/api/v1/users/{user_id}/unlock"): 503,
    ("POST", "/api/v1/products/{product_id}/media"): 201,
    ("POST", "/api/v1/media/files/{media_id}/generate-thumbnails"): 503,
    ("POST", "/api/v1/imports"): 202,
    ("POST", "/api/v1/suppliers/{supplier_id}/import-sources/ftp/run"): 503,
    ("POST", "/api/v1/suppliers/{supplier_id}/import-sources/gdrive/run"): 503,
    ("POST", "/api/v1/suppliers/{supplier_id}/import-sources/email/run"): 503,
    ("POST", "/api/v1/odoo/sync/{product_id}"): 202,
    ("POST", "/api/v1/odoo/bulk-sync"): 202,
    ("POST", "/api/v1/odoo/import"): 202,
    ("POST", "/api/v1/odoo/schedules/{schedule_id}/run"): 503,
    ("POST", "/api/v1/odoo/instances/{instance_id}/sync/{product_id}"): 202,
    ("POST", "/api/v1/odoo/instances/{instance_id}/bulk-sync"): 202,
    ("POST", "/api/v1/odoo/instances/{instance_id}/import"): 202,
    ("POST", "/api/v1/odoo/instances/{instance_id}/schedules/{schedule_id}/run"): 503,
    ("POST", "/api/v1/ean-lookup/lookup"): 503,
    ("POST", "/api/v1/ean-lookup/jobs"): 202,  # each provider's pace is kept in Redis
    ("POST", "/api/v1/ean-finder/jobs"): 503,  # no sweep queues finder jobs again: the job is failed, asked anew
}


@pytest.fixture
def world(backend: Backend, users: Users) -> World:
    return make_world(backend, users)


def test_with_redis_unreachable_every_route_answers_without_a_server_error(backend: Backend, world: World) -> None:
    container, client = redis_down(backend)
    answers = walk(client, world, container.media_url_signer())
    assert_no_server_error(answers)
    for call, status in REDIS_DOWN.items():
        assert answers[call].status_code == status, f"{call}: {answers[call].status_code} {answers[call].text}"
    unexpected = {c: r.status_code for c, r in answers.items() if r.status_code == 503 and c not in REDIS_DOWN}
    assert not unexpected, unexpected  # nothing else depends on Redis
    assert answers[("POST", "/api/v1/imports")].json["status"] == "pending"
    assert answers[("POST", "/api/v1/products/{product_id}/media")].json["status"] == "pending"
    for run in ("/api/v1/odoo/import", "/api/v1/odoo/bulk-sync", "/api/v1/odoo/sync/{product_id}"):
        assert answers[("POST", run)].json["status"] == "pending", run


def test_work_accepted_while_redis_is_down_stays_pending_with_its_data(backend: Backend, world: World) -> None:
    """What the scheduler's sweep will dispatch: the job with its kept file, the image with its bytes, the run."""
    _, client = redis_down(backend)
    body, content_type = multipart_import("outage.csv", CSV, "acme")
    accepted = client.simulate_post("/api/v1/imports", headers={**world.admin, "Content-Type": content_type}, body=body)
    assert accepted.status_code == 202, accepted.text
    job = backend.container.import_manager().get(uuid.UUID(accepted.json["id"]))
    kept = (job.status.value, job.supplier_code, job.file_name, job.file_size)
    assert kept == ("pending", "ACME", "outage.csv", len(CSV))  # the code in its canonical form
    assert job.file_key is not None and backend.container.media_store().get(job.file_key) == CSV
    seen = backend.client.simulate_get(f"/api/v1/imports/{job.id}", headers=world.admin)
    assert seen.status_code == 200 and seen.json["status"] == "pending"

    image = _png(red=50)
    body, content_type = _multipart_image(image)
    path = f"/api/v1/products/{world.ids['product_id']}/media"
    uploaded = client.simulate_post(path, headers={**world.admin, "Content-Type": content_type}, body=body)
    assert uploaded.status_code == 201, uploaded.text
    media = backend.container.media_library().get(uuid.UUID(uploaded.json["id"])).media
    assert media.status.value == "pending" and backend.container.media_store().get(media.storage_key) == image

    run = client.simulate_post("/api/v1/odoo/import", headers=world.admin)
    assert run.status_code == 202, run.text
    assert backend.container.odoo_sync().get_run(uuid.UUID(run.json["id"])).status.value == "pending"


def test_an_export_run_accepted_while_redis_is_down_is_swept_to_a_worker_once_it_is_back(
    backend: Backend, world: World
) -> None:
    """The run keeps its request (the products or filters), so the scheduler's sweep can queue it later."""
    _, client = redis_down(backend)
    accepted = client.simulate_post(
        "/api/v1/odoo/bulk-sync", headers=world.admin, json={"product_ids": [world.ids["product_id"]]}
    )
    assert accepted.status_code == 202 and accepted.json["status"] == "pending", accepted.text
    run_id = uuid.UUID(accepted.json["id"])
    with backend.engine.begin() as connection:  # past the grace period: the broker never got its message
        connection.execute(
            update(odoo_sync_runs).where(odoo_sync_runs.c.id == run_id).values(created_at=datetime.now(UTC) - GRACE)
        )
    swept = backend.container.work_sweep().sweep()  # the broker (here in-process) is back
    assert "1 Odoo run(s)" in swept.summary()
    assert backend.container.task_queue().drain(timeout=30)
    run = backend.container.odoo_sync().get_run(run_id)
    assert run.status.value != "pending" and run.attempts == 1  # it reached a worker, once


@pytest.fixture
def database_down(postgresql_backend: Backend) -> Iterator[tuple[Backend, Any]]:
    url = make_url(postgresql_backend.url)
    with tcp_proxy(url.host or "127.0.0.1", url.port or 5432) as proxy:
        yield postgresql_backend, proxy


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_with_the_database_unreachable_every_route_answers_503(
    backend: Backend, world: World, database_down: tuple[Backend, Any]
) -> None:
    _, proxy = database_down
    url = make_url(backend.url).set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    google = {"GOOGLE_CLIENT_ID": "client.apps.googleusercontent.com", "GOOGLE_CLIENT_SECRET": "secret",
              "GOOGLE_REDIRECT_URI": "http://127.0.0.1/api/v1/integrations/google/callback"}  # fmt: skip
    container, client = app_with(backend, url, **google)  # the callback then needs the database, like the rest
    assert client.simulate_get("/api/v1/auth/me", headers=world.admin).status_code == 200  # pooled, then cut
    proxy.stop()
    answers = walk(client, world, container.media_url_signer())
    assert_no_server_error(answers)
    assert answers[("GET", "/api/v1/openapi.json")].status_code == 200  # needs nothing
    for call, result in answers.items():
        if call != ("GET", "/api/v1/openapi.json"):
            assert_unavailable(call, result)
    assert answers[("GET", "/api/v1/health")].json["checks"]["database"]["status"] == "unavailable"
    container.engine().dispose()


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_uploads_while_the_s3_store_is_down_answer_503_and_record_nothing(
    backend: Backend, users: Users, s3_endpoint: str
) -> None:
    endpoint = urlsplit(s3_endpoint)
    product_id = str(backend.container.product_editor().create(EAN, {"name": "Pen"}))
    backend.client.simulate_post("/api/v1/suppliers", headers=users.admin, json={"code": "ACME", "name": "Acme"})
    with tcp_proxy(endpoint.hostname or "127.0.0.1", endpoint.port or 80) as proxy:
        container, client = app_with(
            backend,
            backend.url,
            PM_S3_ENDPOINT=f"http://127.0.0.1:{proxy.port}",
            PM_S3_ACCESS_KEY=ACCESS_KEY,
            PM_S3_SECRET_KEY=SECRET_KEY,
            PM_S3_BUCKET=f"outage-{uuid.uuid4().hex[:12]}",
        )
        proxy.stop()
        body, content_type = _multipart_image(_png())
        path = f"/api/v1/products/{product_id}/media"
        image = client.simulate_post(path, headers={**users.admin, "Content-Type": content_type}, body=body)
        assert_unavailable(("POST", path), image)
        body, content_type = multipart_import("outage.csv", CSV, "ACME")
        headers = {**users.admin, "Content-Type": content_type}
        upload = client.simulate_post("/api/v1/imports", headers=headers, body=body)
        assert_unavailable(("POST", "/api/v1/imports"), upload)
    assert container.media_library().for_product(uuid.UUID(product_id)) == []
    listed = backend.client.simulate_get("/api/v1/imports", headers=users.admin)
    assert listed.status_code == 200 and listed.json["items"] == []
