"""When background work needs taking over: work accepted but never started (its message was lost, or the
broker was down when it was queued) and work whose worker died (no heartbeat for the stall time).

The same rules decide three things: what the scheduler's sweep dispatches again, when a redelivered message
for work still marked running is worth another look, and how often a running worker beats."""

from __future__ import annotations

from datetime import datetime, timedelta

from attrs import frozen

from productsmanager.domain.errors import Conflict

MIN_RETRY = timedelta(seconds=1)
MAX_BEAT = timedelta(seconds=10)
# Work whose worker died this many times while running it is failed instead of run again: it may well be what
# kills the worker (a file or an image that exhausts its memory). A person can still retry it on purpose.
MAX_ATTEMPTS = 3


def abandoned_reason(attempts: int) -> str:
    return f"stopped after {attempts} attempts: the worker running it died each time (it may crash the worker)"


class WorkStillRunning(Conflict):
    """The work is marked running and its worker beat recently: it may be alive. A redelivered message for it
    comes back in `retry_in`, when the heartbeat would be stale if the worker were gone."""

    def __init__(self, what: str, retry_in: timedelta) -> None:
        super().__init__(f"{what} is running (retry in {retry_in.total_seconds():.0f} s)")
        self.retry_in = retry_in


class WorkAbandoned(Conflict):
    """The work stalled after `MAX_ATTEMPTS` attempts: it was recorded as failed, and this message is done."""


@frozen
class RecoveryRules:
    """`stall_after`: how long running work may go without a heartbeat before it counts as abandoned.
    `grace`: how long accepted work may wait for a worker before the sweep dispatches it (again)."""

    stall_after: timedelta
    grace: timedelta

    def __attrs_post_init__(self) -> None:
        if self.stall_after <= timedelta(0) or self.grace <= timedelta(0):
            raise ValueError("the stall time and the dispatch grace must be positive")

    def is_stalled(self, heartbeat: datetime, now: datetime) -> bool:
        return now - heartbeat >= self.stall_after

    def retry_in(self, heartbeat: datetime, now: datetime) -> timedelta:
        return retry_in(heartbeat, now, self.stall_after)

    def pending_due(self, created_at: datetime, dispatched_at: datetime | None, now: datetime) -> bool:
        """Pending work is dispatched again once it has waited the grace since it was accepted or last
        dispatched: a lost message or an enqueue that failed costs one grace period, not a person."""
        return now - max(created_at, dispatched_at or created_at) >= self.grace

    def pending_cutoff(self, now: datetime) -> datetime:
        """Pending work accepted or dispatched at or before this is due (`pending_due` as a bound for SQL)."""
        return now - self.grace

    def stall_cutoff(self, now: datetime) -> datetime:
        """Running work whose last heartbeat is at or before this is stalled (`is_stalled` as a bound)."""
        return now - self.stall_after


def retry_in(heartbeat: datetime, now: datetime, stall_after: timedelta) -> timedelta:
    """When a redelivered message for running work should look again: just after the heartbeat would turn
    stale, never sooner than a second (a clock skew must not make it spin)."""
    return max(MIN_RETRY, heartbeat + stall_after - now + MIN_RETRY)


def may_take_over(
    what: str, running: bool, last_beat: datetime, attempts: int, now: datetime, stall_after: timedelta
) -> bool:
    """The rule a new attempt of any work (an import job, an Odoo run) follows before claiming it: work not
    running may be started; running work whose worker beat within `stall_after` raises `WorkStillRunning`;
    running work that stalled is taken over, unless it already did `MAX_ATTEMPTS` times: then False, and the
    caller records it failed (`abandoned_reason`) and raises `WorkAbandoned`."""
    if running and now - last_beat < stall_after:
        raise WorkStillRunning(what, retry_in(last_beat, now, stall_after))
    return not (running and attempts >= MAX_ATTEMPTS)


def beat_every(stall_after: timedelta) -> timedelta:
    """A quarter of the stall time (at most 10 s): three missed beats are not yet a stall."""
    return min(MAX_BEAT, stall_after / 4)
