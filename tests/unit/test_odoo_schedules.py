"""Odoo sync schedules: validation, when one is due, and what a run and a toggle change."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from productsmanager.domain.errors import ValidationFailed
from productsmanager.domain.odoo.schedules import SyncDirection, SyncSchedule

T0 = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)
MINIMAL = {"name": "Nightly export", "direction": "export", "interval_minutes": 60}

times = st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1), timezones=st.just(UTC))
schedules = st.builds(
    SyncSchedule,
    id=st.uuids(),
    name=st.just("sync"),
    direction=st.sampled_from(list(SyncDirection)),
    interval_minutes=st.integers(5, 10_080),
    product_filter=st.just({}),
    enabled=st.booleans(),
    last_run_at=st.none() | times,
    next_run_at=st.none() | times,
)


@given(schedules, times)
def test_due_exactly_when_enabled_and_never_ran_or_its_time_has_come(schedule: SyncSchedule, now: datetime) -> None:
    never_ran = schedule.last_run_at is None or schedule.next_run_at is None
    expected = schedule.enabled and (never_ran or now >= schedule.next_run_at)  # type: ignore[operator]
    assert schedule.is_due(now) is expected


@given(schedules, times)
def test_after_a_run_it_is_due_again_one_interval_later(schedule: SyncSchedule, run_at: datetime) -> None:
    ran = schedule.ran(run_at)
    assert ran.last_run_at == run_at
    assert ran.next_run_at == run_at + timedelta(minutes=schedule.interval_minutes) == schedule.next_after(run_at)
    assert not ran.is_due(run_at + timedelta(minutes=schedule.interval_minutes) - timedelta(microseconds=1))
    assert ran.is_due(ran.next_run_at) is schedule.enabled


@given(schedules)
def test_toggle_flips_enabled_and_nothing_else(schedule: SyncSchedule) -> None:
    toggled = schedule.toggle()
    assert toggled.enabled is not schedule.enabled
    assert toggled.toggle() == schedule


def test_a_new_schedule_is_due_at_once_and_parses_from_json() -> None:
    schedule = SyncSchedule.new("Hourly import", SyncDirection.IMPORT, 60, {"brand": "Bosch"})
    assert (schedule.enabled, schedule.last_run_at, schedule.next_run_at) == (True, None, None)
    assert schedule.is_due(T0)
    shown = schedule.to_json()
    assert shown["direction"] == "import" and shown["product_filter"] == {"brand": "Bosch"}
    parsed = SyncSchedule.parse(
        {key: shown[key] for key in ("name", "direction", "interval_minutes", "product_filter")}
    )
    assert (parsed.name, parsed.direction, parsed.product_filter) == (
        "Hourly import",
        SyncDirection.IMPORT,
        {"brand": "Bosch"},
    )
    assert SyncSchedule.parse(MINIMAL).product_filter == {}


def test_revising_the_interval_counts_from_the_last_run() -> None:
    schedule = SyncSchedule.new("Daily", "export", 1440).ran(T0)
    revised = schedule.revise({"interval_minutes": 30, "name": " Half-hourly "})
    assert (revised.name, revised.next_run_at) == ("Half-hourly", T0 + timedelta(minutes=30))
    assert revised.id == schedule.id and revised.is_due(T0 + timedelta(minutes=30))


def fields_refused(raw: dict[str, Any]) -> set[str | None]:
    with pytest.raises(ValidationFailed) as caught:
        SyncSchedule.parse(raw)
    return {error.field for error in caught.value.errors}


@pytest.mark.parametrize(
    ("changes", "refused"),
    [({"interval_minutes": 4}, {"interval_minutes"}), ({"interval_minutes": 10_081}, {"interval_minutes"}),
     ({"interval_minutes": True}, {"interval_minutes"}), ({"interval_minutes": "60"}, {"interval_minutes"}),
     ({"direction": "both"}, {"direction"}), ({"name": "  "}, {"name"}), ({"name": "x" * 101}, {"name"}),
     ({"enabled": "yes"}, {"enabled"}), ({"product_filter": ["brand"]}, {"product_filter"}),
     ({"product_filter": {"Brand!": "x"}}, {"product_filter"}), ({"product_filter": {"brand": 3}}, {"product_filter"}),
     ({"colour": "red"}, {"colour"}), ({"name": None, "direction": None}, {"name", "direction"})],
)  # fmt: skip
def test_invalid_schedules_are_refused_with_each_field_named(changes: dict[str, Any], refused: set[str]) -> None:
    assert fields_refused({**MINIMAL, **changes}) == refused


def test_required_fields_are_named_when_missing() -> None:
    assert fields_refused({}) == {"name", "direction", "interval_minutes"}
    assert {5, 10_080} == {SyncSchedule.parse({**MINIMAL, "interval_minutes": m}).interval_minutes for m in (5, 10_080)}
