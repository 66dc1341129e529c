"""Browser tests: Playwright driving Debian's Chromium (/usr/bin/chromium, never a downloaded browser) against
`productsmanager serve` started on its embedded defaults in a subprocess (SQLite, in-process tasks and
events), with mail to an aiosmtpd server on loopback. Data is seeded through the use cases of a container
built on the same data directory.

Every page a test opens is watched: a console error, an uncaught exception, a failed request or an answer of
4xx/5xx that the test did not expect fails the test, and `assert_accessible` runs axe-core (from the npm
registry, installed by the set-up) and fails on any serious or critical violation."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from attrs import define, field

from productsmanager.config import Config
from productsmanager.container import Container, build_container
from productsmanager.domain.errors import Conflict
from tests.integration.smtp_server import Mailbox, smtp_server
from tests.served import CHROMIUM, CHROMIUM_ARGS, free_port, served

AXE = Path(__file__).resolve().parents[2] / "node_modules/axe-core/axe.min.js"
PASSWORD = "Correct-horse-battery-42"

pytestmark = pytest.mark.browser


@define
class Server:
    url: str
    data_dir: Path
    environ: dict[str, str]
    container: Container
    mailbox: Mailbox
    log: Path


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run ./scripts/bootstrap.sh dev (it installs Debian's chromium)")
    data_dir = tmp_path_factory.mktemp("browser-data")
    mailbox = Mailbox()
    with smtp_server(mailbox) as smtp_port:
        port = free_port()
        environ = {
            "PM_DATA_DIR": str(data_dir),
            "PM_OUTBOUND_ALLOW": "127.0.0.1",
            "PM_SMTP_URL": f"smtp://127.0.0.1:{smtp_port}",
            "PM_PUBLIC_URL": f"http://127.0.0.1:{port}",
            "PM_LOG_LEVEL": "WARNING",
        }
        log = data_dir / "server.log"
        container = build_container(Config.from_env(environ))
        try:
            with served(environ, port, log):
                yield Server(f"http://127.0.0.1:{port}", data_dir, environ, container, mailbox, log)
        finally:
            container.engine().dispose()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@define(slots=False)  # Playwright keeps its wrappers of bound-method handlers on their instance
class Watch:
    """What went wrong on a page: console errors, uncaught exceptions, failed requests, error answers."""

    problems: list[str] = field(factory=list)
    expected_statuses: set[int] = field(factory=set)

    def attach(self, page: Any) -> None:
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"uncaught: {error}"))
        page.on("requestfailed", self._failed)
        page.on("response", self._answered)

    def _console(self, message: Any) -> None:
        # A load that failed with an error answer is logged by the browser too: judged by `_answered`.
        if message.type == "error" and not message.text.startswith("Failed to load resource: the server responded"):
            self.problems.append(f"console: {message.text}")

    def _failed(self, request: Any) -> None:
        failure = request.failure or ""
        if "ERR_ABORTED" in failure and request.resource_type in ("eventsource", "fetch", "xhr", "image"):
            # A stream or request the page closed itself when it moved on, or an image still loading in an
            # element that a live update (progress event) replaced: the new element loads it again.
            return
        self.problems.append(f"request failed: {request.method} {request.url} {failure}")

    def _answered(self, response: Any) -> None:
        if response.status >= 400 and response.status not in self.expected_statuses:
            self.problems.append(f"answer {response.status}: {response.request.method} {response.url}")

    def expect(self, *statuses: int) -> None:
        self.expected_statuses.update(statuses)


@pytest.fixture
def watch() -> Watch:
    return Watch()


@pytest.fixture
def page(browser: Any, server: Server, watch: Watch) -> Iterator[Any]:
    context = browser.new_context(base_url=server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    tab = context.new_page()
    watch.attach(tab)
    yield tab
    context.close()
    assert not watch.problems, "\n".join(watch.problems)


def make_user(server: Server, email: str, role: str) -> None:
    """A user made through the use case; one an earlier test of the session made is kept."""
    with contextlib.suppress(Conflict):
        server.container.user_administration().create(email, PASSWORD, role)


def sign_in(page: Any, server: Server, email: str, role: str = "editor") -> None:
    """Signs in through the login form, as a person does."""
    make_user(server, email, role)
    page.goto("/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/login" not in url)


def assert_accessible(page: Any) -> None:
    """axe-core on the page as it is: no violation of serious or critical impact."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run ./scripts/bootstrap.sh dev (npm ci installs axe-core)")
    page.evaluate(AXE.read_text() + "\n;undefined")  # evaluated by the browser's devtools: not subject to the CSP
    result = page.evaluate(
        "async () => { const r = await axe.run(document, {resultTypes: ['violations']});"
        " return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))})); }"
    )
    serious = [violation for violation in result if violation["impact"] in ("serious", "critical")]
    assert not serious, "\n".join(f"{v['impact']} {v['id']}: {v['help']} at {v['nodes']}" for v in serious)
