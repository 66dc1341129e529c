"""The back office's exports pages on both backends: the page, templates managed with their errors next to
their fields (nothing stored on bad input), an export started from the form, followed and downloaded through
the page endpoint under the session, a viewer's missing controls and refused posts; and Google Drive connected,
browsed and disconnected against the fake Google (TLS on loopback)."""

from __future__ import annotations

import csv
import io
from urllib.parse import parse_qs, urlsplit

import pytest

from productsmanager.domain.exports.platforms import DOWNLOAD_PLATFORM_ID
from tests.integration.fake_google import EMAIL, FakeGoogle
from tests.integration.fake_google_drive import FOLDER
from tests.integration.google_world import API, google_fixture  # noqa: F401 - fixture
from tests.integration.helpers import Backend, Users
from tests.integration.web_session import WebSession, signed_in

pytestmark = pytest.mark.integration

COLUMNS = 'EAN = ean\nTitle = name\nShop = "Acme store"'


def _template(session: WebSession, name: str = "Marketplace", columns: str = COLUMNS) -> int:
    return session.post("/exports/templates", session.form(name=name, columns=columns)).status_code


def test_pages_render_and_templates_are_added_changed_and_deleted(backend: Backend) -> None:
    admin = signed_in(backend, "admin@example.com", "admin")
    page = admin.get("/exports")
    assert page.status_code == 200
    for text in ("<h1>Exports</h1>", "New export", "History", "Platforms", "Download (Download)", "Google Drive"):
        assert text in page.text
    assert admin.get("/exports/templates").status_code == 200
    assert _template(admin) == 303
    [made] = backend.container.export_templates().list()
    assert [(c.header, c.field.name if c.field else c.value) for c in made.columns] == [
        ("EAN", "ean"), ("Title", "name"), ("Shop", "Acme store")]  # fmt: skip
    edit = admin.get(f"/exports/templates/{made.id}")
    assert edit.status_code == 200 and "Shop = &#34;Acme store&#34;" in edit.text
    changed = admin.post(f"/exports/templates/{made.id}", admin.form(name="Renamed", columns="EAN = gtin"))
    assert changed.status_code == 303
    assert backend.container.export_templates().get(made.id).name == "Renamed"
    assert "Renamed" in admin.get("/exports").text
    assert admin.post(f"/exports/templates/{made.id}/delete", admin.form()).status_code == 303
    assert backend.container.export_templates().list() == []


def test_a_bad_template_is_shown_again_with_its_errors_and_nothing_is_stored(backend: Backend) -> None:
    admin = signed_in(backend, "admin@example.com", "admin")
    bad = admin.post("/exports/templates", admin.form(name="", columns="EAN = ean\nPrice = no_such_field\nOops"))
    assert bad.status_code == 422
    assert 'id="e-name"' in bad.text and "line 2:" in bad.text and "line 3:" in bad.text
    assert "no_such_field" in bad.text  # the form keeps what was typed
    assert backend.container.export_templates().list() == []
    assert _template(admin) == 303
    [made] = backend.container.export_templates().list()
    again = admin.post(f"/exports/templates/{made.id}", admin.form(name="X", columns="A = ean\nA = name"))
    assert again.status_code == 422 and "same header" in again.text
    assert backend.container.export_templates().get(made.id).name == "Marketplace"


def test_s3_platforms_are_added_with_their_errors_and_deleted(backend: Backend) -> None:
    admin = signed_in(backend, "admin@example.com", "admin")
    assert admin.get("/exports/platforms").status_code == 200
    bad = admin.post("/exports/platforms", admin.form(name="", bucket="Not A Bucket", prefix="a/../b"))
    assert bad.status_code == 422
    assert all(f'id="e-{name}"' in bad.text for name in ("name", "bucket", "prefix")) and "Not A Bucket" in bad.text
    assert len(backend.container.export_platforms().list()) == 1  # the download platform alone
    made = admin.post("/exports/platforms", admin.form(name="Partners", bucket="partner-files", prefix="acme/"))
    assert made.status_code == 303
    [_, platform] = backend.container.export_platforms().list()
    assert (platform.name, platform.bucket, platform.prefix) == ("Partners", "partner-files", "acme/")
    assert "Delete Partners" in admin.get("/exports").text
    fixed = admin.post(f"/exports/platforms/{DOWNLOAD_PLATFORM_ID}/delete", admin.form())
    assert fixed.status_code == 409
    assert admin.post(f"/exports/platforms/{platform.id}/delete", admin.form()).status_code == 303
    assert len(backend.container.export_platforms().list()) == 1


def test_an_export_is_started_followed_and_downloaded_under_the_session(backend: Backend, users: Users) -> None:
    for ean, name in (("4006381333931", "Pen"), ("96385074", "Mug")):
        created = backend.client.simulate_post(
            "/api/v1/products", headers=users.editor, json={"ean": ean, "name": name}
        )
        assert created.status_code == 201, created.text
    editor = signed_in(backend, "ed@example.com", "editor")
    bad = editor.post("/exports", editor.form(platform_id=str(DOWNLOAD_PLATFORM_ID), format="pdf"))
    assert bad.status_code == 422 and "format must be one of" in bad.text
    assert backend.container.exports().page(10).items == []
    started = editor.post("/exports", editor.form(platform_id=str(DOWNLOAD_PLATFORM_ID), format="csv", q="Pen"))
    assert started.status_code == 303
    [job] = backend.container.exports().page(10).items
    page = editor.get("/exports")
    [current] = backend.container.exports().page(10).items  # read after the page: unfinished then, unfinished there
    if not current.status.finished:
        assert f'data-live-topics="export:{job.id}"' in page.text and 'hx-trigger="live' in page.text
    assert backend.container.task_queue().drain(timeout=60)
    row = editor.get(f"/exports/{job.id}/row", htmx=True)
    assert row.status_code == 200 and row.text.lstrip().startswith("<tr")
    assert "completed" in row.text and "every 5s" not in row.text  # no polling once finished
    assert "data-live-topics" not in row.text  # nor listening: a finished export never changes
    assert f'href="/exports/{job.id}/download"' in row.text
    download = editor.get(f"/exports/{job.id}/download")
    assert download.status_code == 200
    assert job.file_name in download.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert len(rows) == 2 and "Pen" in rows[1]
    assert WebSession(backend.client).get(f"/exports/{job.id}/download").status_code == 303  # signed out: to /login


def test_a_viewer_sees_no_controls_and_is_refused_changes(backend: Backend) -> None:
    admin = signed_in(backend, "admin@example.com", "admin")
    assert _template(admin) == 303
    [made] = backend.container.export_templates().list()
    viewer = signed_in(backend, "viewer@example.com", "viewer")
    page = viewer.get("/exports")
    assert page.status_code == 200 and "Marketplace" in page.text
    for control in ("Start the export", "New template", "Delete ", "New S3 platform", "Connect Google Drive"):
        assert control not in page.text
    assert viewer.post("/exports", viewer.form(platform_id=str(DOWNLOAD_PLATFORM_ID), format="csv")).status_code == 403
    assert viewer.post("/exports/templates", viewer.form(name="X", columns="A = ean")).status_code == 403
    assert viewer.post(f"/exports/templates/{made.id}/delete", viewer.form()).status_code == 403
    assert viewer.post("/exports/google/disconnect", viewer.form()).status_code == 403
    assert viewer.post("/exports/platforms", viewer.form(name="X")).status_code == 403
    assert viewer.get("/exports/templates").status_code == 403
    assert backend.container.exports().page(10).items == []
    assert len(backend.container.export_templates().list()) == 1


def test_google_drive_is_connected_browsed_chosen_and_disconnected(backend: Backend, google: FakeGoogle) -> None:
    google.drive.add("rootid", "My Drive", FOLDER, "")
    google.drive.files["rootid"].parents = []
    google.drive.add("sup", "Partners", FOLDER, "rootid")
    for n in range(30):
        google.drive.add(f"f{n:02}", f"Folder {n:02}", FOLDER, "sup")
    google.drive.add("deep", "Acme", FOLDER, "f03")
    admin = signed_in(backend, "admin@example.com", "admin")
    assert "Connect Google Drive" in admin.get("/exports").text
    start = admin.get("/exports/google/connect")
    assert start.status_code == 303
    assert start.cookies["pm_google_return"].path == f"{API}/callback"
    query = parse_qs(urlsplit(start.headers["location"]).query)
    code = google.approve(query["code_challenge"][0])
    back = admin.get(f"{API}/callback", params={"state": query["state"][0], "code": code})
    assert (back.status_code, back.headers["location"]) == (303, "/exports?google=connected")
    landed = admin.get("/exports?google=connected")
    assert "Google Drive connected." in landed.text and f"Connected as {EMAIL}" in landed.text
    replayed = admin.get(f"{API}/callback", params={"state": query["state"][0], "code": code})
    assert replayed.status_code == 400  # the cookie is spent: the API answers a replayed state itself

    first = admin.get("/exports/google/folders", params={"parent": "sup"})
    assert first.status_code == 200 and "Folder 00" in first.text and "Folder 25" not in first.text
    second = admin.get("/exports/google/folders", params={"parent": "sup", "page": "2"}, htmx=True)
    assert "Folder 25" in second.text and "<h1>" not in second.text
    inner = admin.get("/exports/google/folders", params={"parent": "f03"})
    assert "Acme" in inner.text and "Folder 03" in inner.text  # its breadcrumbs
    chosen = admin.post("/exports/google/folders", admin.form(folder_id="deep", name="Acme"))
    assert chosen.status_code == 303
    [platform] = [p for p in backend.container.export_platforms().list() if p.folder_id == "deep"]
    assert chosen.headers["location"] == f"/exports?platform={platform.id}#new-export"
    assert admin.post("/exports/google/folders", admin.form(folder_id="deep", name="Acme")).status_code == 303
    assert len(backend.container.export_platforms().list()) == 2  # the same folder chosen again: the same platform
    assert "selected>Google Drive: Acme" in admin.get(f"/exports?platform={platform.id}").text

    assert admin.post("/exports/google/disconnect", admin.form()).status_code == 303
    assert "Not connected." in admin.get("/exports?google=disconnected").text and google.revoked


def test_a_refused_authorization_lands_back_on_the_exports_page(backend: Backend, google: FakeGoogle) -> None:
    admin = signed_in(backend, "admin@example.com", "admin")
    admin.get("/exports/google/connect")
    back = admin.get(f"{API}/callback", params={"error": "access_denied"})
    assert (back.status_code, back.headers["location"]) == (303, "/exports?google=invalid")
    assert "The connection to Google Drive failed" in admin.get("/exports?google=invalid").text
