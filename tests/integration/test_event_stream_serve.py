"""`productsmanager serve --workers 1` (one request thread) with an event stream open: the stream has a thread of
its own, so the worker still answers; an event published by another process (this test's container, on the
same data directory) reaches the stream within a second; a new connection starts with the last state; a stop
ends the streams and the server promptly."""

from __future__ import annotations

import http.client
import json
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from attrs import define

from productsmanager.config import Config
from productsmanager.container import Container, build_container
from productsmanager.domain.events import Topic
from tests.served import free_port
from tests.served import served as serving

pytestmark = pytest.mark.integration
PASSWORD = "Correct-horse-battery-42"
TOPIC = "import:0b7c4a52-1111-4222-8333-444455556666"
TIMEOUT = 5.0  # every socket of these tests


@define
class Served:
    port: int
    process: subprocess.Popen[bytes]
    container: Container
    token: str
    log: Path


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """One server for the module (it takes seconds to start): the test that stops it comes last."""
    tmp_path = tmp_path_factory.mktemp("served")
    port = free_port()
    environ = {"PM_DATA_DIR": str(tmp_path), "PM_LOG_LEVEL": "WARNING", "PM_EVENT_STREAMS": "2"}
    log = tmp_path / "server.log"
    container = build_container(Config.from_env(environ))
    try:
        with serving(environ, port, log) as process:
            container.user_administration().create("viewer@example.com", PASSWORD, "viewer")
            body = json.dumps({"email": "viewer@example.com", "password": PASSWORD}).encode()
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}/api/v1/auth/login", body, {"Content-Type": "application/json"}
            )
            with urllib.request.urlopen(request, timeout=TIMEOUT) as answer:
                token = json.loads(answer.read())["access_token"]
            yield Served(port, process, container, token, log)
    finally:
        container.engine().dispose()


def open_stream(served: Served) -> tuple[http.client.HTTPConnection, http.client.HTTPResponse]:
    """A stream, asked again for up to 3 s while the server's streams are all taken (a previous test's
    clients are seen gone within a second)."""
    deadline = time.monotonic() + 3
    while True:
        connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=TIMEOUT)
        connection.request("GET", f"/api/v1/events?topics={TOPIC}", headers={"Authorization": f"Bearer {served.token}"})
        response = connection.getresponse()
        if response.status != 503 or time.monotonic() > deadline:
            break
        hang_up((connection, response))
        time.sleep(0.2)
    assert response.status == 200, response.read()
    assert response.getheader("Content-Type", "").startswith("text/event-stream")
    return connection, response


def hang_up(stream: tuple[http.client.HTTPConnection, http.client.HTTPResponse]) -> None:
    """The client goes away: the response holds the socket too, so both are closed."""
    stream[1].close()
    stream[0].close()


def ask_for_stream(served: Served) -> int:
    attempt = http.client.HTTPConnection("127.0.0.1", served.port, timeout=TIMEOUT)
    try:
        attempt.request("GET", f"/api/v1/events?topics={TOPIC}", headers={"Authorization": f"Bearer {served.token}"})
        answer = attempt.getresponse()
        assert answer.status == 200 or (answer.getheader("Retry-After") or "").isdigit()
        answer.close()
        return answer.status
    finally:
        attempt.close()


def read_until(response: http.client.HTTPResponse, needle: str, seconds: float) -> str:
    received = ""
    deadline = time.monotonic() + seconds
    while needle not in received:
        assert time.monotonic() < deadline, f"not within {seconds} s: {received!r}"
        received += response.read1(65536).decode()
    return received


def test_a_stream_does_not_hold_the_worker_and_gets_events_at_once(served: Served) -> None:
    stream = open_stream(served)
    response = stream[1]
    try:
        assert read_until(response, "retry: 3000", TIMEOUT).startswith("retry: 3000\n\n")
        started = time.monotonic()
        with urllib.request.urlopen(f"http://127.0.0.1:{served.port}/api/v1/health", timeout=TIMEOUT) as answer:
            assert answer.status == 200
        assert time.monotonic() - started < 2.0  # the single request thread is free

        published = time.monotonic()
        served.container.event_bus().publish(Topic.parse(TOPIC), {"status": "running", "processed": 7})
        event = read_until(response, '"processed":7', 1.5)
        assert time.monotonic() - published < 1.0
        assert "event: progress\n" in event and f'"topic":"{TOPIC}"' in event
    finally:
        hang_up(stream)

    again = open_stream(served)  # a reconnection starts with the last state
    try:
        assert '"processed":7' in read_until(again[1], '"processed":7', TIMEOUT)
    finally:
        hang_up(again)


def test_streams_are_bounded_and_a_client_gone_away_frees_its_stream(served: Served) -> None:
    """PM_EVENT_STREAMS=2 here: a third stream is a 503 while the worker still answers; closing one client
    frees its thread within a couple of seconds, not at its next heartbeat or its end of life."""
    first, second = open_stream(served), open_stream(served)
    try:
        read_until(first[1], "retry: 3000", TIMEOUT)
        read_until(second[1], "retry: 3000", TIMEOUT)
        third = http.client.HTTPConnection("127.0.0.1", served.port, timeout=TIMEOUT)
        third.request("GET", f"/api/v1/events?topics={TOPIC}", headers={"Authorization": f"Bearer {served.token}"})
        refused = third.getresponse()
        assert refused.status == 503 and (refused.getheader("Retry-After") or "").isdigit()
        third.close()
        first[1].close()  # the response holds the socket: both closed, the client is gone
        first[0].close()
        deadline = time.monotonic() + 3
        while True:
            attempt = http.client.HTTPConnection("127.0.0.1", served.port, timeout=TIMEOUT)
            attempt.request(
                "GET", f"/api/v1/events?topics={TOPIC}", headers={"Authorization": f"Bearer {served.token}"}
            )
            answer = attempt.getresponse()
            attempt.close()
            if answer.status == 200:
                break
            assert answer.status == 503 and time.monotonic() < deadline, "the closed stream kept its thread"
            time.sleep(0.2)
    finally:
        first[0].close()
        second[0].close()


def test_a_stop_ends_open_streams_and_the_server_promptly(served: Served) -> None:
    connection, response = open_stream(served)
    try:
        read_until(response, "retry: 3000", TIMEOUT)
        stopping = time.monotonic()
        served.process.terminate()
        while response.read1(65536):  # the stream ends (the server closes it), no timeout
            pass
        served.process.wait(timeout=15)
        assert time.monotonic() - stopping < 10
    finally:
        connection.close()
