"""Migration 0026 adds the table of the progress events' last states (both databases), from 0025: the embedded
bus works on it at once, and the downgrade takes it away again."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import Engine, inspect

from productsmanager.adapters.clock import SystemClock
from productsmanager.adapters.events.embedded import EmbeddedEventBus
from productsmanager.adapters.sqlalchemy.event_states import SqlAlchemyEventStates
from productsmanager.adapters.sqlalchemy.migrate import alembic_config, upgrade
from productsmanager.domain.events import Topic

pytestmark = pytest.mark.integration
BEFORE = "0025_odoo_webhooks"
JOB = Topic.parse("import:job-1")


def test_from_0025_the_table_is_made_used_and_removed_again(fresh_engine: Engine) -> None:
    upgrade(fresh_engine, BEFORE)
    assert "event_states" not in inspect(fresh_engine).get_table_names()
    upgrade(fresh_engine, "0026_event_states")
    columns = {column["name"] for column in inspect(fresh_engine).get_columns("event_states")}
    assert columns == {"topic", "kind", "sequence", "state", "updated_at"}
    assert "ix_event_states_sequence" in {index["name"] for index in inspect(fresh_engine).get_indexes("event_states")}

    bus = EmbeddedEventBus(SqlAlchemyEventStates(fresh_engine, SystemClock()))
    bus.publish(JOB, {"status": "running"})
    bus.publish(JOB, {"status": "completed"})
    assert [(e.sequence, dict(e.state)) for e in bus.latest([JOB])] == [(2, {"status": "completed"})]

    config = alembic_config()
    with fresh_engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, BEFORE)
    assert "event_states" not in inspect(fresh_engine).get_table_names()
