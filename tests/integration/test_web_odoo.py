"""The back office's Odoo pages against a fake Odoo on loopback, on both databases: every page renders, the
connection form saves (a bad one shows its messages next to the fields and stores nothing), schedules are
created, toggled and run now, the mapping tabs, the history with its retry, and a viewer sees no edit control
and is refused every change."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator

import pytest
from dependency_injector import providers

from productsmanager.domain.errors import NotFound
from productsmanager.entrypoints.web.odoo.pages import PAGES
from tests.integration.fake_odoo import DATABASE, FakeOdoo, fake_odoo_server
from tests.integration.helpers import Backend
from tests.integration.odoo_helpers import ean, finished_run
from tests.integration.web_session import WebSession, signed_in
from tests.recording_task_queue import RecordingTaskQueue

pytestmark = pytest.mark.integration
PAGE_PATHS = (
    "/odoo-sync",
    "/odoo-sync/config",
    "/odoo-sync/export",
    "/odoo-sync/import",
    "/odoo-sync/mappings",
    "/odoo-sync/mappings/categories",
    "/odoo-sync/mappings/taxes",
    "/odoo-sync/schedules",
    "/odoo-sync/history",
)
NIGHTLY = {"name": "Nightly", "direction": "export", "interval_minutes": "1440", "brand": "Acme", "enabled": "true"}


@pytest.fixture
def odoo() -> Iterator[FakeOdoo]:
    with fake_odoo_server() as server:
        server.store.add("product.category", id=11, name="Tools")
        yield server


def configure(backend: Backend, odoo: FakeOdoo) -> None:
    backend.container.odoo_setup().save(
        {"url": odoo.url, "database": DATABASE, "login": "admin", "secret": "admin-password", "timeout_seconds": 5}
    )


def test_every_resource_method_has_a_role() -> None:
    """A method missing from a page's roles would be public and skip the form token: none may be missing."""
    for page in PAGES:
        resource = page.factory(_Anything(), None)  # type: ignore[arg-type]
        methods = {name[3:].upper() for name in dir(resource) if name.startswith("on_")}
        assert methods <= set(page.roles), (page.path, methods)


class _Anything:
    def __getattr__(self, name: str) -> object:
        return lambda *args, **kwargs: None


def test_every_page_renders_for_an_admin(backend: Backend, odoo: FakeOdoo) -> None:
    configure(backend, odoo)
    admin = signed_in(backend, "admin@example.com", "admin")
    for path in PAGE_PATHS:
        page = admin.get(path)
        assert page.status_code == 200, (path, page.text)
        assert "<h1>" in page.text and 'aria-current="page"' in page.text
    assert 'data-live-topics="odoo_run"' in admin.get("/odoo-sync").text
    assert "Test connection" in admin.get("/odoo-sync").text


def test_the_connection_is_saved_and_tested(backend: Backend, odoo: FakeOdoo) -> None:
    admin = signed_in(backend, "admin@example.com", "admin")
    assert "Odoo is not configured yet" in admin.get("/odoo-sync").text
    form = {"url": odoo.url, "database": DATABASE, "login": "admin", "secret": "admin-password"}
    saved = admin.post("/odoo-sync/config", admin.form(**form, protocol="xmlrpc", timeout_seconds="5"))
    assert saved.status_code == 303, saved.text
    stored = backend.container.odoo_setup().get()
    assert (stored.config.url, stored.config.timeout_seconds, stored.secret_encrypted is not None) == (
        odoo.url,
        5,
        True,
    )
    page = admin.get(saved.headers["Location"])
    assert "The connection is saved." in page.text and "admin-password" not in page.text
    assert "A secret is stored" in page.text

    tested = admin.post("/odoo-sync/test-connection", htmx=True)
    assert tested.status_code == 200
    assert "Connected: Odoo" in tested.text and 'id="connection"' in tested.text
    assert "<html" not in tested.text  # the connection part alone, for htmx

    kept = admin.post("/odoo-sync/config", admin.form(**{**form, "secret": ""}, protocol="xmlrpc"))
    assert kept.status_code == 303 and backend.container.odoo_setup().get().secret_encrypted is not None
    removed = admin.post(
        "/odoo-sync/config", admin.form(**{**form, "secret": ""}, protocol="xmlrpc", remove_secret="true")
    )
    assert removed.status_code == 303 and backend.container.odoo_setup().get().secret_encrypted is None
    untested = admin.post("/odoo-sync/test-connection", htmx=True)
    assert "Connection failed" in untested.text and "no secret" in untested.text


def test_a_bad_connection_shows_its_messages_and_stores_nothing(backend: Backend) -> None:
    admin = signed_in(backend, "admin@example.com", "admin")
    form = admin.form(url="ftp://nowhere", database="", login="admin", protocol="xmlrpc", batch_size="lots")
    refused = admin.post("/odoo-sync/config", form)
    assert refused.status_code == 422
    for field in ("url", "database", "batch_size"):
        assert re.search(rf'id="e-{field}">[^<]+<', refused.text), field
    assert 'value="ftp://nowhere"' in refused.text
    with pytest.raises(NotFound):
        backend.container.odoo_setup().get()


def test_schedules_are_created_toggled_changed_run_and_deleted(backend: Backend, odoo: FakeOdoo) -> None:
    configure(backend, odoo)
    admin = signed_in(backend, "admin@example.com", "admin")
    created = admin.post("/odoo-sync/schedules", admin.form(**NIGHTLY))
    assert created.status_code == 303, created.text
    [schedule] = backend.container.odoo_schedule_manager().list()
    assert (schedule.name, schedule.enabled, dict(schedule.product_filter)) == ("Nightly", True, {"brand": "Acme"})

    refused = admin.post("/odoo-sync/schedules", admin.form(**{**NIGHTLY, "interval_minutes": "0", "name": "Other"}))
    assert refused.status_code == 422 and 'id="e-interval_minutes"' in refused.text
    assert len(backend.container.odoo_schedule_manager().list()) == 1

    assert admin.post(f"/odoo-sync/schedules/{schedule.id}/toggle", admin.form()).status_code == 303
    assert backend.container.odoo_schedule_manager().get(schedule.id).enabled is False
    assert "Enable<span" in admin.get("/odoo-sync/schedules").text

    edit = admin.get(f"/odoo-sync/schedules/{schedule.id}")
    assert edit.status_code == 200 and 'value="Acme"' in edit.text
    changed = admin.post(f"/odoo-sync/schedules/{schedule.id}", admin.form(**{**NIGHTLY, "interval_minutes": "60"}))
    assert changed.status_code == 303
    assert backend.container.odoo_schedule_manager().get(schedule.id).interval_minutes == 60

    queued = admin.post(f"/odoo-sync/schedules/{schedule.id}/run", admin.form())
    assert queued.status_code == 303 and "done=queued" in queued.headers["Location"]
    assert backend.container.task_queue().drain(timeout=60)
    assert backend.container.odoo_schedule_manager().get(schedule.id).last_run_at is not None
    assert "The run is queued." in admin.get(queued.headers["Location"]).text

    assert admin.post(f"/odoo-sync/schedules/{schedule.id}/delete", admin.form()).status_code == 303
    assert backend.container.odoo_schedule_manager().list() == []


def test_mapping_tabs_save_delete_and_accept_suggestions(backend: Backend, odoo: FakeOdoo) -> None:
    configure(backend, odoo)
    admin = signed_in(backend, "admin@example.com", "admin")
    fields = admin.get("/odoo-sync/mappings")
    assert re.search(r'<a href="/odoo-sync/mappings/fields" aria-current="page">Fields</a>', fields.text)
    assert "default_code" in fields.text  # the defaults in force

    saved = admin.post("/odoo-sync/mappings/categories", admin.form(local_category="Tools", odoo_category_id="11"))
    assert saved.status_code == 303, saved.text
    [stored], _ = backend.container.odoo_mapping_manager().mappings("category")
    page = admin.get("/odoo-sync/mappings/categories")
    assert 'aria-current="page">Categories' in page.text and "Tools" in page.text
    refused = admin.post("/odoo-sync/mappings/categories", admin.form(local_category="Kitchen", odoo_category_id="99"))
    assert refused.status_code == 422 and 'id="e-odoo_category_id"' in refused.text
    deleted = admin.post(f"/odoo-sync/mappings/categories/{stored.id}/delete", admin.form())
    assert deleted.status_code == 303
    assert backend.container.odoo_mapping_manager().mappings("category")[0] == []

    suggestions = admin.get("/odoo-sync/mappings/fields/suggestions", htmx=True)
    assert suggestions.status_code == 200 and "Accept" in suggestions.text
    accepted = admin.post(
        "/odoo-sync/mappings/fields/suggestions", admin.form(local_field="brand", odoo_field="description")
    )
    assert accepted.status_code == 303, accepted.text
    stored_fields, _ = backend.container.odoo_mapping_manager().mappings("field")
    assert [(s.mapping.local_field, s.mapping.odoo_field) for s in stored_fields] == [("brand", "description")]


def test_an_export_goes_to_its_run_and_the_history_retries_failures(backend: Backend, odoo: FakeOdoo) -> None:
    configure(backend, odoo)
    editor = signed_in(backend, "ed@example.com", "editor")
    started = editor.post("/odoo-sync/export", editor.form(product_ids="not-an-id"))
    assert started.status_code == 422 and 'id="e-product_ids"' in started.text
    started = editor.post("/odoo-sync/export", editor.form(brand="Acme"))
    assert started.status_code == 303
    run_path = started.headers["Location"]
    assert run_path.startswith("/odoo-sync/runs/")
    run = backend.container.odoo_sync().get_run(uuid.UUID(run_path.rsplit("/", 1)[1]))
    finished_run(backend, run)
    fragment = editor.get(run_path, htmx=True)
    assert fragment.status_code == 200 and f'data-live-topics="odoo_run:{run.id}"' in fragment.text
    assert "every 5s" not in fragment.text  # polling only while the run is active
    assert "completed" in editor.get("/odoo-sync", htmx=True).text

    history = editor.get("/odoo-sync/history?status=failed&direction=export")
    assert history.status_code == 200 and "Nothing in the log for these filters" in history.text
    nothing = editor.post("/odoo-sync/history/retry", editor.form(all="1"))
    assert nothing.status_code == 409 and "nothing to retry" in nothing.text
    assert editor.get("/odoo-sync/history?status=lost").status_code == 400


def test_a_viewer_sees_no_edit_control_and_is_refused_every_change(backend: Backend, odoo: FakeOdoo) -> None:
    configure(backend, odoo)
    backend.container.odoo_schedule_manager().create({"name": "Nightly", "direction": "export", "interval_minutes": 60})
    viewer = signed_in(backend, "viewer@example.com", "viewer")
    for path in ("/odoo-sync", "/odoo-sync/schedules", "/odoo-sync/mappings", "/odoo-sync/history"):
        page = viewer.get(path)
        assert page.status_code == 200, path
        assert 'method="post"' not in page.text.replace('method="post" action="/logout"', ""), path
    assert viewer.get("/odoo-sync/config").status_code == 403
    [schedule] = backend.container.odoo_schedule_manager().list()
    for path in (
        "/odoo-sync/config",
        "/odoo-sync/test-connection",
        "/odoo-sync/export",
        "/odoo-sync/import",
        "/odoo-sync/schedules",
        f"/odoo-sync/schedules/{schedule.id}/toggle",
        f"/odoo-sync/schedules/{schedule.id}/run",
        "/odoo-sync/mappings/categories",
        "/odoo-sync/history/retry",
    ):
        assert viewer.post(path, viewer.form(name="x")).status_code == 403, path
    assert backend.container.odoo_schedule_manager().get(schedule.id).enabled is True


def test_a_page_of_an_unknown_instance_is_not_found(backend: Backend) -> None:
    admin: WebSession = signed_in(backend, "admin@example.com", "admin")
    assert admin.get("/odoo-sync?instance=00000000-0000-0000-0000-00000000abcd").status_code == 404


def test_failed_exports_show_their_error_and_the_chosen_ones_are_retried(backend: Backend, odoo: FakeOdoo) -> None:
    ids = [backend.container.product_editor().create(ean(n), {"name": f"Item {n}"}) for n in range(2)]
    with fake_odoo_server() as elsewhere:
        url = elsewhere.url  # nothing listens there once it is closed
    backend.container.odoo_setup().save({"url": url, "database": DATABASE, "login": "admin", "secret": "x"})
    editor = signed_in(backend, "ed@example.com", "editor")
    started = editor.post("/odoo-sync/export", editor.form(product_ids="\n".join(map(str, ids))))
    assert started.status_code == 303
    assert backend.container.task_queue().drain(timeout=60)
    history = editor.get("/odoo-sync/history?status=failed")
    assert history.text.count('name="log_ids"') == 2
    assert history.text.count('<pre class="error-detail">') == 2  # each error in full, under its summary
    log_ids = re.findall(r'name="log_ids" value="([^"]+)"', history.text)

    configure(backend, odoo)  # Odoo is back
    retried = editor.post("/odoo-sync/history/retry", editor.form(log_ids=log_ids[:1]))
    assert retried.status_code == 303, retried.text
    run = backend.container.odoo_sync().get_run(uuid.UUID(retried.headers["Location"].rsplit("/", 1)[1]))
    assert (run.kind.value, run.requested) == ("retry", 1)
    assert finished_run(backend, run).status.value == "completed"
    assert len(odoo.store.records["product.product"]) == 1


def test_the_instance_selector_lists_instances_and_pages_keep_the_chosen_one(backend: Backend, odoo: FakeOdoo) -> None:
    other = backend.container.odoo_instances().create({"name": "Shop B"})
    backend.container.odoo_schedule_manager(instance_id=other.instance.id).create(
        {"name": "B only", "direction": "import", "interval_minutes": 60}
    )
    admin = signed_in(backend, "admin@example.com", "admin")
    dashboard = admin.get("/odoo-sync")
    assert 'label for="f-instance"' in dashboard.text and "Shop B" in dashboard.text
    scoped = admin.get(f"/odoo-sync/schedules?instance={other.instance.id}")
    assert "B only" in scoped.text and f'href="/odoo-sync/history?instance={other.instance.id}"' in scoped.text
    assert "B only" not in admin.get("/odoo-sync/schedules").text


def test_runs_poll_every_5_seconds_only_while_one_is_active(backend: Backend, odoo: FakeOdoo) -> None:
    configure(backend, odoo)
    editor = signed_in(backend, "ed@example.com", "editor")
    with backend.container.task_queue.override(providers.Object(RecordingTaskQueue())):  # nothing runs it
        started = editor.post("/odoo-sync/export", editor.form())
    run_page = editor.get(started.headers["Location"], htmx=True)
    assert 'hx-trigger="live, every 5s"' in run_page.text and "pending" in run_page.text
    runs = editor.get("/odoo-sync", htmx=True)
    assert runs.text.startswith('<section id="runs"') and 'hx-trigger="live, every 5s"' in runs.text
