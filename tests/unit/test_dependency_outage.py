"""A dependency that is down: recorded work is kept pending and the request succeeds, unrecorded work is
refused with `DependencyUnavailable`, the health report names what is down within its deadline, and the
API maps the error to 503 problem+json with Retry-After."""

from __future__ import annotations

import logging
import threading
import time

import falcon
import pytest
from falcon import testing

from productsmanager.application.auth.request_reset import ResetRequests
from productsmanager.application.auth.throttling import Throttle
from productsmanager.application.dependencies import RETRY_AFTER_SECONDS, DependencyUnavailable, queue_recorded_work
from productsmanager.application.health import HealthMonitor
from productsmanager.application.media.media_uploader import MediaUploader
from productsmanager.domain.media_files import MediaStatus
from productsmanager.entrypoints.falcon.problems import handle_dependency_unavailable, serialize_problem
from tests.recording_task_queue import RecordingTaskQueue
from tests.unit.auth_fakes import FakeRateCounter
from tests.unit.fakes import FakeClock, FakeUnitOfWork
from tests.unit.media_fakes import FakeMediaStore, FakeThumbnailer, fake_image
from tests.unit.settings_fakes import FixedSettings


def _down() -> None:
    raise DependencyUnavailable("broker", "connection refused")


def test_recorded_work_whose_task_cannot_be_queued_is_left_pending_with_a_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    sent: list[str] = []
    assert queue_recorded_work(lambda: sent.append("x"), "import job 1") is True and sent == ["x"]
    with caplog.at_level(logging.WARNING):
        assert queue_recorded_work(_down, "import job 2") is False
    assert "import job 2 is recorded as pending" in caplog.text


def test_only_an_unavailable_dependency_is_kept_for_later() -> None:
    def broken() -> None:
        raise ValueError("a bug")

    with pytest.raises(ValueError, match="a bug"):
        queue_recorded_work(broken, "import job 3")


def test_an_image_uploaded_while_the_broker_is_down_is_stored_and_left_pending() -> None:
    from productsmanager.application.catalog.product_editor import ProductEditor

    uow, clock, store = FakeUnitOfWork(), FakeClock(), FakeMediaStore()
    product_id = ProductEditor(uow, clock, FixedSettings()).create("4006381333931", {"name": "Pen"})
    uploader = MediaUploader(
        uow, store, FakeThumbnailer(), RecordingTaskQueue(down=True), clock, FixedSettings(), max_bytes=1000
    )
    stored = uploader.upload(product_id, fake_image(1200, 800), "a.jpg")
    assert stored.created and stored.media.status is MediaStatus.PENDING
    with uow as reading:
        kept = reading.media_files.get(stored.media.id)
    assert kept is not None and kept.status is MediaStatus.PENDING and kept.storage_key in store.objects


def test_a_reset_request_that_cannot_be_queued_is_refused_since_nothing_records_it() -> None:
    clock = FakeClock()
    requests = ResetRequests(Throttle(FakeRateCounter(clock), clock), RecordingTaskQueue(down=True))
    with pytest.raises(DependencyUnavailable) as raised:
        requests.ask("ann@example.com", "10.0.0.1")
    assert raised.value.dependency == "broker"


class Check:
    def __init__(self, name: str, backend: str = "test", fails: bool = False, hangs: bool = False) -> None:
        self.name, self.backend, self._fails, self._hangs = name, backend, fails, hangs
        self.release = threading.Event()

    def check(self) -> None:
        if self._hangs:
            self.release.wait(10)
        if self._fails:
            raise ConnectionRefusedError("refused")


def test_the_health_report_is_ok_when_every_dependency_answers() -> None:
    report = HealthMonitor([Check("database", "sqlite"), Check("broker", "inline")]).report()
    assert report.ok and report.status == "ok"
    assert {n: (r.status, r.backend) for n, r in report.checks.items()} == {
        "database": ("ok", "sqlite"),
        "broker": ("ok", "inline"),
    }


def test_the_health_report_names_the_dependency_that_fails_or_hangs_within_its_deadline() -> None:
    hung = Check("media_store", hangs=True)
    monitor = HealthMonitor([Check("database"), Check("broker", fails=True), hung], deadline=0.3)
    started = time.monotonic()
    report = monitor.report()
    hung.release.set()
    assert time.monotonic() - started < 1.0
    assert not report.ok and report.status == "unavailable"
    assert {n: r.status for n, r in report.checks.items()} == {
        "database": "ok",
        "broker": "unavailable",
        "media_store": "unavailable",
    }


class Failing:
    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        raise DependencyUnavailable("media_store", "S3 at 10.1.2.3:9000 refused")


def test_the_api_answers_503_problem_json_with_retry_after_naming_the_dependency_not_its_host() -> None:
    app = falcon.App()
    app.set_error_serializer(serialize_problem)
    app.add_error_handler(DependencyUnavailable, handle_dependency_unavailable)
    app.add_route("/x", Failing())
    result = testing.TestClient(app).simulate_get("/x")
    assert result.status_code == 503
    assert result.headers["content-type"] == "application/problem+json"
    assert result.headers["retry-after"] == str(RETRY_AFTER_SECONDS)
    assert result.json["status"] == 503 and "media store" in result.json["detail"]
    assert "10.1.2.3" not in result.text


def test_every_operation_documents_the_503_of_a_dependency_that_is_down() -> None:
    from productsmanager.entrypoints.falcon.openapi import openapi_document

    for path, item in openapi_document()["paths"].items():
        for method, operation in item.items():
            unavailable = operation["responses"].get("503")
            assert unavailable is not None, (method, path)
            if path == "/api/v1/health":  # the report itself, with its own body
                assert unavailable["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Health"}
            else:
                assert "application/problem+json" in unavailable["content"] and "Retry-After" in unavailable["headers"]
