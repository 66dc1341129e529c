"""The back office's suppliers and imports pages on both backends: lists and filters, a supplier's import
sources, the upload wizard on the cp1252 sample (detection, suggested mapping, profile saved, job started),
the job page with its errors, and what a viewer and bad input get."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
from sqlalchemy import func, select

from productsmanager.adapters.sqlalchemy.tables import import_uploads
from productsmanager.application.imports.ports import JobFilter
from productsmanager.domain.imports.jobs import JobSource
from productsmanager.entrypoints.web.imports import jobs as jobs_page
from productsmanager.entrypoints.web.imports import suppliers as suppliers_page
from tests.integration.helpers import Backend
from tests.integration.import_helpers import SAMPLES, multipart_import
from tests.integration.web_session import WebSession, signed_in

pytestmark = pytest.mark.integration
ACME = "acme_catalogue_cp1252.csv"


def supplier(backend: Backend, code: str = "ACME") -> str:
    return str(backend.container.supplier_service().create({"code": code, "name": f"{code} Ltd"}).id)


def upload(session: WebSession, code: str, name: str, data: bytes) -> Any:
    body, content_type = multipart_import(name, data, code)
    return session.post("/imports/new", htmx=True, body=body, headers={"Content-Type": content_type})


def uploads(backend: Backend) -> int:
    """How many wizard uploads the database records."""
    with backend.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(import_uploads)).scalar_one()


def hidden(page: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', page)
    assert found is not None, page
    return found.group(1)


def selected_targets(page: str) -> dict[int, str]:
    """The wizard's suggested target for each column index."""
    selects = re.findall(r'<select id="map-(\d+)" name="map-\d+">(.*?)</select>', page, re.S)
    chosen = {int(n): re.search(r'<option value="([^"]*)" selected>', body) for n, body in selects}
    return {n: found.group(1) for n, found in chosen.items() if found}


def test_the_wizard_previews_maps_saves_the_profile_and_imports(backend: Backend) -> None:
    supplier_id = supplier(backend)
    session = signed_in(backend, "ed@example.com", "editor")
    assert session.get("/imports/new").status_code == 200

    step2 = upload(session, "ACME", ACME, (SAMPLES / ACME).read_bytes())
    assert step2.status_code == 200, step2.text
    assert "windows-1252" in step2.text and "semicolon (;)" in step2.text and "Crème hydratante 50 ml" in step2.text
    assert 'name="decimal_comma" type="checkbox" value="on" checked' in step2.text  # its prices read "12,90"
    assert selected_targets(step2.text) == {0: "ean", 1: "name", 2: "brand", 3: "price", 4: "stock", 5: "supplier_sku"}

    assert 'name="supplier_id"' not in step2.text and 'name="file_name"' not in step2.text  # the record says
    form = session.form(
        upload_id=hidden(step2.text, "upload_id"), format="csv", encoding="windows-1252", delimiter=";",
        decimal_comma="on", missing_offers="keep", **{f"map-{n}": t for n, t in selected_targets(step2.text).items()},
    )  # fmt: skip
    started = session.post("/imports/new/start", form)
    assert started.status_code == 303, started.text
    assert uploads(backend) == 0  # started: the record (and the file) forgotten
    assert session.post("/imports/new/start", form).status_code == 404
    job_path = started.headers["location"]
    profile = backend.container.import_manager().profile(uuid.UUID(supplier_id))
    assert profile.mapping["Code EAN"] == "ean" and profile.delimiter == ";" and profile.decimal_comma

    assert backend.container.task_queue().drain(timeout=60)
    page = session.get(job_path)
    assert page.status_code == 200
    assert "completed with errors" in page.text and 'data-live-topics="import:' in page.text
    assert "every 5s" not in page.text  # finished: no more polling
    assert page.text.count("<tr><td>") == 5  # its rejected rows: four errors and a warning
    fragment = session.get(f"{job_path}?fragment=status", htmx=True)
    assert fragment.text.lstrip().startswith('<section id="job-status"')

    listed = session.get("/imports?status=completed_with_errors&supplier_code=ACME")
    assert ACME in listed.text
    assert ACME not in session.get("/imports?status=failed").text
    export = session.get("/imports/export.csv?supplier_code=ACME")
    assert export.status_code == 200 and export.headers["content-type"].startswith("text/csv")
    assert ACME in export.content.decode("utf-8-sig")


def test_a_bad_mapping_or_file_is_told_and_nothing_is_stored(backend: Backend) -> None:
    supplier_id = supplier(backend)
    session = signed_in(backend, "ed@example.com", "editor")
    manager = backend.container.import_manager()
    before = manager.profile(uuid.UUID(supplier_id))

    step2 = upload(session, "ACME", ACME, (SAMPLES / ACME).read_bytes())
    ids = {"upload_id": hidden(step2.text, "upload_id")}
    refused = session.post(
        "/imports/new/start",
        session.form(**ids, format="csv", delimiter=";", missing_offers="keep", **{"map-1": "name"}),
    )
    assert refused.status_code == 422
    assert "one column must be mapped onto" in refused.text.replace("&#39;", "'")
    assert manager.profile(uuid.UUID(supplier_id)) == before
    assert manager.list(JobFilter(), 10).items == []

    assert uploads(backend) == 1
    cancelled = session.post("/imports/new/cancel", session.form(**ids))
    assert cancelled.status_code == 303 and uploads(backend) == 0
    assert session.post("/imports/new/cancel", session.form(**ids)).status_code == 404
    gone = session.post("/imports/new/start", session.form(**ids, format="csv", **{"map-0": "ean"}))
    assert gone.status_code == 404 and manager.list(JobFilter(), 10).items == []

    binary = upload(session, "ACME", "catalog.xlsx", b"PK\x03\x04 not a workbook")
    assert binary.status_code == 422 and "cannot be imported" in binary.text
    unknown = upload(session, "NOPE", ACME, b"ean;name\n1;a\n")
    assert unknown.status_code == 404 and uploads(backend) == 0  # refused files are not recorded
    missing = session.post("/imports/new", htmx=True, body=b"", headers={"Content-Type": "text/plain"})
    assert missing.status_code == 415


def test_suppliers_are_listed_created_changed_and_their_sources_set(
    backend: Backend, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = signed_in(backend, "ed@example.com", "editor")
    created = session.post("/suppliers", session.form(code="beta", name="Beta SA", is_active="on"))
    assert created.status_code == 303, created.text
    path = created.headers["location"]
    assert "BETA" in session.get("/suppliers").text
    bad = session.post("/suppliers", session.form(code="", name=""))
    assert bad.status_code == 422 and "aria-invalid" in bad.text
    assert session.post(path, session.form(code="BETA", name="Beta Renamed")).status_code == 303
    assert "Beta Renamed" in session.get("/suppliers").text
    supplier(backend, "ALPHA")
    monkeypatch.setattr(suppliers_page, "PAGE_SIZE", 1)
    first = session.get("/suppliers")
    assert "ALPHA" in first.text and "Beta Renamed" not in first.text
    following = re.search(r'href="(/suppliers\?cursor=[^"]+)">Next suppliers', first.text)
    assert following is not None and "Beta Renamed" in session.get(following.group(1)).text

    saved = session.post(
        f"{path}/sources/ftp",
        session.form(host="ftp.example.com", port="21", user="beta", password="s3cret-pw", directory="/",
                     pattern="*.csv", timeout_seconds="30", schedule_minutes="60", enabled="on", passive="on"),
    )  # fmt: skip
    assert saved.status_code == 303, saved.text
    page = session.get(path)
    assert "ftp.example.com" in page.text and "A password is stored" in page.text and "s3cret-pw" not in page.text
    wrong = session.post(f"{path}/sources/gdrive", session.form(folder_id="", pattern=""))
    assert wrong.status_code == 422 and 'class="error"' in wrong.text
    assert session.post(f"{path}/sources/ftp/run", session.form()).status_code == 303


def test_a_viewer_sees_no_controls_and_cannot_post(backend: Backend) -> None:
    supplier_id = supplier(backend)
    viewer = signed_in(backend, "view@example.com", "viewer")
    for path in ("/suppliers", f"/suppliers/{supplier_id}", "/imports"):
        page = viewer.get(path)
        assert page.status_code == 200, path
        assert 'method="post" action="/suppliers' not in page.text and "/imports/new" not in page.text
    assert viewer.get("/imports/new").status_code == 403
    assert viewer.post("/suppliers", viewer.form(code="X", name="X")).status_code == 403
    assert viewer.post(f"/suppliers/{supplier_id}/sources/ftp/run", viewer.form()).status_code == 403
    assert upload(viewer, "ACME", ACME, b"ean\n1\n").status_code == 403
    assert backend.container.supplier_service().list(10).items[0].code == "ACME"


def test_a_failed_job_is_retried_from_its_page_and_the_list_pages_on(
    backend: Backend, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    supplier_id = supplier(backend)
    manager = backend.container.import_manager()
    manager.save_profile(uuid.UUID(supplier_id), {"mapping": {"gone": "ean"}})  # the file lacks that column
    path = tmp_path / "prices.csv"
    path.write_text("ean,name\n4006381333931,Crème\n")
    job = manager.submit("ACME", "prices.csv", path, JobSource.UPLOAD)
    assert backend.container.task_queue().drain(timeout=60)
    session = signed_in(backend, "ed@example.com", "editor")
    page = session.get(f"/imports/{job.id}")
    assert "failed" in page.text and "Retry this import" in page.text and "every 5s" not in page.text
    assert f'action="/imports/{job.id}/retry"' in session.get("/imports?status=failed").text
    retried = session.post(f"/imports/{job.id}/retry", session.form())
    assert retried.status_code == 303 and retried.headers["location"] == f"/imports/{job.id}"
    assert manager.get(job.id).attempts >= 1

    for n in range(2):
        manager.submit("ACME", f"more-{n}.csv", None, JobSource.UPLOAD)
    assert session.get("/imports?start_date=not-a-date").status_code == 400
    monkeypatch.setattr(jobs_page, "PAGE_SIZE", 2)
    first = session.get("/imports?supplier_code=ACME", htmx=True)
    assert first.status_code == 200 and "<table>" in first.text and "<html" not in first.text
    older = re.search(r'href="(/imports\?[^"]*cursor=[^"]+)">Older jobs', first.text)
    assert older is not None and first.text.count("<tr>") == 3
    rest = session.get(older.group(1).replace("&amp;", "&"))
    assert "prices.csv" in rest.text and "Older jobs" not in rest.text
    viewer = signed_in(backend, "view@example.com", "viewer")
    assert "Retry" not in viewer.get(f"/imports/{job.id}").text
    assert viewer.post(f"/imports/{job.id}/retry", viewer.form()).status_code == 403
