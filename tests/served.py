"""`productsmanager serve` in a subprocess, as a deployment runs it: on its embedded defaults in a data directory
of its own (the caller's environment, without the machine's PM_ settings), waited for until its health answers,
stopped on exit. Used by the browser tests, the event stream's serving tests and scripts/screenshots.py; with
Debian's Chromium's launch arguments for Playwright (browser downloads are impossible here, and Chromium's own
background connections would be refused by the closed network)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
START_SECONDS = 60


def free_port() -> int:
    """A port nothing listens on (the kernel's pick, released at once)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def served(environ: Mapping[str, str], port: int, log: Path, workers: int = 1) -> Iterator[subprocess.Popen[bytes]]:
    """The server on 127.0.0.1:`port` with `environ`, its output in `log`; RuntimeError (with the log's tail) when
    it stops or stays silent at start."""
    clean = {key: value for key, value in os.environ.items() if not key.startswith(("PM_", "MINIO_"))}
    command = [sys.executable, "-m", "productsmanager.entrypoints.cli", "serve", "--host", "127.0.0.1"]
    with log.open("wb") as output:
        process = subprocess.Popen(
            [*command, "--port", str(port), "--workers", str(workers)],
            env={**clean, **environ},
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_up(f"http://127.0.0.1:{port}", process, log)
        yield process
    finally:
        stop(process)


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def _wait_until_up(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server stopped at start:\n{log.read_text()[-4000:]}")
        try:
            with urllib.request.urlopen(f"{url}/api/v1/health", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"the server did not answer within {START_SECONDS} s:\n{log.read_text()[-4000:]}")
