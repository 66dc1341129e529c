"""schemathesis against /api/v1/openapi.json on both databases, authenticated as an admin: positive and
negative data for every operation (and once more on seeded records), with no server error, no undocumented
status or content type, no response off its schema and no schema-violating request accepted.

Bounded (a few examples per operation, derandomized) to stay within the suite's budget: about a minute for
both databases on 2 cores. `benchmarks/schemathesis_run.py --max-examples N` runs the same thing longer.
Outbound connections (Odoo, FTP: their addresses come from generated bodies) are confined to loopback
before the first request, and background work runs on the in-process task queue of the embedded default.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from productsmanager.entrypoints.falcon.openapi import openapi_document
from tests.integration.api_fuzz import fuzz, seed
from tests.integration.helpers import Backend, Users
from tests.integration.loopback_only import loopback_only
from tests.scripted_ean_providers import ScriptedProviders

pytestmark = pytest.mark.integration

MAX_EXAMPLES = 8


@pytest.fixture(autouse=True)
def loopback() -> Iterator[list[str]]:
    with loopback_only() as refused:
        yield refused


def test_the_guard_refuses_every_destination_but_loopback(loopback: list[str]) -> None:
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("10.255.255.1", 21), timeout=1)
    with pytest.raises(OSError):
        socket.getaddrinfo("example.com", 80)
    with socket.socket() as sock, pytest.raises(ConnectionRefusedError):
        sock.connect(("169.254.169.254", 80))
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        socket.create_connection(server.getsockname(), timeout=1).close()
    assert loopback == ["10.255.255.1", "example.com", "169.254.169.254"]


def test_every_operation_holds_to_the_document(backend: Backend, users: Users) -> None:
    admin = users.admin
    # A barcode provider's test answers as scripted: the adapters speak to their fake providers in their own tests.
    with backend.container.ean_provider_factory.override(ScriptedProviders()):
        report = fuzz(backend.client.app, lambda: admin, max_examples=MAX_EXAMPLES, seeds=seed(backend.client, admin))
    # Work the cases queued (imports, FTP and Odoo runs) finishes while outbound connections are still guarded.
    assert backend.container.task_queue().drain(timeout=60)
    operations = sum(len(item) for item in openapi_document()["paths"].values())
    assert report.operations == operations
    assert report.cases > operations * MAX_EXAMPLES
    assert not report.failures, report.summary()
