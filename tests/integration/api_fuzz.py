"""Schemathesis over the API's own OpenAPI document, in-process through WSGI: positive and negative data for
every operation, authenticated as an admin, each response checked for server errors, undocumented statuses
and content types, and bodies that break their schema; negative data must be refused. Shared by the bounded
test and `benchmarks/schemathesis_run.py`.

The API connects out to addresses taken from request bodies (Odoo, FTP): run it inside
`tests.integration.loopback_only.loopback_only()`, so that generated data can never reach another host.
"""

from __future__ import annotations

import contextlib
import io
import re
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

import falcon
import hypothesis
import hypothesis.errors
import schemathesis
from attrs import define, field
from falcon import testing
from hypothesis import HealthCheck, Phase
from PIL import Image
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from productsmanager.entrypoints.falcon.events import stream
from productsmanager.entrypoints.falcon.openapi import openapi_document

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]
MODES = (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE)
LAST = ("POST /api/v1/auth/logout",)  # revokes the token every other operation uses
# Through WSGI a response is read to its end: an event stream (minutes, served) lives this long here.
STREAM_SECONDS = 0.05


@define
class FuzzReport:
    operations: int = 0
    cases: int = 0
    failures: Counter[str] = field(factory=Counter)
    examples: dict[str, str] = field(factory=dict)
    statuses: Counter[int] = field(factory=Counter)
    seconds: float = 0.0
    slowest: Counter[str] = field(factory=Counter)  # seconds per operation

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


def seed(client: testing.TestClient, headers: dict[str, str]) -> dict[str, str]:
    """One of each thing a path names (supplier, product and its offer, image, import job, schedule, user,
    sync run), created through the API, so that a second pass reaches past the 404 of an unknown id; and a
    barcode provider with a key, so that its test asks the provider."""

    def made(method: str, path: str, status: int, **kwargs: Any) -> dict[str, Any]:
        result = client.simulate_request(method, path, headers={**headers, **kwargs.pop("extra", {})}, **kwargs)
        assert result.status_code == status, f"{method} {path}: {result.status_code} {result.text}"
        return result.json  # type: ignore[no-any-return]

    supplier = made("POST", "/api/v1/suppliers", 201, json={"code": "FUZZ", "name": "Fuzz"})["id"]
    made("PUT", f"/api/v1/suppliers/{supplier}/import-profile", 200, json={"mapping": {"ean": "ean", "name": "name"}})
    product = made("POST", "/api/v1/products", 201, json={"ean": "4006381333931", "name": "Pen"})["id"]
    made("PUT", f"/api/v1/products/{product}/offers/FUZZ", 201, json={"price": "1.50", "stock": 3})
    png = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(png, "PNG")
    image = {"body": png.getvalue(), "extra": {"Content-Type": "image/png"}}
    media = made("POST", f"/api/v1/products/{product}/media", 201, **image)
    boundary = "fuzz-seed"
    form = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="supplier_code"\r\n\r\nFUZZ\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\n'
        f"ean,name\r\n96385074,Ink\r\n\r\n--{boundary}--\r\n"
    )
    job = made(
        "POST", "/api/v1/imports", 202, body=form, extra={"Content-Type": f"multipart/form-data; boundary={boundary}"}
    )["id"]
    schedule = made(
        "POST", "/api/v1/odoo/schedules", 201, json={"name": "fuzz", "direction": "export", "interval_minutes": 60}
    )["id"]
    user = made("POST", "/api/v1/users", 201, json={"email": "fuzz@example.com", "password": "Fuzz-Password-4-Test"})
    run = made("POST", "/api/v1/odoo/bulk-sync", 202, json={"product_ids": [product]})["id"]
    made("PUT", "/api/v1/ean-lookup/providers/ean_search", 200, json={"api_key": "fuzz-key"})  # its test asks
    return {
        "supplier_id": supplier,
        "product_id": product,
        "field": "name",  # the only value of its name: withdrawing it is refused (409)
        "supplier_code": "FUZZ",
        "ean": "4006381333931",
        "media_id": media["id"],
        "size": "small",
        "job_id": job,
        "schedule_id": schedule,
        "user_id": user["id"],
        "run_id": run,
        "provider": "ean_search",
    }


def fuzz(
    app: falcon.App,
    headers: Callable[[], dict[str, str]],
    *,
    max_examples: int,
    seeds: dict[str, str] | None = None,
    skip: Callable[[str], str | None] = lambda label: None,
) -> FuzzReport:
    """Runs every operation with `max_examples` positive and as many negative cases, derandomized (the same
    cases on every run). `headers()` gives the admin's headers for each case; with `seeds`, operations whose
    path names only seeded things run once more on them (deletions last); `skip(label)` gives a reason to
    leave an operation out, or None."""
    report = FuzzReport()
    started = time.monotonic()
    # The admin's token on every case: negating the security scheme would only test the 401 of the auth layer.
    config = schemathesis.Config.from_dict({"generation": {"with-security-parameters": False}})
    schema = schemathesis.openapi.from_dict(openapi_document(), config=config)
    schema.app = app
    operations = [result.ok() for result in schema.get_all_operations() if not skip(result.ok().label)]
    passes: list[tuple[Any, dict[str, str] | None]] = [(op, None) for op in operations]
    for op in operations:
        names = re.findall(r"{(\w+)}", op.path)
        if seeds and names and all(name in seeds for name in names):
            passes.append((op, {name: seeds[name] for name in names}))
    passes.sort(key=lambda p: (p[0].label in LAST, p[1] is not None and p[0].method.upper() == "DELETE"))
    report.operations = len(operations)
    lifetime, stream.LIFETIME_SECONDS = stream.LIFETIME_SECONDS, STREAM_SECONDS
    try:
        for operation, path_parameters in passes:
            for mode in MODES if _negatable(operation, path_parameters) else MODES[:1]:
                began = time.monotonic()
                _run(operation, mode, headers, max_examples, report, path_parameters)
                report.slowest[operation.label] += time.monotonic() - began
    finally:
        stream.LIFETIME_SECONDS = lifetime
    report.seconds = time.monotonic() - started
    return report


def _negatable(operation: Any, fixed: dict[str, str] | None) -> bool:
    """A body, a query parameter or a path parameter of a format or a choice: something negative data can
    break. Otherwise hypothesis spends seconds proving that there is no negative case (a free-text path
    parameter cannot be negated within a URL path)."""
    raw = operation.definition.raw
    params = raw.get("parameters", [])
    if "requestBody" in raw or any(p.get("in") == "query" for p in params):
        return True
    return any(
        p.get("in") == "path" and p["name"] not in (fixed or {}) and {"format", "enum"} & p["schema"].keys()
        for p in params
    )


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
    path_parameters: dict[str, str] | None,
) -> None:
    @hypothesis.settings(
        max_examples=max_examples,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @hypothesis.given(case=operation.as_strategy(generation_mode=mode, path_parameters=path_parameters))
    def one(case: schemathesis.Case) -> None:
        sent = headers()
        response = case.call(headers=sent)
        checks = CHECKS if not _is_multipart(operation) else [c for c in CHECKS if c is not negative_data_rejection]
        report.cases += 1
        report.statuses[response.status_code] += 1
        try:
            case.validate_response(response, checks=checks, headers=sent)
        except FailureGroup as group:
            report.record(operation.label, group, case.as_curl_command(headers=sent))

    with contextlib.suppress(hypothesis.errors.Unsatisfiable):
        one()  # unsatisfiable: an operation without parameters or body has no negative data
