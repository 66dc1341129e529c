"""Hostile images: the peak memory growth of uploading each file of `tests/hostile_images.py` and making its
thumbnails, each in a fresh process on the embedded default (SQLite, filesystem store, thumbnails made
in-process by the request that uploads), against the 400 MB cap; one line per file, PASS or FAIL.

A file passes when its process did not die, it ended as it must (refused with its 422 reason, or accepted
with its thumbnails `ready`) and the growth is within the cap. The growth is VmHWM (peak resident set) after
the work minus VmRSS before it, the peak having been reset (`/proc/self/clear_refs`) after a warm-up upload
that loads the codecs and compiles the statements.

    PYTHONPATH=src .venv/bin/python benchmarks/hostile_images.py [--only NAME ...] [--json]

Other scripts import `measure_all()` (a list of `Measurement`) or `measure(case)`.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # tests.hostile_images: the same files as the tests

from tests.hostile_images import READY, HostileImage, cases  # noqa: E402

CAP_BYTES = 400 * 1000 * 1000
MB = 1000 * 1000


@dataclass(frozen=True)
class Measurement:
    name: str
    what: str
    file_bytes: int
    expected: str  # "ready" or the 422's reason
    outcome: str  # "ready", "failed: <reason>", "422 <reason>", "<status> ...", or "crashed: ..."
    growth_bytes: int | None  # None when the process died before reporting
    cap_bytes: int = CAP_BYTES

    @property
    def passed(self) -> bool:
        ended_as_expected = self.outcome == (READY if self.expected == READY else f"422 {self.expected}")
        return ended_as_expected and self.growth_bytes is not None and self.growth_bytes <= self.cap_bytes

    def line(self) -> str:
        growth = "   -   " if self.growth_bytes is None else f"{self.growth_bytes / MB:7.1f}"
        verdict = "PASS" if self.passed else "FAIL"
        return (
            f"{verdict}  {self.name:<30} {self.file_bytes / 1000:>9,.0f} KB  {growth} MB of {self.cap_bytes / MB:.0f}"
            f"  {self.outcome}" + ("" if self.passed else f" (expected {self.expected})")
        )


def measure(case: HostileImage, cap_bytes: int = CAP_BYTES, timeout: float = 300) -> Measurement:
    """Uploads `case` in a fresh child process and reads back how it ended and its peak growth."""
    data = case.data
    with tempfile.TemporaryDirectory(prefix="pm-hostile-") as folder:
        path = Path(folder) / "upload.bin"
        path.write_bytes(data)
        environ = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)])}
        command = [sys.executable, str(Path(__file__).resolve()), "--child", str(path), case.name]
        try:
            done = subprocess.run(command, capture_output=True, text=True, env=environ, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            return Measurement(case.name, case.what, len(data), case.outcome, f"crashed: over {timeout:.0f} s", None)
    report = done.stdout.strip().splitlines()[-1:] if done.returncode == 0 else []
    if not report:
        tail = done.stderr.strip().splitlines()[-1:] or [""]
        outcome = f"crashed: exit {done.returncode} {tail[0][:120]}"
        return Measurement(case.name, case.what, len(data), case.outcome, outcome, None, cap_bytes)
    result = json.loads(report[0])
    return Measurement(case.name, case.what, len(data), case.outcome, result["outcome"], result["growth"], cap_bytes)


def measure_all(names: list[str] | None = None, cap_bytes: int = CAP_BYTES) -> list[Measurement]:
    return [measure(case, cap_bytes) for case in cases(names)]


# ---- the child: one upload through the WSGI app, as the serving process of the embedded default runs it ----


def _status(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    raise RuntimeError(f"{field} not in /proc/self/status")


def _child(path: Path, name: str) -> None:
    from falcon import testing
    from tests.images import encode, photo
    from tests.integration.helpers import cheap_password_hasher, login

    from productsmanager.adapters.sqlalchemy.migrate import upgrade
    from productsmanager.config import Config
    from productsmanager.container import build_container
    from productsmanager.entrypoints.falcon.app import create_app

    with tempfile.TemporaryDirectory(prefix="pm-hostile-data-") as data_dir:
        container = build_container(Config.from_env({"PM_DATA_DIR": data_dir}))
        container.password_hasher.override(cheap_password_hasher())
        upgrade(container.engine())
        client = testing.TestClient(create_app(container))
        container.user_administration().create("editor@example.com", "Secret123!", "editor")
        headers = login(client, "editor@example.com", "Secret123!")
        product_id = str(container.product_editor().create("4006381333931", {"name": "Mug"}))
        for warm_up in (encode(photo(300, 200), "PNG"), encode(photo(300, 200, seed=1), quality=90)):
            assert _upload(client, headers, product_id, warm_up, "warm-up").status_code == 201
        data = path.read_bytes()
        gc.collect()
        Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM to the current resident set
        before = _status("VmRSS")
        result = _upload(client, headers, product_id, data, f"{name}.png")
        peak = _status("VmHWM")
        if result.status_code in (200, 201):
            media = result.json
            outcome = media["status"] if media["status"] == READY else f"{media['status']}: {media['failure_reason']}"
        elif result.status_code == 422:
            outcome = f"422 {result.json['errors'][0].get('reason')}"
        else:
            outcome = f"{result.status_code} {result.text[:120]}"
    print(json.dumps({"outcome": outcome, "growth": peak - before}))


def _upload(client: object, headers: dict[str, str], product_id: str, data: bytes, file_name: str) -> object:
    """A multipart upload, as browsers and `curl -F` send it."""
    boundary = "pm-hostile-boundary-51c3"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{file_name}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()
    body = head + data + f"\r\n--{boundary}--\r\n".encode()
    content_type = f"multipart/form-data; boundary={boundary}"
    return client.simulate_post(  # type: ignore[attr-defined]
        f"/api/v1/products/{product_id}/media", headers={**headers, "Content-Type": content_type}, body=body
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", nargs="*", help="names of the files to run (default: all)")
    parser.add_argument("--json", action="store_true", help="one JSON object per file instead of the table")
    parser.add_argument("--child", nargs=2, metavar=("PATH", "NAME"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(Path(args.child[0]), args.child[1])
        return 0
    failed = 0
    for case in cases(args.only):
        measurement = measure(case)
        failed += not measurement.passed
        print(json.dumps({**asdict(measurement), "passed": measurement.passed}) if args.json else measurement.line())
        sys.stdout.flush()
    if not args.json:
        total = len(list(cases(args.only)))
        print(f"{failed} of {total} failed; cap {CAP_BYTES / MB:.0f} MB of peak growth per process")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
