"""E-mail sources end to end on both databases: a mailbox on Dovecot (IMAP over TLS on loopback) set through
the API, runs on demand and by two schedulers at once, every matching attachment imported once, the message
flagged as the settings say, and failures that name their cause."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from click.testing import CliRunner
from dependency_injector import providers

from productsmanager.adapters.imap.session import quoted_mailbox
from productsmanager.domain.imports.import_source import SourceKind
from productsmanager.entrypoints.cli.main import cli
from tests.integration import imap_world
from tests.integration.dovecot_server import PASSWORD, USER, Dovecot
from tests.integration.helpers import Backend, Users, at_once
from tests.integration.imap_world import now, reader
from tests.integration.import_helpers import supplier_with_profile
from tests.integration.mail_messages import plain, with_attachments

pytestmark = pytest.mark.integration
dovecot, folder = imap_world.dovecot, imap_world.folder  # fixtures
PROFILE = {"mapping": {"ean": "ean", "name": "name", "price": "price"}, "delimiter": ";"}
PEN = b"ean;name;price\r\n4006381333931;Stabilo point 88;1.20\r\n"
INK = b"ean;name;price\r\n5901234123457;Ink;3.00\r\n"


@pytest.fixture
def mailbox(backend: Backend, dovecot: Dovecot) -> Iterator[Dovecot]:
    """The container's e-mail reader trusting the test server's certificate (a real server's is public)."""
    backend.container.mail_reader.override(providers.Object(reader(dovecot)))
    try:
        yield dovecot
    finally:
        backend.container.mail_reader.reset_override()


def source(dovecot: Dovecot, folder: str, **changes: Any) -> dict[str, Any]:
    body = {"host": "127.0.0.1", "port": dovecot.imaps_port, "username": USER, "password": PASSWORD,
            "mailbox": folder, "sender": "@acme.test", "pattern": "*.csv", "timeout_seconds": 10}  # fmt: skip
    return body | changes


def url(supplier_id: str) -> str:
    return f"/api/v1/suppliers/{supplier_id}/import-sources/email"


def drain(backend: Backend) -> None:
    assert backend.container.task_queue().drain(timeout=60)


def jobs(backend: Backend, headers: dict[str, str]) -> list[dict[str, Any]]:
    listed = backend.client.simulate_get("/api/v1/imports", params={"supplier_code": "ACME"}, headers=headers)
    return sorted(listed.json["items"], key=lambda job: job["file_name"])


def flags(dovecot: Dovecot, folder: str) -> dict[int, str]:
    client = dovecot.client()
    try:
        client.select(quoted_mailbox(folder), readonly=True)
        _, data = client.uid("FETCH", "1:*", "(FLAGS)")
        return {int(line.split()[2]): line.decode() for line in data if isinstance(line, bytes)}  # type: ignore[union-attr]
    finally:
        client.logout()


def test_every_matching_attachment_is_imported_once_and_the_message_flagged(
    backend: Backend, users: Users, mailbox: Dovecot, folder: str
) -> None:
    supplier_id = supplier_with_profile(backend, users.editor, "ACME", PROFILE)
    received = now().replace(microsecond=0) - timedelta(minutes=10)
    first = mailbox.deliver(
        with_attachments("Catalogue", {"pen.csv": PEN, "ink.csv": INK, "terms.pdf": b"%PDF"}), received, folder
    )
    bare = mailbox.deliver(plain("Catalogue follows"), received + timedelta(minutes=1), folder)
    other = mailbox.deliver(with_attachments("Spam", {"x.csv": PEN}, sender="someone@else.test"), received, folder)
    saved = backend.client.simulate_put(
        url(supplier_id), headers=users.editor, json=source(mailbox, folder, after_import="seen")
    )
    assert saved.status_code == 200, saved.text
    assert saved.json["has_password"] is True and PASSWORD not in saved.text and saved.json["security"] == "tls"

    assert backend.client.simulate_post(f"{url(supplier_id)}/run", headers=users.editor).status_code == 202
    drain(backend)
    made = jobs(backend, users.viewer)
    assert [(j["source"], j["file_name"], j["status"]) for j in made] == [
        ("email", "Catalogue follows", "failed"),
        ("email", "ink.csv", "completed"),
        ("email", "pen.csv", "completed"),
    ]
    assert "no attachment matching '*.csv'" in made[0]["failure_reason"]
    ink = backend.client.simulate_get("/api/v1/products/by-ean/5901234123457", headers=users.viewer).json
    assert ink["name"] == "Ink"
    seen = flags(mailbox, folder)
    assert "\\Seen" in seen[first] and "\\Seen" in seen[bare] and "\\Seen" not in seen[other]

    backend.client.simulate_post(f"{url(supplier_id)}/run", headers=users.editor)
    drain(backend)  # every message taken: nothing new
    assert len(jobs(backend, users.viewer)) == 3
    shown = backend.client.simulate_get(url(supplier_id), headers=users.viewer).json
    assert "no new message" in shown["last_result"] and shown["last_error"] is None


def test_two_schedulers_and_two_runs_take_each_attachment_once(
    backend: Backend, users: Users, mailbox: Dovecot, folder: str
) -> None:
    supplier_id = supplier_with_profile(backend, users.editor, "ACME", PROFILE)
    received = now().replace(microsecond=0) - timedelta(minutes=5)
    mailbox.deliver(with_attachments("Catalogue", {"pen.csv": PEN, "ink.csv": INK}), received, folder)
    backend.client.simulate_put(
        url(supplier_id), headers=users.editor, json=source(mailbox, folder, schedule_minutes=5)
    )
    sources = backend.container.import_sources()
    ticks = at_once([sources.queue_due, sources.queue_due])
    assert sorted(map(len, ticks)) == [0, 1]  # type: ignore[arg-type]
    runs = backend.container.source_runs()
    at_once([lambda: runs.run(uuid.UUID(supplier_id), SourceKind.EMAIL)] * 2)
    drain(backend)
    assert [j["file_name"] for j in jobs(backend, users.viewer)] == ["ink.csv", "pen.csv"]


def test_today_mode_leaves_yesterday_s_messages_and_unseen_takes_them(
    backend: Backend, users: Users, mailbox: Dovecot, folder: str
) -> None:
    supplier_id = supplier_with_profile(backend, users.editor, "ACME", PROFILE)
    mailbox.deliver(with_attachments("Old", {"old.csv": PEN}), now() - timedelta(days=2), folder)
    mailbox.deliver(with_attachments("New", {"new.csv": INK}), now() - timedelta(seconds=5), folder)
    backend.client.simulate_put(url(supplier_id), headers=users.editor, json=source(mailbox, folder, mode="today"))
    backend.container.source_runs().run(uuid.UUID(supplier_id), SourceKind.EMAIL)
    assert [j["file_name"] for j in jobs(backend, users.viewer)] == ["new.csv"]
    backend.client.simulate_put(url(supplier_id), headers=users.editor, json=source(mailbox, folder, mode="unseen"))
    backend.container.source_runs().run(uuid.UUID(supplier_id), SourceKind.EMAIL)
    drain(backend)
    assert [j["file_name"] for j in jobs(backend, users.viewer)] == ["new.csv", "old.csv"]


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"password": "wrong"}, f"IMAP login refused for user {USER}"),
        ({"mailbox": "Nowhere"}, "mailbox 'Nowhere' was not found"),
    ],
    ids=["login", "mailbox"],
)
def test_a_refused_login_or_a_missing_mailbox_fails_the_run_with_the_cause(
    backend: Backend, users: Users, mailbox: Dovecot, folder: str, changes: dict[str, str], reason: str
) -> None:
    supplier_id = supplier_with_profile(backend, users.editor, "ACME", PROFILE)
    backend.client.simulate_put(url(supplier_id), headers=users.editor, json=source(mailbox, folder, **changes))
    backend.client.simulate_post(f"{url(supplier_id)}/run", headers=users.editor)
    drain(backend)
    [job] = jobs(backend, users.viewer)
    assert job["status"] == "failed" and reason in job["failure_reason"], job["failure_reason"]
    assert "wrong" not in job["failure_reason"] and PASSWORD not in job["failure_reason"]
    listed = backend.client.simulate_get("/api/v1/import-sources", params={"kind": "email"}, headers=users.viewer)
    assert listed.json["items"][0]["last_error"] == job["failure_reason"]


def test_the_scheduler_command_runs_a_due_e_mail_source(
    backend: Backend, users: Users, mailbox: Dovecot, folder: str
) -> None:
    """`productsmanager scheduler --once` as cron runs it: its own container, the mail server's CA from
    PM_IMAP_CA_FILE, the work run in its process (no broker) before it exits."""
    supplier_id = supplier_with_profile(backend, users.editor, "ACME", PROFILE)
    mailbox.deliver(with_attachments("Catalogue", {"ink.csv": INK}), now() - timedelta(minutes=1), folder)
    body = source(mailbox, folder, schedule_minutes=60)
    assert backend.client.simulate_put(url(supplier_id), headers=users.editor, json=body).status_code == 200
    config = backend.container.config()
    env = {"PM_DATABASE_URL": backend.url, "PM_DATA_DIR": str(config.data_dir), "PM_OUTBOUND_ALLOW": "127.0.0.1",
           "PM_IMAP_CA_FILE": str(mailbox.certificates.ca_file)}  # fmt: skip
    if config.secret_keys:
        env["PM_SECRET_KEYS"] = ",".join(config.secret_keys)
    result = CliRunner().invoke(cli, ["scheduler", "--once"], env=env)
    assert result.exit_code == 0 and "tick: 1 import source run(s) queued" in result.output, result.output
    [job] = jobs(backend, users.viewer)
    assert (job["source"], job["file_name"], job["status"]) == ("email", "ink.csv", "completed")
    again = CliRunner().invoke(cli, ["scheduler", "--once"], env=env)
    assert "tick: 0 import source run(s) queued" in again.output  # not due again within the hour
