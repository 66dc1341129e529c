"""Import notifications over a real SMTP conversation: a file with rejected rows, imported on the embedded
default (SQLite, the background thread), mails the error e-mail to the recipients of the settings."""

from __future__ import annotations

import email
import email.policy
import time
from pathlib import Path

import pytest

from productsmanager.adapters.sqlalchemy.migrate import upgrade
from productsmanager.config import Config
from productsmanager.container import build_container
from productsmanager.domain.imports.jobs import JobSource
from tests.integration.import_helpers import ACME_PROFILE, SAMPLES
from tests.integration.smtp_server import Mailbox, smtp_server

pytestmark = pytest.mark.integration


def test_an_import_with_errors_mails_the_error_e_mail(tmp_path: Path) -> None:
    mailbox = Mailbox()
    with smtp_server(mailbox) as port:
        environ = {
            "PM_DATA_DIR": str(tmp_path),
            "PM_SMTP_URL": f"smtp://127.0.0.1:{port}",
            "PM_SMTP_TIMEOUT_SECONDS": "2",
        }
        container = build_container(Config.from_env(environ))
        upgrade(container.engine())
        supplier = container.supplier_service().create({"code": "ACME", "name": "Acme"})
        container.import_manager().save_profile(supplier.id, ACME_PROFILE)
        container.settings_administration().update_section(
            "notifications", {"emailImportError": True, "recipients": ["buyer@example.com", "ops@example.com"]}, None
        )
        path = SAMPLES / "acme_catalogue_cp1252.csv"
        job = container.import_manager().submit("ACME", path.name, path, JobSource.UPLOAD)
        assert container.task_queue().drain(timeout=30)
        deadline = time.monotonic() + 10
        while len(mailbox.envelopes) < 2 and time.monotonic() < deadline:
            time.sleep(0.02)
        container.engine().dispose()
    messages = [email.message_from_bytes(e.original_content, policy=email.policy.default) for e in mailbox.envelopes]
    assert sorted(str(m["To"]) for m in messages) == ["buyer@example.com", "ops@example.com"]
    text = messages[0].get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "completed with errors" in str(messages[0]["Subject"]) and "ACME" in text
    assert "row 4" in text and f"/api/v1/imports/{job.id}" in text
