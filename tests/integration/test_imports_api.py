"""Supplier imports through the API on PostgreSQL and SQLite: the sample files with their defects, the
merge's figures, idempotence, missing offers, failures recorded, retry, errors, CSV export, notifications."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import pytest
from dependency_injector import providers

from tests.integration.helpers import PROBLEM_JSON, Backend, Users
from tests.integration.import_helpers import (
    ACME_PROFILE,
    BETA_PROFILE,
    GAMMA_PROFILE,
    finished,
    supplier_with_profile,
    upload,
)
from tests.unit.auth_fakes import RecordingMailer

pytestmark = pytest.mark.integration
NAMES_PROFILE = {"mapping": {"ean": "ean", "name": "name"}}


def run(backend: Backend, headers: dict[str, str], name: str, code: str, data: bytes | None = None) -> dict:
    accepted = upload(backend, headers, name, code, data)
    assert accepted.status_code == 202, accepted.text
    assert accepted.json["status"] in ("pending", "failed")
    return finished(backend, headers, accepted.json["id"])


def test_the_cp1252_sample_imports_row_by_row_as_expected(backend: Backend, users: Users) -> None:
    editor = users.editor
    supplier_with_profile(backend, editor, "ACME", ACME_PROFILE)
    job = run(backend, editor, "acme_catalogue_cp1252.csv", "ACME")
    assert job["status"] == "completed_with_errors", job
    counts = job["counts"]
    assert (counts["rows_total"], counts["products_created"], counts["errors"], counts["warnings"]) == (9, 4, 4, 1)
    assert counts["offers_upserted"] == 4 and job["first_error"]["row"] == 4

    errors = backend.client.simulate_get(f"/api/v1/imports/{job['id']}/errors", headers=editor).json["items"]
    by_row = {e["row"]: e for e in errors}
    assert {n: by_row[n]["reason"] for n in (4, 5, 6, 10)} == {
        4: "invalid_ean",
        5: "missing_ean",
        6: "invalid_ean",
        10: "invalid_price",
    }
    assert by_row[5]["raw"]["Désignation"] == "Savon sans EAN" and by_row[7]["warning"] is True
    assert "abc" in by_row[10]["message"]

    products = backend.client.simulate_get("/api/v1/products?q=5901234123457", headers=editor).json["items"]
    assert len(products) == 1 and products[0]["name"] == "Chocolat noir 70% (doublon, dernier gagne)"
    assert products[0]["offers"][0]["price"] in ("2.80", "2.8", "2.8000") and products[0]["offers"][0]["stock"] == 118
    thé = backend.client.simulate_get("/api/v1/products/by-ean/0012345678905", headers=editor).json
    assert thé["name"] == "Thé vert bio 100 g" and thé["brand"] == "Jardin d'Été"


def test_the_same_file_again_changes_nothing(backend: Backend, users: Users) -> None:
    supplier_with_profile(backend, users.editor, "ACME", ACME_PROFILE)
    run(backend, users.editor, "acme_catalogue_cp1252.csv", "ACME")
    again = run(backend, users.editor, "acme_catalogue_cp1252.csv", "ACME")["counts"]
    assert (again["products_created"], again["products_updated"], again["products_unchanged"]) == (0, 0, 4)
    assert again["offers_upserted"] == 0


@pytest.mark.parametrize("name", ["gamma_feed.csv.gz", "gamma_feed.zip"])
def test_compressed_samples_import_their_thousand_rows(backend: Backend, users: Users, name: str) -> None:
    supplier_with_profile(backend, users.editor, "GAMMA", GAMMA_PROFILE)
    job = run(backend, users.editor, name, "GAMMA")
    assert job["status"] == "completed" and job["counts"]["products_created"] == 1000, job


def test_the_xlsx_sample_keeps_numeric_eans(backend: Backend, users: Users) -> None:
    supplier_with_profile(backend, users.editor, "BETA", BETA_PROFILE)
    job = run(backend, users.editor, "beta_prices.xlsx", "BETA")
    assert job["status"] == "completed_with_errors" and job["counts"]["products_created"] == 3, job
    for gtin in ("0012345678905", "4006381333931", "5901234123457"):
        found = backend.client.simulate_get(f"/api/v1/products/by-ean/{gtin}", headers=users.editor)
        assert found.status_code == 200, gtin


@pytest.mark.parametrize(
    ("policy", "stock", "present"), [("keep", 5, True), ("zero_stock", 0, True), ("remove", None, False)]
)
def test_offers_missing_from_a_full_file_follow_the_profile(
    backend: Backend, users: Users, policy: str, stock: int | None, present: bool
) -> None:
    profile = {**GAMMA_PROFILE, "missing_offers": policy}
    supplier_with_profile(backend, users.editor, "GAMMA", profile)
    first = "ean,name,brand,price,stock,sku\n4006381333931,Pen,B,1.00,5,P1\n0012345678905,Ink,B,2.00,5,I1\n"
    second = "ean,name,brand,price,stock,sku\n4006381333931,Pen,B,1.50,7,P1\n"
    run(backend, users.editor, "a.csv", "GAMMA", first.encode())
    job = run(backend, users.editor, "b.csv", "GAMMA", second.encode())
    assert job["counts"]["offers_zeroed"] == (1 if policy == "zero_stock" else 0)
    assert job["counts"]["offers_removed"] == (1 if policy == "remove" else 0)
    ink = backend.client.simulate_get("/api/v1/products/by-ean/0012345678905", headers=users.editor).json
    assert bool(ink["offers"]) is present
    if present:
        assert ink["offers"][0]["stock"] == stock
    history = {
        name: backend.client.simulate_get(f"/api/v1/products/{product['id']}/history", headers=users.editor).json
        for name, product in (("ink", ink), ("pen", backend.client.simulate_get(
            "/api/v1/products/by-ean/4006381333931", headers=users.editor).json))
    }  # fmt: skip
    changes = {name: [(h["field"], h["old"], h["new"]) for h in page["items"] if h["field"].startswith("offers.")]
               for name, page in history.items()}  # fmt: skip
    assert sorted(changes["pen"][:2]) == [("offers.GAMMA.price", "1", "1.5"), ("offers.GAMMA.stock", 5, 7)]
    left_out = {"keep": [], "zero_stock": [("offers.GAMMA.stock", 5, 0)],
                "remove": [("offers.GAMMA.price", "2", None), ("offers.GAMMA.stock", 5, None)]}[policy]  # fmt: skip
    assert sorted(changes["ink"][: len(left_out)]) == left_out
    assert sorted(changes["ink"][len(left_out) :]) == [
        ("offers.GAMMA.price", None, "2"),
        ("offers.GAMMA.stock", None, 5),
    ]


def test_only_the_mapped_fields_are_written(backend: Backend, users: Users) -> None:
    supplier_with_profile(backend, users.editor, "GAMMA", GAMMA_PROFILE)
    run(backend, users.editor, "a.csv", "GAMMA", b"ean,name,brand,price,stock,sku\n4006381333931,Pen,Brand,1.00,5,P1\n")
    supplier_with_profile(backend, users.editor, "PRICES", {"mapping": {"EAN": "ean", "Qty": "stock"}})
    job = run(backend, users.editor, "stock.csv", "PRICES", b"EAN;Qty\n4006381333931;9\n")
    assert job["counts"]["products_unchanged"] == 1 and job["counts"]["offers_upserted"] == 1
    pen = backend.client.simulate_get("/api/v1/products/by-ean/4006381333931", headers=users.editor).json
    assert (pen["name"], pen["brand"]) == ("Pen", "Brand")
    assert sorted((o["supplier_code"], o["stock"]) for o in pen["offers"]) == [("GAMMA", 5), ("PRICES", 9)]


def test_failures_are_recorded_and_a_failed_job_can_be_retried(backend: Backend, users: Users) -> None:
    unknown = run(backend, users.editor, "acme_catalogue_cp1252.csv", "NOBODY")
    assert unknown["status"] == "failed" and "NOBODY" in unknown["failure_reason"]
    created = backend.client.simulate_post(
        "/api/v1/suppliers", headers=users.editor, json={"code": "ACME", "name": "A"}
    )
    no_profile = run(backend, users.editor, "acme_catalogue_cp1252.csv", "ACME")
    assert no_profile["status"] == "failed" and "import-profile" in no_profile["failure_reason"]
    backend.client.simulate_put(
        f"/api/v1/suppliers/{created.json['id']}/import-profile", headers=users.editor, json=ACME_PROFILE
    )
    retried = backend.client.simulate_post(f"/api/v1/imports/{no_profile['id']}/retry", headers=users.editor)
    assert retried.status_code == 202 and retried.json["status"] == "pending"  # as it is after the retry
    job = finished(backend, users.editor, no_profile["id"])
    assert job["status"] == "completed_with_errors" and job["attempts"] == 2
    again = backend.client.simulate_post(f"/api/v1/imports/{no_profile['id']}/retry", headers=users.editor)
    assert again.status_code == 409 and again.headers["content-type"] == PROBLEM_JSON
    nothing_kept = backend.client.simulate_post(f"/api/v1/imports/{unknown['id']}/retry", headers=users.editor)
    assert nothing_kept.status_code == 409


def test_a_bomb_fails_the_job_with_its_reason(backend: Backend, users: Users) -> None:
    import gzip

    supplier_with_profile(backend, users.editor, "GAMMA", GAMMA_PROFILE)
    bomb = gzip.compress(b"ean,name,brand,price,stock,sku\n" + b"0" * 50_000_000, compresslevel=9)
    job = run(backend, users.editor, "bomb.csv.gz", "GAMMA", bomb)
    assert job["status"] == "failed" and "bomb" in job["failure_reason"]


def test_jobs_are_listed_filtered_and_paged(backend: Backend, users: Users) -> None:
    supplier_with_profile(backend, users.editor, "GAMMA", NAMES_PROFILE)
    ids = [run(backend, users.editor, f"f{n}.csv", "GAMMA", b"ean,name\n4006381333931,Pen\n")["id"] for n in range(3)]
    run(backend, users.editor, "x.csv", "NOBODY", b"ean\n")
    first = backend.client.simulate_get("/api/v1/imports?supplier_code=gamma&limit=2", headers=users.viewer).json
    second = backend.client.simulate_get(
        f"/api/v1/imports?supplier_code=gamma&limit=2&cursor={first['next_cursor']}", headers=users.viewer
    ).json
    assert [j["id"] for j in first["items"] + second["items"]] == ids[::-1] and second["next_cursor"] is None
    failed = backend.client.simulate_get("/api/v1/imports?status=failed", headers=users.viewer).json["items"]
    assert [j["supplier_code"] for j in failed] == ["NOBODY"]
    assert backend.client.simulate_get("/api/v1/imports?status=done", headers=users.viewer).status_code == 400
    assert backend.client.simulate_get("/api/v1/imports?start_date=soon", headers=users.viewer).status_code == 400
    today = first["items"][0]["created_at"][:10]
    dated = backend.client.simulate_get(f"/api/v1/imports?start_date={today}&end_date={today}", headers=users.viewer)
    assert len(dated.json["items"]) == 4


def test_the_csv_export_opens_in_excel_and_neutralises_formulas(backend: Backend, users: Users) -> None:
    supplier_with_profile(backend, users.editor, "GAMMA", NAMES_PROFILE)
    run(backend, users.editor, "=HYPERLINK(1).csv", "GAMMA", b"ean,name\n4006381333931,Pen\n")
    export = backend.client.simulate_get("/api/v1/imports/export.csv", headers=users.viewer)
    assert export.status_code == 200 and export.headers["content-type"].startswith("text/csv")
    assert export.headers["content-disposition"].startswith('attachment; filename="imports_')
    assert export.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert rows[0][:5] == ["id", "supplier", "source", "file name", "status"] and len(rows) == 2
    assert len(set(rows[0])) == len(rows[0]), rows[0]  # every column has its own name
    assert dict(zip(rows[0], rows[1], strict=True))["products created"] == "1"
    assert rows[1][3] == "'=HYPERLINK(1).csv"


@pytest.fixture
def mailer(backend: Backend) -> Iterator[RecordingMailer]:
    recording = RecordingMailer()
    with backend.container.mailer.override(providers.Object(recording)):
        yield recording


def test_notifications_follow_the_settings(backend: Backend, users: Users, mailer: RecordingMailer) -> None:
    settings = {"emailImportComplete": True, "emailImportError": True, "recipients": ["ops@example.com"]}
    assert (
        backend.client.simulate_put("/api/v1/settings/notifications", headers=users.admin, json=settings).status_code
        == 200
    )
    supplier_with_profile(backend, users.editor, "GAMMA", NAMES_PROFILE)
    supplier_with_profile(backend, users.editor, "ACME", ACME_PROFILE)
    run(backend, users.editor, "ok.csv", "GAMMA", b"ean,name\n4006381333931,Pen\n")
    run(backend, users.editor, "acme_catalogue_cp1252.csv", "ACME")
    assert backend.container.task_queue().drain(timeout=30)
    subjects = sorted(m.subject for m in mailer.sent)
    assert len(subjects) == 2 and all(m.to == "ops@example.com" for m in mailer.sent)
    assert "completed" in subjects[1] and "completed with errors" in subjects[0]
    assert "row 4" in next(m.text for m in mailer.sent if "errors" in m.subject)
    run(backend, users.editor, "x.csv", "NOBODY", b"ean\n")  # failed on arrival: an import all the same
    assert backend.container.task_queue().drain(timeout=30)
    assert "failed" in mailer.sent[-1].subject and "NOBODY" in mailer.sent[-1].text


def test_a_profile_takes_the_other_names_of_an_encoding(backend: Backend, users: Users) -> None:
    supplier_id = supplier_with_profile(backend, users.editor, "ACME", {**ACME_PROFILE, "encoding": "cp1252"})
    shown = backend.client.simulate_get(f"/api/v1/suppliers/{supplier_id}/import-profile", headers=users.viewer)
    assert shown.json["encoding"] == "windows-1252"
    job = run(backend, users.editor, "acme_catalogue_cp1252.csv", "ACME")
    assert job["status"] == "completed_with_errors"


def test_rows_short_of_or_beyond_the_header_are_error_rows_by_their_row_number(backend: Backend, users: Users) -> None:
    supplier_with_profile(backend, users.editor, "GAMMA", NAMES_PROFILE)
    data = b"ean,name,price\n4006381333931,Pen,1\n96385074,Ink\n\n5901234123457,Pad,2,oops\n0012345678905,Cup,3,,\n"
    job = run(backend, users.editor, "shifted.csv", "GAMMA", data)
    assert job["status"] == "completed_with_errors" and job["counts"]["errors"] == 2, job
    assert job["counts"]["products_created"] == 2  # the rows that fit their header
    errors = backend.client.simulate_get(f"/api/v1/imports/{job['id']}/errors", headers=users.editor).json["items"]
    assert [(e["row"], e["reason"], e["column"]) for e in errors] == [
        (3, "missing_columns", "price"), (5, "extra_columns", None),
    ]  # fmt: skip
    assert errors[0]["raw"] == {"ean": "96385074", "name": "Ink"}  # as read: nothing padded


@pytest.mark.parametrize(
    ("given", "stored"), [("utf-16", "utf-16"), ("UTF-16LE", "utf-16-le"), ("utf-16-be", "utf-16-be")]
)
def test_a_profile_takes_utf16_and_imports_such_a_file(backend: Backend, users: Users, given: str, stored: str) -> None:
    profile = {"encoding": given, "delimiter": "\t", "mapping": {"EAN": "ean", "Name": "name"}}
    supplier_id = supplier_with_profile(backend, users.editor, "UNI", profile)
    shown = backend.client.simulate_get(f"/api/v1/suppliers/{supplier_id}/import-profile", headers=users.viewer)
    assert shown.json["encoding"] == stored
    codec = "utf-16-be" if stored.endswith("be") else "utf-16-le"
    job = run(backend, users.editor, "unicode.txt", "UNI", "EAN\tName\r\n4006381333931\tThé\r\n".encode(codec))
    assert job["status"] == "completed" and job["counts"]["products_created"] == 1, job


def test_excel_unicode_text_imports_with_only_a_mapping_set(backend: Backend, users: Users) -> None:
    supplier_with_profile(backend, users.editor, "UNI", {"mapping": {"EAN": "ean", "Désignation": "name"}})
    data = b"\xff\xfe" + "EAN\tDésignation\tPrix\r\n4006381333931\tCrème\t1,50\r\n".encode("utf-16-le")
    job = run(backend, users.editor, "Unicode text.txt", "UNI", data)
    assert job["status"] == "completed" and job["counts"]["products_created"] == 1, job
    product = backend.client.simulate_get("/api/v1/products/by-ean/4006381333931", headers=users.viewer).json
    assert product["name"] == "Crème"
