"""Exports to a Google Drive folder of the connected account, end to end: the export platform made through the
API, the export streamed into a resumable upload at the fake Google (TLS on loopback, the Drive v3 subset), and
what happens when the account is not connected or Google refuses its refresh token."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from productsmanager.domain.gtin import check_digit
from tests.integration.fake_google import FakeGoogle
from tests.integration.google_world import connect, expire_stored_token, google_fixture  # noqa: F401 - fixture
from tests.integration.helpers import Backend, Users, assert_problem

pytestmark = pytest.mark.integration

EXPORTS, PLATFORMS = "/api/v1/exports", "/api/v1/exports/platforms"


def _platform(backend: Backend, users: Users) -> str:
    body = {"name": "Partner folder", "kind": "gdrive", "folder_id": "partner-folder"}
    made = backend.client.simulate_post(PLATFORMS, headers=users.admin, json=body)
    assert made.status_code == 201, made.text
    return str(made.json["id"])


def _export(backend: Backend, users: Users, platform_id: str) -> dict[str, Any]:
    created = backend.client.simulate_post(EXPORTS, headers=users.editor, json={"platform_id": platform_id,
                                           "format": "csv", "fields": ["ean", "name", "brand"]})  # fmt: skip
    assert created.status_code == 202, created.text
    assert backend.container.task_queue().drain(timeout=60)
    return dict(backend.client.simulate_get(f"{EXPORTS}/{created.json['id']}", headers=users.viewer).json)


def test_an_export_is_uploaded_into_the_drive_folder(backend: Backend, users: Users, google: FakeGoogle) -> None:
    for n in range(30):
        payload = f"400638{n:06d}"
        body = {"ean": payload + str(check_digit(payload)), "name": f"Pen {n}", "brand": '=HYPERLINK("x")'}
        assert backend.client.simulate_post("/api/v1/products", headers=users.editor, json=body).status_code == 201
    connect(backend, users, google)
    platform_id = _platform(backend, users)
    job = _export(backend, users, platform_id)
    assert (job["status"], job["rows"]) == ("completed", 30), job
    uploaded = [f for f in google.drive.files.values() if f.parents == ["partner-folder"]]
    assert [f.name for f in uploaded] == [job["file_name"]] and job["file_name"].startswith("products_")
    rows = list(csv.reader(io.StringIO(uploaded[0].content.decode("utf-8-sig"))))
    assert len(rows) == 31 and all(row[2].startswith("'=") for row in rows[1:])  # formula-safe, as downloads are
    assert job["location"] == f"gdrive://partner-folder/{uploaded[0].id}"


def test_without_a_connected_account_a_drive_export_is_refused(backend: Backend, users: Users) -> None:
    platform_id = _platform(backend, users)
    refused = backend.client.simulate_post(EXPORTS, headers=users.editor, json={"platform_id": platform_id,
                                           "format": "csv"})  # fmt: skip
    assert "Google Drive is not connected" in assert_problem(refused, 409)["detail"]


def test_a_revoked_account_fails_the_export_saying_to_reconnect(
    backend: Backend, users: Users, google: FakeGoogle
) -> None:
    backend.client.simulate_post("/api/v1/products", headers=users.editor, json={"ean": "4006381333931", "name": "P"})
    connect(backend, users, google)
    platform_id = _platform(backend, users)
    google.refresh_tokens.clear()  # the account owner revoked the application's access
    expire_stored_token(backend)
    job = _export(backend, users, platform_id)
    assert job["status"] == "failed" and "reconnect" in job["error"].lower(), job
    assert not [f for f in google.drive.files.values() if f.parents == ["partner-folder"]]
