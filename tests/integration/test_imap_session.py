"""The e-mail source's connection against Dovecot: TLS and STARTTLS, every failure named for the user
without the password or an address, and what happens to a taken message (kept, flagged \\Seen, moved)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from productsmanager.adapters.http.outbound_guard import OutboundGuard
from productsmanager.adapters.imap.mailbox_reader import ImapMailboxReader
from productsmanager.adapters.imap.session import quoted_mailbox
from productsmanager.application.imports.source_ports import ImportSourceUnreachable
from tests.integration import imap_world
from tests.integration.dovecot_server import ASCII_PASSWORD, ASCII_USER, PASSWORD, USER, Dovecot, dovecot_server
from tests.integration.hung_server import silent_server
from tests.integration.imap_world import list_items, now, reader, settings
from tests.integration.mail_messages import CSV, with_attachments
from tests.integration.smtp_server import free_port

dovecot, folder = imap_world.dovecot, imap_world.folder  # fixtures


def flags(dovecot: Dovecot, folder: str) -> dict[int, bytes]:
    client = dovecot.client()
    try:
        client.select(quoted_mailbox(folder), readonly=True)
        _typ, data = client.uid("FETCH", "1:*", "(FLAGS)")
        return {int(item.split(b"UID ")[1].split()[0]): item for item in data if isinstance(item, bytes)}
    finally:
        client.logout()


def unreachable(
    dovecot: Dovecot, password: str = PASSWORD, guard: OutboundGuard | None = None, **changes: object
) -> str:
    mail = settings(dovecot, changes.pop("folder", "INBOX"), **changes)  # type: ignore[arg-type]
    opened = reader(dovecot, guard or imap_world.LOOPBACK).open(mail, password)
    with pytest.raises(ImportSourceUnreachable) as caught, opened as session:
        session.items(None)
    return caught.value.reason


def test_starttls_and_login_with_an_ascii_password(dovecot: Dovecot) -> None:
    name = "Starttls"
    client = dovecot.client(ASCII_USER, ASCII_PASSWORD)
    client.create(name)
    client.logout()
    dovecot.deliver(with_attachments("Catalogue", {"a.csv": CSV}), now(), name, user=ASCII_USER)
    mail = settings(dovecot, name, security="starttls", port=dovecot.imap_port, username=ASCII_USER)
    with reader(dovecot).open(mail, ASCII_PASSWORD) as session:
        assert [item.name for item in session.items(None)] == ["a.csv"]


def test_a_wrong_password_is_refused_without_being_repeated(dovecot: Dovecot) -> None:
    wrong = "not-the-Imap-pa55"
    reason = unreachable(dovecot, wrong)
    assert reason == (
        f"IMAP login refused for user {USER} at 127.0.0.1:{dovecot.imaps_port}: check the username and password "
        "(an app password where the provider asks for one)"
    )
    assert wrong not in reason and PASSWORD not in reason


def test_an_unknown_mailbox_is_named(dovecot: Dovecot) -> None:
    assert unreachable(dovecot, folder="Catalogues") == "mailbox 'Catalogues' was not found on 127.0.0.1"


def test_a_closed_port_only_could_not_connect(dovecot: Dovecot, caplog: pytest.LogCaptureFixture) -> None:
    port = free_port()
    assert unreachable(dovecot, port=port) == f"could not connect to 127.0.0.1:{port}"
    assert "connection refused" in caplog.text


def test_loopback_is_refused_unless_allowed(dovecot: Dovecot, caplog: pytest.LogCaptureFixture) -> None:
    reason = unreachable(dovecot, guard=OutboundGuard())
    assert reason == f"could not connect to 127.0.0.1:{dovecot.imaps_port}"
    assert "blocked by the outbound guard" in caplog.text


def test_tls_failures_say_what_to_check(dovecot: Dovecot) -> None:
    mail = settings(dovecot, "INBOX")
    system_trust = ImapMailboxReader(guard=imap_world.LOOPBACK)  # the system's CAs do not trust the test's own
    with pytest.raises(ImportSourceUnreachable) as caught, system_trust.open(mail, PASSWORD):
        pass
    assert caught.value.reason.startswith(f"the TLS certificate of 127.0.0.1:{dovecot.imaps_port} is not trusted")
    reason = unreachable(dovecot, port=dovecot.imap_port)  # TLS spoken to the plain port
    assert reason.startswith(f"TLS failed with 127.0.0.1:{dovecot.imap_port} while connecting")
    assert reason.endswith("check the port and the security setting (tls on port 993, starttls on port 143)")


def test_keep_leaves_the_message_unseen(dovecot: Dovecot, folder: str, tmp_path: Path) -> None:
    uid = dovecot.deliver(with_attachments("Catalogue", {"a.csv": CSV}), now(), folder)
    mail = settings(dovecot, folder)
    with reader(dovecot).open(mail, PASSWORD) as session:
        [item] = session.items(None)
        session.download(item, tmp_path / "a.csv", 10**6)
        session.acknowledge([item.group])
    assert b"\\Seen" not in flags(dovecot, folder)[uid]


def test_seen_flags_the_taken_messages_only(dovecot: Dovecot, folder: str, tmp_path: Path) -> None:
    taken = dovecot.deliver(with_attachments("Catalogue", {"a.csv": CSV}), now(), folder)
    other = dovecot.deliver(with_attachments("Catalogue", {"b.csv": CSV}), now(), folder)
    with reader(dovecot).open(settings(dovecot, folder, after_import="seen"), PASSWORD) as session:
        session.acknowledge([str(taken)])
    seen = flags(dovecot, folder)
    assert b"\\Seen" in seen[taken] and b"\\Seen" not in seen[other]


def test_move_takes_the_message_to_the_folder(dovecot: Dovecot, folder: str) -> None:
    done = f"{folder}/Done"
    client = dovecot.client()
    client.create(quoted_mailbox(done))
    client.logout()
    taken = dovecot.deliver(with_attachments("Catalogue", {"a.csv": CSV}), now(), folder)
    kept = dovecot.deliver(with_attachments("Catalogue", {"b.csv": CSV}), now(), folder)
    with reader(dovecot).open(settings(dovecot, folder, after_import="move", move_to=done), PASSWORD) as session:
        session.acknowledge([str(taken)])
    assert set(flags(dovecot, folder)) == {kept}
    assert [item.name for item in list_items(dovecot, settings(dovecot, done))] == ["a.csv"]
    missing = settings(dovecot, folder, after_import="move", move_to="Nowhere")
    with pytest.raises(ImportSourceUnreachable) as caught, reader(dovecot).open(missing, PASSWORD) as session:
        session.acknowledge([str(kept)])
    assert caught.value.reason == "move_to folder 'Nowhere' was not found on 127.0.0.1"
    assert set(flags(dovecot, folder)) == {kept}


@pytest.mark.parametrize(
    "capability", ["IMAP4rev1 LITERAL+ UIDPLUS", "IMAP4rev1 LITERAL+"], ids=["without-move", "without-uidplus"]
)
def test_a_server_without_move_gets_a_copy_then_the_original_expunged(capability: str) -> None:
    """Servers older than RFC 6851: COPY, flag \\Deleted, then UID EXPUNGE of those messages only (UIDPLUS), or a
    plain EXPUNGE as the person's own client would do."""
    with dovecot_server(capability) as server:
        source, done = "Fournisseurs/Acme", "Fournisseurs/Acme/Done"
        client = server.client()
        client.create(quoted_mailbox(source))
        client.create(quoted_mailbox(done))
        client.logout()
        taken = server.deliver(with_attachments("Catalogue", {"a.csv": CSV}), now(), source)
        kept = server.deliver(with_attachments("Catalogue", {"b.csv": CSV}), now(), source)
        moving = settings(server, source, after_import="move", move_to=done)
        with reader(server).open(moving, PASSWORD) as session:
            assert "MOVE" not in session._mailbox.capabilities  # the fallback is what runs
            session.acknowledge([str(taken)])
        assert set(flags(server, source)) == {kept}
        assert [item.name for item in list_items(server, settings(server, done))] == ["a.csv"]


@contextmanager
def hostile_server(dovecot: Dovecot, answer: bytes) -> Iterator[int]:
    """An IMAPS server that logs anyone in and answers FETCH with `answer`, then holds the line."""
    context = dovecot.certificates.server_context()
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(10)

    def serve() -> None:
        try:
            raw, _address = listener.accept()
        except OSError:
            return
        try:
            with context.wrap_socket(raw, server_side=True) as conn, conn.makefile("rb") as lines:
                conn.sendall(b"* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready\r\n")
                for line in lines:
                    tag, command = line.split()[0], line.split()[1].upper() if len(line.split()) > 1 else b""
                    if command == b"AUTHENTICATE":
                        conn.sendall(b"+ \r\n")
                        lines.readline()
                    elif command == b"SELECT" or command == b"EXAMINE":
                        conn.sendall(b"* 1 EXISTS\r\n* OK [UIDVALIDITY 7] x\r\n")
                    elif line.split()[2:3] == [b"SEARCH"]:
                        conn.sendall(b"* SEARCH 1\r\n")
                    elif line.split()[2:3] == [b"FETCH"]:
                        conn.sendall(answer)
                        time.sleep(1)
                        return
                    conn.sendall(tag + b" OK done\r\n")
        except OSError:
            pass  # the client hung up first, as it should

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        listener.close()
        thread.join(timeout=5)


def test_a_server_announcing_a_huge_structure_fails_the_run_not_the_process(dovecot: Dovecot) -> None:
    answer = b"* 1 FETCH (UID 1 BODYSTRUCTURE {2000000000}\r\n" + b"x" * 65536
    started = time.monotonic()
    with hostile_server(dovecot, answer) as port:
        reason = unreachable(dovecot, port=port, timeout_seconds=2)
    assert reason.startswith(f"127.0.0.1:{port} sent an answer too large to read while listing messages")
    assert time.monotonic() - started < 2


def test_a_server_that_never_answers_fails_after_the_timeout_saying_the_same(
    dovecot: Dovecot, caplog: pytest.LogCaptureFixture
) -> None:
    started = time.monotonic()
    with silent_server() as port:
        for security in ("tls", "starttls"):
            reason = unreachable(dovecot, port=port, security=security, timeout_seconds=1)
            assert reason == f"could not connect to 127.0.0.1:{port}"  # an open port reads as a closed one
    assert time.monotonic() - started < 4
    assert "timed out" in caplog.text
