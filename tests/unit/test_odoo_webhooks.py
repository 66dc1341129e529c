"""Changes pushed from Odoo, on fakes: the token (shown once, kept as a digest), deliveries answered at once
and imported once per change whatever the duplicates, replays, reordering and bursts, Odoo down deferred."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from productsmanager.application.odoo.odoo_webhooks import OdooRecordRefresh, OdooWebhooks
from productsmanager.application.odoo.webhook_ports import Arrival, Outcome
from productsmanager.domain.errors import Conflict, NotFound, ValidationFailed
from productsmanager.domain.odoo.instances import DEFAULT_INSTANCE_ID
from productsmanager.domain.odoo.webhooks import WebhookDelivery, odoo_datetime, token_matches
from tests.recording_task_queue import RecordingTaskQueue
from tests.unit.fakes import FakeClock
from tests.unit.odoo_webhook_fakes import FakeOdooRecords, WebhookUnitOfWork

T0 = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
MODEL = "product.product"


class World:
    def __init__(self) -> None:
        self.uow, self.tasks, self.clock = WebhookUnitOfWork(), RecordingTaskQueue(), FakeClock()
        self.odoo = FakeOdooRecords()
        self.webhooks = OdooWebhooks(self.uow, self.tasks, self.clock, lambda i: i == DEFAULT_INSTANCE_ID)
        self.refresh = OdooRecordRefresh(self.uow, self.odoo, self.tasks, self.clock)
        self.token = self.webhooks.enable(DEFAULT_INSTANCE_ID).value
        self.processed = 0

    def deliver(self, record_id: int, at: datetime | None) -> Arrival:
        body = {"_action": "Catalog(#7)", "_id": record_id, "_model": MODEL, "id": record_id}
        if at is not None:
            body["write_date"] = at.strftime("%Y-%m-%d %H:%M:%S")
        return self.webhooks.receive(DEFAULT_INSTANCE_ID, self.token, body)

    def work(self) -> list[Outcome | None]:
        """Runs the imports queued since the last call until none is left, as the workers would."""
        done = []
        while queued := self.tasks.args_of("import_odoo_record")[self.processed :]:
            self.processed += len(queued)
            done += [self.refresh.run(*args) for args in queued]
        return done


def test_the_token_is_shown_once_kept_as_a_digest_and_compared_whole() -> None:
    world = World()
    stored = world.uow.odoo_webhooks.settings(DEFAULT_INSTANCE_ID)
    assert stored is not None and stored.token_digest != world.token and len(world.token) >= 40
    assert token_matches(stored.token_digest, world.token) and not token_matches(stored.token_digest, world.token[:-1])
    rotated = world.webhooks.rotate(DEFAULT_INSTANCE_ID).value
    with pytest.raises(NotFound):
        world.webhooks.receive(DEFAULT_INSTANCE_ID, world.token, {"_id": 1, "_model": MODEL})  # the old one
    assert world.webhooks.receive(DEFAULT_INSTANCE_ID, rotated, {"_id": 1, "_model": MODEL}) is Arrival.QUEUED
    world.webhooks.disable(DEFAULT_INSTANCE_ID)
    with pytest.raises(NotFound):
        world.webhooks.receive(DEFAULT_INSTANCE_ID, rotated, {"_id": 1, "_model": MODEL})
    with pytest.raises(Conflict):
        world.webhooks.rotate(DEFAULT_INSTANCE_ID)
    with pytest.raises(NotFound):
        world.webhooks.enable(uuid.uuid4())


def test_a_body_that_is_not_odoo_s_is_refused_by_field() -> None:
    world = World()
    with pytest.raises(ValidationFailed) as refused:
        world.webhooks.receive(DEFAULT_INSTANCE_ID, world.token, {"_id": "7", "_model": "res.partner"})
    assert [e.field for e in refused.value.errors] == ["_model", "_id"]
    assert world.tasks.args_of("import_odoo_record") == []


def test_a_burst_for_one_record_makes_one_import_and_duplicates_none() -> None:
    world = World()
    world.odoo.times[(MODEL, 5)] = T0 + timedelta(minutes=3)
    arrivals = [world.deliver(5, T0 + timedelta(minutes=m)) for m in (1, 2, 3)]
    assert arrivals == [Arrival.QUEUED, Arrival.COALESCED, Arrival.COALESCED]
    assert world.work() == [Outcome.IMPORTED]
    assert world.odoo.taken == [(MODEL, 5, T0 + timedelta(minutes=3))]
    assert world.deliver(5, T0 + timedelta(minutes=3)) is Arrival.DUPLICATE  # a duplicate of the last
    assert world.deliver(5, T0 + timedelta(minutes=1)) is Arrival.DUPLICATE  # an older one, late
    assert world.work() == [] and world.refresh.run(DEFAULT_INSTANCE_ID, MODEL, 5) is None  # a redelivered task


def test_a_change_announced_during_an_import_is_imported_after_it() -> None:
    world = World()
    world.odoo.times[(MODEL, 5)] = T0
    world.deliver(5, T0)

    def later_change() -> None:
        world.odoo.times[(MODEL, 5)] = T0 + timedelta(minutes=1)
        assert world.deliver(5, T0 + timedelta(minutes=1)) is Arrival.COALESCED  # while the import runs

    world.odoo.after_take = later_change
    assert world.work() == [Outcome.IMPORTED, Outcome.IMPORTED]
    assert [at for _, _, at in world.odoo.taken] == [T0, T0 + timedelta(minutes=1)]


def test_odoo_down_defers_the_record_and_a_skewed_time_never_loops() -> None:
    world = World()
    world.odoo.times[(MODEL, 5)] = T0
    world.odoo.down = True
    world.deliver(5, T0)
    assert world.work() == [Outcome.DEFERRED]
    now = world.clock.now()
    assert world.uow.odoo_webhooks.claim_stalled(now, now, now, 10) == [(DEFAULT_INSTANCE_ID, MODEL, 5)]
    world.odoo.down = False
    assert world.refresh.run(DEFAULT_INSTANCE_ID, MODEL, 5) is Outcome.IMPORTED  # the sweep's retry
    world.deliver(6, T0 + timedelta(hours=1))  # announced later than Odoo's own time of the record
    world.odoo.times[(MODEL, 6)] = T0
    assert world.work() == [Outcome.IMPORTED]  # taken once, not again and again
    assert world.uow.odoo_webhooks.status(DEFAULT_INSTANCE_ID).pending == 0


CHANGES = st.lists(st.tuples(st.integers(1, 6), st.integers(0, 20)), min_size=1, max_size=40)


@settings(max_examples=60, deadline=None)
@given(CHANGES, st.integers(0, 3), st.randoms(use_true_random=False), st.integers(1, 5))
def test_whatever_the_order_each_record_ends_imported_at_its_newest_change(
    changes: list[tuple[int, int]], replays: int, shuffler: random.Random, batch: int
) -> None:
    """Deliveries of changes in any order, with duplicates and replays, processed as they come in batches:
    each record is imported at least once and ends at its newest time; no import is of an older time than
    one before it; duplicates never import."""
    world = World()
    deliveries = [(record, T0 + timedelta(minutes=minute)) for record, minute in changes]
    deliveries += shuffler.sample(deliveries, min(replays, len(deliveries)))
    shuffler.shuffle(deliveries)
    newest = {record: max(at for r, at in deliveries if r == record) for record, _ in deliveries}
    for index, (record, at) in enumerate(deliveries):
        world.odoo.times[(MODEL, record)] = max(at, world.odoo.times.get((MODEL, record), at))
        world.deliver(record, at)
        if index % batch == 0:
            world.work()
    world.work()
    last = {record: at for _, record, at in world.odoo.taken}
    assert last == newest
    for record in newest:
        times = [at for _, r, at in world.odoo.taken if r == record]
        assert times == sorted(set(times))  # never the same change twice, never back in time


@given(st.text(max_size=30))
def test_odoo_times_parse_or_refuse_by_name(raw: str) -> None:
    try:
        parsed = odoo_datetime(raw, "write_date")
    except Exception as refused:
        assert getattr(refused, "field", None) == "write_date"
    else:
        assert parsed.tzinfo is not None


def test_a_delivery_keeps_only_the_record_s_identity_and_time() -> None:
    body = {"_id": 9, "_model": "product.template", "write_date": "2026-12-01 08:00:00.123456", "list_price": 99}
    delivery = WebhookDelivery.parse(body)
    assert delivery == WebhookDelivery("product.template", 9, datetime(2026, 12, 1, 8, 0, 0, 123456, tzinfo=UTC))


def test_an_instance_no_longer_configured_fails_the_record_once() -> None:
    world = World()
    world.odoo.unconfigured = True
    world.deliver(5, T0)
    assert world.work() == [Outcome.FAILED]
    status = world.uow.odoo_webhooks.status(DEFAULT_INSTANCE_ID)
    assert status.pending == 0 and status.failed == 1
