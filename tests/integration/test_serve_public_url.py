"""`productsmanager serve --port N` without PM_PUBLIC_URL hands out links to the address it serves: the
password-reset e-mail that its worker processes write to the log (embedded default) points at port N."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

import productsmanager
from productsmanager.entrypoints.cli.main import cli

pytestmark = pytest.mark.integration
SANITY = 30.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Served:
    def __init__(self, process: subprocess.Popen[str], port: int) -> None:
        self.process = process
        self.port = port
        self.lines: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.lines.append(line)

    def wait_for(self, text: str) -> str:
        deadline = time.monotonic() + SANITY
        while time.monotonic() < deadline:
            found = [line for line in list(self.lines) if text in line]
            if found:
                return found[0]
            if self.process.poll() is not None:
                break
            time.sleep(0.1)
        raise AssertionError(f"{text!r} not in the server's log: {''.join(self.lines)}")

    def post(self, path: str, body: dict[str, str]) -> int:
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}{path}",
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=SANITY) as response:
            return int(response.status)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PM_")}
    env |= {"PM_DATA_DIR": str(tmp_path / "data"), "PM_LOG_LEVEL": "INFO"}
    env["PYTHONPATH"] = str(Path(productsmanager.__file__).parents[1])  # the sources under test
    made = CliRunner().invoke(
        cli, ["users", "create-admin", "--email", "owner@example.com", "--password", "Secret123"], env=env
    )
    assert made.exit_code == 0, made.output
    port = _free_port()
    command = [sys.executable, "-m", "productsmanager.entrypoints.cli", "serve", "--port", str(port), "--workers", "1"]
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        server = Served(process, port)
        server.wait_for("Booting worker")
        deadline = time.monotonic() + SANITY
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "serve did not start"
                time.sleep(0.1)
        yield server
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_reset_links_point_at_the_port_served(served: Served) -> None:
    assert "data directory: " in served.wait_for("data directory: ")
    assert served.post("/api/v1/auth/forgot-password", {"email": "owner@example.com"}) == 202
    served.wait_for("E-mail to owner@example.com")
    link = served.wait_for("token=")
    assert f"http://127.0.0.1:{served.port}/" in link, link
    assert "127.0.0.1:8000" not in "".join(served.lines)
