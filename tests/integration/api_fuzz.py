"""Schemathesis over the API's own OpenAPI document, in-process through WSGI: positive and negative data for
every operation, authenticated as an admin, each response checked for server errors, undocumented statuses
and content types, and bodies that break their schema; negative data must be refused. Shared by the bounded
test and `benchmarks/schemathesis_run.py`.

The API connects out to addresses taken from request bodies (Odoo, FTP): `loopback_only()` makes any
connection elsewhere fail before it starts, so generated data can never reach another host.
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

import falcon
import hypothesis
import hypothesis.errors
import schemathesis
from attrs import define, field
from hypothesis import HealthCheck, Phase
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from productsmanager.entrypoints.falcon.openapi import openapi_document

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]
MODES = (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE)
DEBUG = False
LAST = ("POST /api/v1/auth/logout",)  # revokes the token every other operation uses


def _is_loopback(host: Any) -> bool:
    if host in (None, "", "localhost"):
        return host == "localhost"
    try:
        return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
    except ValueError:
        return False


@contextmanager
def loopback_only() -> Iterator[None]:
    """Connections and name lookups for anything but a loopback address fail as a refused connection would."""
    connect, connect_ex = socket.socket.connect, socket.socket.connect_ex
    create_connection, getaddrinfo = socket.create_connection, socket.getaddrinfo

    def guarded_connect(sock: socket.socket, address: Any) -> Any:
        if sock.family in (socket.AF_INET, socket.AF_INET6) and not _is_loopback(address[0]):
            raise ConnectionRefusedError(f"outbound connection to {address[0]!r} blocked in tests")
        return connect(sock, address)

    def guarded_connect_ex(sock: socket.socket, address: Any) -> Any:
        if sock.family in (socket.AF_INET, socket.AF_INET6) and not _is_loopback(address[0]):
            raise ConnectionRefusedError(f"outbound connection to {address[0]!r} blocked in tests")
        return connect_ex(sock, address)

    def guarded_create_connection(address: Any, *args: Any, **kwargs: Any) -> Any:
        if not _is_loopback(address[0]):
            raise ConnectionRefusedError(f"outbound connection to {address[0]!r} blocked in tests")
        return create_connection(address, *args, **kwargs)

    def guarded_getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(host, bytes):
            host = host.decode(errors="replace")
        if not _is_loopback(host):
            raise socket.gaierror(socket.EAI_NONAME, f"name lookup of {host!r} blocked in tests")
        return getaddrinfo(host, *args, **kwargs)

    with (
        mock.patch.object(socket.socket, "connect", guarded_connect),
        mock.patch.object(socket.socket, "connect_ex", guarded_connect_ex),
        mock.patch.object(socket, "create_connection", guarded_create_connection),
        mock.patch.object(socket, "getaddrinfo", guarded_getaddrinfo),
    ):
        yield


@define
class FuzzReport:
    operations: int = 0
    cases: int = 0
    failures: Counter[str] = field(factory=Counter)
    examples: dict[str, str] = field(factory=dict)
    statuses: Counter[int] = field(factory=Counter)
    seconds: float = 0.0

    def record(self, label: str, group: FailureGroup, request: str) -> None:
        for failure in group.exceptions:
            kind = f"{label}: {failure.title}"
            self.failures[kind] += 1
            self.examples.setdefault(kind, f"{str(failure)[:1500]}\n    {request[:1500]}")

    def summary(self) -> str:
        lines = [
            f"{self.operations} operations, {self.cases} cases, {sum(self.failures.values())} failures "
            f"in {self.seconds:.1f} s; statuses {dict(sorted(self.statuses.items()))}"
        ]
        lines += [f"  {count} x {kind}\n    {self.examples[kind]}" for kind, count in self.failures.most_common()]
        return "\n".join(lines)


def fuzz(
    app: falcon.App,
    headers: Callable[[], dict[str, str]],
    *,
    max_examples: int,
    skip: Callable[[str], str | None] = lambda label: None,
) -> FuzzReport:
    """Runs every operation with `max_examples` positive and as many negative cases, derandomized (the same
    cases on every run). `headers()` gives the admin's headers for each case; `skip(label)` a reason to leave
    an operation out, or None."""
    report = FuzzReport()
    started = time.monotonic()
    # The admin's token on every case: negating the security scheme would only test the 401 of the auth layer.
    config = schemathesis.Config.from_dict({"generation": {"with-security-parameters": False}})
    schema = schemathesis.openapi.from_dict(openapi_document(), config=config)
    schema.app = app
    operations = [result.ok() for result in schema.get_all_operations()]
    operations.sort(key=lambda op: op.label in LAST)
    for operation in operations:
        if skip(operation.label):
            continue
        report.operations += 1
        for mode in MODES:
            _run(operation, mode, headers, max_examples, report)
    report.seconds = time.monotonic() - started
    return report


def _is_multipart(operation: Any) -> bool:
    """Form fields are text: a field negated to a number, an object or an array reaches the server as the
    text of it, which a string field rightly accepts, so refused negative data cannot be asked of a form."""
    content = operation.definition.raw.get("requestBody", {}).get("content", {})
    return "multipart/form-data" in content


def _run(
    operation: Any,
    mode: schemathesis.GenerationMode,
    headers: Callable[[], dict[str, str]],
    max_examples: int,
    report: FuzzReport,
) -> None:
    @hypothesis.settings(
        max_examples=max_examples,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @hypothesis.given(case=operation.as_strategy(generation_mode=mode))
    def one(case: schemathesis.Case) -> None:
        sent = headers()
        response = case.call(headers=sent)
        checks = CHECKS if not _is_multipart(operation) else [c for c in CHECKS if c is not negative_data_rejection]
        report.cases += 1
        report.statuses[response.status_code] += 1
        if response.status_code == 401 and DEBUG:
            print(operation.label, mode, case.headers, sent)
        try:
            case.validate_response(response, checks=checks, headers=sent)
        except FailureGroup as group:
            report.record(operation.label, group, case.as_curl_command(headers=sent))

    with contextlib.suppress(hypothesis.errors.Unsatisfiable):
        one()  # unsatisfiable: an operation without parameters or body has no negative data
