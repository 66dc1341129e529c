"""A real IMAP server for the tests: Debian's Dovecot on 127.0.0.1, on free ports (IMAPS, and a plain port for
STARTTLS), with a throwaway certificate, a temporary maildir store and passwd-file users; its base, state and
log live in one temporary directory, removed when it stops. Messages arrive by IMAP APPEND, with the arrival
time (INTERNALDATE) the test chooses."""

from __future__ import annotations

import imaplib
import os
import shutil
import ssl
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import pytest
from attrs import frozen

from productsmanager.adapters.imap.session import quoted_mailbox
from tests.integration.smtp_server import Certificates, free_port, make_certificates

DOVECOT = Path("/usr/sbin/dovecot")
USER, PASSWORD = "acme-supplier", "Imap-pa55-é-7f3k"  # not ASCII: logging in takes AUTHENTICATE PLAIN
ASCII_USER, ASCII_PASSWORD = "plain-supplier", "ascii-Pa55-9d2q"  # ASCII: LOGIN
NOBODY = 65534  # Dovecot refuses to deliver mail as root: the store belongs to nobody when the tests are root


@frozen
class Dovecot:
    imaps_port: int
    imap_port: int
    certificates: Certificates
    log_file: Path

    def client(self, user: str = USER, password: str = PASSWORD) -> imaplib.IMAP4_SSL:
        """The test's own view of the mailbox (to deliver messages, read flags and folders)."""
        context = ssl.create_default_context(cafile=str(self.certificates.ca_file))
        client = imaplib.IMAP4_SSL("127.0.0.1", self.imaps_port, ssl_context=context, timeout=10)
        client.authenticate("PLAIN", lambda _: f"\0{user}\0{password}".encode())
        return client

    def deliver(self, raw: bytes, received_at: datetime, mailbox: str = "INBOX", user: str = USER) -> int:
        """Appends a message as if it had arrived at `received_at`; returns its UID."""
        client = self.client(user, PASSWORD if user == USER else ASCII_PASSWORD)
        try:
            typ, data = client.append(quoted_mailbox(mailbox), None, imaplib.Time2Internaldate(received_at), raw)
            assert typ == "OK", data
            return int(data[0].split(b"]")[0].split()[-1])  # [APPENDUID validity uid]
        finally:
            client.logout()


def _config(root: Path, certificates: Certificates, imaps_port: int, imap_port: int, capability: str | None) -> str:
    """Loopback only; plain-text logins only after STARTTLS; no delay after a refused login (neither the
    reply's nor anvil's growing penalty, which would slow every later test of the process)."""
    return f"""
base_dir = {root}/run
state_dir = {root}/state
instance_name = pm-test-{imaps_port}
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
{f"imap_capability = {capability}" if capability else ""}
ssl = yes
ssl_cert = <{certificates.cert_file}
ssl_key = <{certificates.key_file}
ssl_min_protocol = TLSv1.2
disable_plaintext_auth = yes
auth_mechanisms = plain login
auth_failure_delay = 0
default_internal_user = dovecot
default_login_user = dovenull
mail_location = maildir:~/Maildir
namespace inbox {{
  inbox = yes
  separator = /
}}
passdb {{
  driver = passwd-file
  args = {root}/passwd
}}
userdb {{
  driver = passwd-file
  args = {root}/passwd
}}
service anvil {{
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {imap_port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {imaps_port}
    ssl = yes
  }}
}}
"""


@contextmanager
def dovecot_server(capability: str | None = None) -> Iterator[Dovecot]:
    """`capability`: what the server announces once logged in, instead of Dovecot's own list (a server without
    MOVE, say)."""
    if not os.access(DOVECOT, os.X_OK):
        pytest.fail(f"{DOVECOT} is missing: run scripts/bootstrap.sh (it installs Debian's dovecot-imapd)")
    root = Path(tempfile.mkdtemp(prefix="pm-dovecot-"))
    root.chmod(0o755)  # the mail processes run as the store's owner, not as root
    process: subprocess.Popen[bytes] | None = None
    try:
        certificates = make_certificates(root)
        uid = os.getuid() or NOBODY
        lines = []
        for user, password in ((USER, PASSWORD), (ASCII_USER, ASCII_PASSWORD)):
            home = root / "mail" / user
            home.mkdir(parents=True)
            lines.append(f"{user}:{{PLAIN}}{password}:{uid}:{uid}::{home}::\n")
        for path in (root / "mail", *(root / "mail").iterdir()):
            os.chown(path, uid, uid)
        (root / "passwd").write_text("".join(lines), encoding="utf-8")
        imaps_port, imap_port = free_port(), free_port()
        config = root / "dovecot.conf"
        config.write_text(_config(root, certificates, imaps_port, imap_port, capability), encoding="utf-8")
        with (root / "stderr.log").open("wb") as stderr:  # the child keeps its own copy of the descriptor
            process = subprocess.Popen([str(DOVECOT), "-F", "-c", str(config)], stderr=stderr)
        server = Dovecot(imaps_port, imap_port, certificates, root / "dovecot.log")
        _wait_until_listening(process, server)
        yield server
    finally:
        if process is not None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)
        shutil.rmtree(root, ignore_errors=True)


def _wait_until_listening(process: subprocess.Popen[bytes], server: Dovecot) -> None:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if process.poll() is not None:
            error = (server.log_file.parent / "stderr.log").read_text(errors="replace")
            pytest.fail(f"dovecot stopped at once: {error} {_log(server)}")
        try:
            server.client().logout()
            return
        except (OSError, imaplib.IMAP4.error):
            time.sleep(0.1)
    pytest.fail(f"dovecot did not answer on 127.0.0.1:{server.imaps_port} within 15 s: {_log(server)}")


def _log(server: Dovecot) -> str:
    return server.log_file.read_text(errors="replace")[-2000:] if server.log_file.exists() else ""
