"""`GET /api/v1/events` through the app on both databases: who may open it (a bearer token, or the back office's
session cookie), what a bad or missing `topics` answers, and what a stream sends first and then."""

from __future__ import annotations

import threading
import time
import uuid
from typing import Any

import pytest
from falcon import testing

from productsmanager.domain.events import Topic
from productsmanager.entrypoints.falcon.events import stream
from productsmanager.entrypoints.web.security import SESSION_COOKIE
from tests.integration.helpers import PROBLEM_JSON, Backend, Users
from tests.integration.outage_helpers import app_with, redis_down
from tests.integration.test_event_buses import REDIS_URL as EVENTS_REDIS_URL

pytestmark = pytest.mark.integration
JOB = "import:2f1e0c1a-0000-4000-8000-000000000001"


@pytest.fixture(autouse=True)
def short_streams(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stream, "LIFETIME_SECONDS", 3.0)


def open_stream(backend: Backend, query: str, headers: dict[str, str] | None = None, **cookies: str) -> Any:
    """The WSGI call itself: status, headers and the body's iterator, read as far as a test wants."""
    answer: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]], *exc_info: Any) -> None:
        answer["status"], answer["headers"] = int(status.split()[0]), {k.lower(): v for k, v in headers}

    cookie = "; ".join(f"{name}={value}" for name, value in cookies.items())
    environ = testing.create_environ(
        "/api/v1/events", query_string=query, headers={**(headers or {}), **({"Cookie": cookie} if cookie else {})}
    )
    body = backend.client.app(environ, start_response)
    return answer, body


def token(headers: dict[str, str]) -> str:
    return headers["Authorization"].split(" ", 1)[1]


def test_a_viewer_gets_the_last_state_first_then_each_change(backend: Backend, users: Users) -> None:
    bus = backend.container.event_bus()
    bus.publish(Topic.parse(JOB), {"status": "running", "processed": 10})
    answer, body = open_stream(backend, f"topics={JOB},export", users.viewer)
    try:
        assert answer["status"] == 200
        assert answer["headers"]["content-type"].startswith("text/event-stream")
        assert answer["headers"]["cache-control"] == "no-store"
        assert answer["headers"]["x-accel-buffering"] == "no"
        chunks = iter(body)
        first = next(chunks).decode()
        assert first.startswith("retry: 3000\n\n")
        assert "event: progress\n" in first and '"processed":10' in first and f'"topic":"{JOB}"' in first
        threading.Timer(0.3, bus.publish, (Topic.parse("export:e1"), {"status": "completed"})).start()
        started = time.monotonic()
        second = next(chunks).decode()
        assert time.monotonic() - started < 2.0
        assert second.startswith("id: ") and '"topic":"export:e1"' in second and '"completed"' in second
        assert "import" not in second  # the job's state is not sent twice
    finally:
        body.close()


def test_the_session_cookie_opens_a_stream_too(backend: Backend, users: Users) -> None:
    answer, body = open_stream(backend, "topics=import", **{SESSION_COOKIE: token(users.viewer)})
    body.close()
    assert answer["status"] == 200


def test_without_a_token_or_with_a_bad_cookie_it_is_refused(backend: Backend) -> None:
    assert backend.client.simulate_get("/api/v1/events", params={"topics": "import"}).status_code == 401
    refused = backend.client.simulate_get(
        "/api/v1/events", params={"topics": "import"}, cookies={SESSION_COOKIE: "not-a-session"}
    )
    assert refused.status_code == 401
    assert refused.headers["content-type"] == PROBLEM_JSON


def test_the_cookie_opens_nothing_else(backend: Backend, users: Users) -> None:
    result = backend.client.simulate_get("/api/v1/products", cookies={SESSION_COOKIE: token(users.viewer)})
    assert result.status_code == 401


@pytest.mark.parametrize("query", ["topics=nonsense", "topics=import:bad%20id", "", "topics="])
def test_bad_or_missing_topics_are_a_problem_naming_them(backend: Backend, users: Users, query: str) -> None:
    result = backend.client.simulate_get("/api/v1/events", query_string=query, headers=users.viewer)
    assert result.status_code == 422, result.text
    assert result.headers["content-type"] == PROBLEM_JSON
    assert [error["field"] for error in result.json["errors"]] == ["topics"]


def test_a_stream_ends_by_itself(backend: Backend, users: Users, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stream, "LIFETIME_SECONDS", 0.3)
    started = time.monotonic()
    result = backend.client.simulate_get("/api/v1/events", params={"topics": "import"}, headers=users.viewer)
    assert result.status_code == 200 and result.text == "retry: 3000\n\n"
    assert time.monotonic() - started < 3.0


def test_beyond_its_streams_the_server_answers_503(backend: Backend, users: Users) -> None:
    streams = backend.container.config().event_streams
    opened = [open_stream(backend, "topics=import", users.viewer) for _ in range(streams)]
    try:
        answer, body = open_stream(backend, "topics=import", users.viewer)
        refused = b"".join(body)
        assert answer["status"] == 503 and answer["headers"]["retry-after"].isdigit(), refused
    finally:
        for _, body in opened:
            body.close()
    answer, body = open_stream(backend, "topics=import", users.viewer)
    body.close()
    assert answer["status"] == 200


def test_with_redis_down_a_stream_is_a_503_and_publishing_goes_on(backend: Backend, users: Users) -> None:
    container, client = redis_down(backend)
    container.event_bus().publish(Topic.parse(JOB), {"status": "running"})  # never raises
    result = client.simulate_get("/api/v1/events", params={"topics": JOB}, headers=users.viewer)
    assert result.status_code == 503, result.text
    assert result.headers["retry-after"].isdigit() and result.headers["content-type"] == PROBLEM_JSON


def test_on_redis_a_stream_gets_the_last_state_and_the_next_change(backend: Backend, users: Users) -> None:
    """The app of a deployment with PM_REDIS_URL (this test's own Redis database; its key deleted after)."""
    container, client = app_with(backend, backend.url, PM_REDIS_URL=EVENTS_REDIS_URL)
    bus, job = container.event_bus(), f"import:{uuid.uuid4()}"  # its own topic: parallel runs share the keys
    try:
        bus.publish(Topic.parse(job), {"status": "running"})
        answer, body = open_stream(Backend(backend.name, backend.url, container, client), f"topics={job}", users.viewer)
        try:
            chunks = iter(body)
            assert answer["status"] == 200 and '"running"' in next(chunks).decode()
            threading.Timer(0.2, bus.publish, (Topic.parse(job), {"status": "completed"})).start()
            assert '"completed"' in next(chunks).decode()
        finally:
            body.close()
    finally:
        redis = container.redis_client()
        redis.delete(f"pm:events:state:{job}", "pm:events:sequence")
        redis.close()
