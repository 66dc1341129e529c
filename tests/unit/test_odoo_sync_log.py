"""The sync log's direction, status and action are enumerations whose values are the text stored and served."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from productsmanager.application.odoo.log_ports import LogFilter
from productsmanager.domain.odoo.runs import SyncLogAction, SyncLogEntry, SyncLogStatus
from productsmanager.domain.odoo.schedules import SyncDirection


def test_an_entry_read_back_from_its_stored_text_equals_the_entry_written() -> None:
    entry_id, run_id, now = uuid.uuid4(), uuid.uuid4(), datetime(2025, 1, 2, tzinfo=UTC)
    written = SyncLogEntry(
        entry_id, run_id, None, SyncDirection.EXPORT, SyncLogStatus.SUCCESS, SyncLogAction.CREATED, 7, None, now
    )
    read = SyncLogEntry(entry_id, run_id, None, "export", "success", "created", 7, None, now)  # type: ignore[arg-type]
    assert read == written
    assert (read.direction, read.status, read.action) == ("export", "success", "created")
    assert isinstance(read.status, SyncLogStatus) and isinstance(read.action, SyncLogAction)


def test_a_failed_entry_has_no_action() -> None:
    entry = SyncLogEntry(uuid.uuid4(), uuid.uuid4(), None, "import", "failed", None, 3, "no barcode", datetime.now(UTC))  # type: ignore[arg-type]
    assert entry.action is None and entry.status is SyncLogStatus.FAILED and entry.direction is SyncDirection.IMPORT


def test_the_log_filter_takes_the_query_text() -> None:
    log_filter = LogFilter(status="failed", direction="export")  # type: ignore[arg-type]
    assert log_filter.status is SyncLogStatus.FAILED and log_filter.direction is SyncDirection.EXPORT
    assert LogFilter().status is None and LogFilter().direction is None


def test_the_values_are_those_stored_and_served() -> None:
    assert [s.value for s in SyncLogStatus] == ["success", "failed"]
    assert [a.value for a in SyncLogAction] == ["created", "updated", "unchanged", "adopted", "skipped"]
    assert [d.value for d in SyncDirection] == ["export", "import"]
