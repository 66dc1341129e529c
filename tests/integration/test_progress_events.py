"""Progress events through the container, on PostgreSQL and SQLite: an uploaded supplier file's import, run by
the task queue, publishes its states on `container.event_bus` up to its outcome, whose counts are the job's."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from dependency_injector import providers

from tests.integration.helpers import Backend, Users
from tests.integration.import_helpers import ACME_PROFILE, finished, supplier_with_profile, upload
from tests.unit.event_fakes import RecordingEvents

pytestmark = pytest.mark.integration


@pytest.fixture
def events(backend: Backend) -> Iterator[RecordingEvents]:
    recording = RecordingEvents()
    with backend.container.event_bus.override(providers.Object(recording)):
        yield recording


def test_an_uploaded_import_publishes_its_progress_up_to_its_outcome(
    backend: Backend, users: Users, events: RecordingEvents
) -> None:
    supplier_with_profile(backend, users.editor, "ACME", ACME_PROFILE)
    accepted = upload(backend, users.editor, "acme_catalogue_cp1252.csv", "ACME")
    assert accepted.status_code == 202, accepted.text
    job = finished(backend, users.editor, accepted.json["id"])  # the queue drained: every event is published
    topic = f"import:{job['id']}"
    assert events.topics() == {topic}
    assert events.statuses(topic) == ["pending", "processing", "completed_with_errors"]
    assert events.last(topic) == {
        "status": job["status"], "counts": job["counts"], "failure_reason": None, "attempts": job["attempts"],
    }  # fmt: skip
