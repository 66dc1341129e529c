"""Changes pushed from Odoo, on the embedded default (`productsmanager serve` with its SQLite database and
in-process tasks, in a subprocess) against the fake Odoo of the tests (XML-RPC on loopback):

1. 1,000 deliveries, as Odoo's "Send Webhook Notification" action posts them, for 800 distinct record changes
   (200 of them sent twice more: duplicates and replays), shuffled and posted from 8 threads: the imports made
   (target: exactly 800), and whether the catalog then equals Odoo (every product's name);
2. the latency of one change, from the delivery's POST to the product's new name in `GET /api/v1/products/
   by-ean/…`, 20 times one after another: median, p95 and max against the 2 s budget (target: max <= 2 s), beside
   the baseline measured in the same run: a whole import run of the same 800 products (what a schedule does).

    .venv/bin/python benchmarks/odoo_webhooks.py [--records 800] [--extra 200] [--samples 20]
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the fake Odoo lives with the tests

from tests.integration.fake_odoo import DATABASE, fake_odoo_server
from tests.integration.odoo_helpers import PRODUCTS, ean

from benchlib import free_port, serve, verdict
from productsmanager.domain.odoo.instances import DEFAULT_INSTANCE_ID
from slow_clients import EMAIL, PASSWORD, create_admin

BUDGET_SECONDS = 2.0
THREADS = 8


class Api:
    def __init__(self, port: int) -> None:
        self.port = port
        self.token = ""

    def call(self, method: str, path: str, body: Any = None, raw: bytes | None = None) -> tuple[int, Any]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Content-Type": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        conn.request(method, path, body=data, headers=headers)
        answer = conn.getresponse()
        payload = answer.read()
        conn.close()
        return answer.status, json.loads(payload) if payload else None


def name_of(api: Api, code: str) -> str | None:
    return api.call("GET", f"/api/v1/products/by-ean/{code}")[1].get("name")


def run_status(api: Api, run_id: str) -> str:
    return str(api.call("GET", f"/api/v1/odoo/runs/{run_id}")[1]["status"])


def wait_until(check: Any, seconds: float, what: str) -> float:
    started = time.perf_counter()
    while time.perf_counter() - started < seconds:
        if check():
            return time.perf_counter() - started
        time.sleep(0.01)
    raise SystemExit(f"{what} did not happen within {seconds} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=800)
    parser.add_argument("--extra", type=int, default=200)
    parser.add_argument("--samples", type=int, default=20)
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="pm-bench-webhooks-"))
    create_admin(data_dir)
    port = free_port()
    with fake_odoo_server() as odoo:
        settings = {"PM_DATA_DIR": str(data_dir), "PM_OUTBOUND_ALLOW": "127.0.0.1", "PM_DATABASE_URL": ""}
        server = serve(port, settings)
        try:
            api = Api(port)
            login = api.call("POST", "/api/v1/auth/login", {"email": EMAIL, "password": PASSWORD})[1]
            api.token = login["access_token"]
            config = {"url": odoo.url, "database": DATABASE, "login": "admin", "secret": "admin-password",
                      "protocol": "xmlrpc", "batch_size": 200}  # fmt: skip
            assert api.call("PUT", "/api/v1/odoo/config", config)[0] == 200
            webhook = f"/api/v1/odoo/instances/{DEFAULT_INSTANCE_ID}/webhook"
            enabled = api.call("PUT", webhook, {"enabled": True})[1]
            hook = "/" + enabled["url"].split("/", 3)[3]
            base = hook.rsplit("/", 1)[0]

            records = [odoo.store.add(PRODUCTS, name=f"Pen {n}", barcode=ean(n)) for n in range(args.records)]
            for record in records:
                odoo.store.write(PRODUCTS, [record], {"name": f"Pen {record} (changed)"})
            changes = [odoo.webhook_body(PRODUCTS, record) for record in records]
            shuffler = random.Random(18)
            deliveries = changes + [shuffler.choice(changes) for _ in range(args.extra)]
            shuffler.shuffle(deliveries)
            started = time.perf_counter()
            with ThreadPoolExecutor(THREADS) as pool:
                codes = list(pool.map(lambda body: Api(port).call("POST", hook, raw=body)[0], deliveries))
            posted = time.perf_counter() - started

            def settled() -> bool:
                shown = api.call("GET", base)[1]
                return bool(shown["received"] == len(deliveries) and shown["pending"] == 0)

            wait_until(settled, 600, "every delivery's import")
            drained = time.perf_counter() - started
            shown = api.call("GET", base)[1]
            equal = all(name_of(api, ean(n)) == f"Pen {record} (changed)" for n, record in enumerate(records))

            latencies = []
            for sample in range(args.samples):
                record, code = records[sample], ean(sample)
                odoo.store.write(PRODUCTS, [record], {"name": f"Pen {record} v{sample}"})
                body = odoo.webhook_body(PRODUCTS, record)
                started = time.perf_counter()
                Api(port).call("POST", hook, raw=body)
                wanted = f"Pen {record} v{sample}"
                latencies.append(wait_until(lambda c=code, w=wanted: name_of(api, c) == w, 30, "a change"))

            started = time.perf_counter()
            run = api.call("POST", "/api/v1/odoo/import")[1]["id"]
            wait_until(lambda: run_status(api, run) not in ("pending", "running"), 600, "the import run")
            full_import = time.perf_counter() - started
        finally:
            server.terminate()
            server.wait(timeout=30)

    latencies.sort()
    p95 = latencies[min(len(latencies) - 1, round(0.95 * (len(latencies) - 1)))]
    print(f"deliveries: {len(deliveries)} for {len(changes)} distinct changes; answers {sorted(set(codes))}, "
          f"posted in {posted:.1f} s, all imported {drained:.1f} s after the first")  # fmt: skip
    exact = verdict(shown["imported"] == len(changes))
    print(f"imports: {shown['imported']} (target exactly {len(changes)}: {exact}); "
          f"duplicates {shown['duplicates']}, coalesced {shown['coalesced']}, failed {shown['failed']}; "
          f"catalog equal to Odoo: {verdict(equal)}")  # fmt: skip
    print(f"latency of one change ({len(latencies)} samples): median {statistics.median(latencies):.3f} s, "
          f"p95 {p95:.3f} s, max {latencies[-1]:.3f} s = {latencies[-1] / BUDGET_SECONDS:.2f} of the 2 s budget "
          f"({verdict(latencies[-1] <= BUDGET_SECONDS)})")  # fmt: skip
    print(f"baseline, a whole import run of the {len(records)} products: {full_import:.2f} s "
          f"({full_import / statistics.median(latencies):.0f}x the median change's latency)")  # fmt: skip


if __name__ == "__main__":
    main()
