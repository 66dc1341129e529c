"""The health report of `GET /api/v1/health`: each dependency checked with a short timeout, all at once, so
a load balancer or an operator sees which one is down within a few seconds, whatever hangs."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor, wait
from typing import Protocol

from attrs import frozen

log = logging.getLogger(__name__)

OK = "ok"
UNAVAILABLE = "unavailable"
DEADLINE_SECONDS = 3.0  # the whole report; a check still running then counts as unavailable


class DependencyCheck(Protocol):
    """One dependency as the health report sees it. `name` is its key in the report (`database`, `broker`,
    `media_store`); `backend` says which technology serves it (`postgresql`, `redis`, `inline`, `s3`...)."""

    name: str
    backend: str

    def check(self) -> None:
        """Returns when the dependency answers; raises (any exception) when it does not. Must bound its own
        waiting (connect and read timeouts): the report abandons a check after `DEADLINE_SECONDS`."""
        ...


@frozen
class CheckResult:
    status: str
    backend: str


@frozen
class HealthReport:
    checks: dict[str, CheckResult]

    @property
    def ok(self) -> bool:
        return all(result.status == OK for result in self.checks.values())

    @property
    def status(self) -> str:
        return OK if self.ok else UNAVAILABLE


class HealthMonitor:
    def __init__(self, checks: Sequence[DependencyCheck], deadline: float = DEADLINE_SECONDS) -> None:
        self._checks = tuple(checks)
        self._deadline = deadline

    def report(self) -> HealthReport:
        """Runs every check in its own thread; what failed or did not answer in time is `unavailable`, and
        the reason goes to the log only (the report is open to anyone: no host names or driver messages)."""
        executor = ThreadPoolExecutor(max_workers=max(1, len(self._checks)), thread_name_prefix="health")
        try:
            futures = {check.name: executor.submit(check.check) for check in self._checks}
            wait(futures.values(), timeout=self._deadline)
        finally:
            executor.shutdown(wait=False, cancel_futures=True)  # a hung check ends by its own timeout
        results: dict[str, CheckResult] = {}
        for check in self._checks:
            future = futures[check.name]
            status = OK
            if not future.done():
                status = UNAVAILABLE
                log.warning("health: %s did not answer within %s s", check.name, self._deadline)
            elif future.exception() is not None:
                status = UNAVAILABLE
                log.warning("health: %s is unavailable: %r", check.name, future.exception())
            results[check.name] = CheckResult(status, check.backend)
        return HealthReport(results)
