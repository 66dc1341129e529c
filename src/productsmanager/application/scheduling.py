"""The scheduler's tick, one shape for every kind of scheduled work (FTP sources, Odoo schedules): read the
candidates, keep those due now, claim each with a compare-and-set in its own transaction, and enqueue only
what this caller claimed. Two schedulers ticking at once therefore queue each due item once."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import TypeVar

from productsmanager.application.ports import UnitOfWork, UnitOfWorkFactory

T = TypeVar("T")
K = TypeVar("K")


def claim_due_and_enqueue(
    uow: UnitOfWorkFactory,
    candidates: Iterable[T],
    is_due: Callable[[T, datetime], bool],
    claim: Callable[[UnitOfWork, T, datetime], bool],
    enqueue: Callable[[T], None],
    identity: Callable[[T], K],
    now: datetime,
) -> list[K]:
    """The ids of the items enqueued, in the candidates' order. `claim` answers whether this caller won the
    item (it records the run starting at `now` only if nobody did since the candidate was read); the claim is
    committed before the item is enqueued, so a worker never runs an item the schedule does not show started."""
    queued = []
    for item in candidates:
        if not is_due(item, now):
            continue
        with uow() as unit:
            claimed = claim(unit, item, now)
            unit.commit()
        if claimed:
            enqueue(item)
            queued.append(identity(item))
    return queued
