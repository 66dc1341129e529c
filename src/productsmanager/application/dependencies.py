"""The one error every port promises when the service behind it cannot be reached, and the rule for work
whose record is written but whose task could not be queued.

A port (rate counter, reset-token store, task queue, media store, unit of work) whose adapter cannot connect
to its server, or times out waiting for it, raises `DependencyUnavailable` naming the dependency. It is not the
caller's fault and it passes: the HTTP API answers 503 with `Retry-After`, never 500."""

from __future__ import annotations

import logging
from collections.abc import Callable

from productsmanager.domain.errors import ProductsManagerError

log = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30  # what a client is told to wait: long enough for a restart or a failover


class DependencyUnavailable(ProductsManagerError):
    """`dependency` is the name the health report uses (`database`, `broker`, `media_store`, `redis`);
    `detail` is for the log (host, driver message), not for clients."""

    code = "dependency_unavailable"

    def __init__(self, dependency: str, detail: str = "", retry_after: int = RETRY_AFTER_SECONDS) -> None:
        super().__init__(f"{dependency} is unavailable" + (f": {detail}" if detail else ""))
        self.dependency = dependency
        self.detail = detail
        self.retry_after = retry_after


def queue_recorded_work(send: Callable[[], None], what: str) -> bool:
    """Queues the task of work already recorded as pending (an import job, a run, a media file's thumbnails).

    When the broker is down the request still succeeds: the record stays pending and the scheduler's sweep
    dispatches it once the broker is back, so nothing is lost and the client is not told to send it again
    (which would record it twice). Returns False when the task is left for the sweep. Work that records
    nothing (a reset e-mail) must not use this: its caller lets `DependencyUnavailable` reach the client."""
    try:
        send()
    except DependencyUnavailable as error:
        log.warning("%s is recorded as pending; its task was not queued (%s): the sweep will dispatch it", what, error)
        return False
    return True
