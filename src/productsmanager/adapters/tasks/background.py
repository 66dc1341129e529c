"""A background thread for the embedded default's work off the request path (mail, imports, Odoo runs), so
that no request waits for (or fails with) a mail server, and transient failures are retried with backoff, as
the Dramatiq workers do in production."""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

from productsmanager.application.tasks import is_transient

log = logging.getLogger(__name__)
BACKOFF_SECONDS = (2.0, 10.0, 60.0)  # waits before the 2nd, 3rd and 4th attempts
# Work starts between one and three times this long after it is queued, at random. Run at once, it would
# compete (for the GIL, for SQLite's write lock) with the request that queued it, which would then be slower
# whenever it queued heavier work: the forgot-password answer for an existing account would take longer
# than for an unknown one. The random part keeps it from landing on requests in step with the caller's.
START_DELAY_SECONDS = 0.25


class BackgroundRunner:
    def __init__(
        self,
        backoff: tuple[float, ...] = BACKOFF_SECONDS,
        sleep: Callable[[float], None] = time.sleep,
        start_delay: float = START_DELAY_SECONDS,
    ) -> None:
        self._backoff = backoff
        self._sleep = sleep
        self._start_delay = start_delay
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="pm-background")
        self._pending: set[Future[None]] = set()
        self._lock = threading.Lock()

    def submit(self, name: str, work: Callable[[], object]) -> None:
        due = time.monotonic() + self._start_delay * random.uniform(1.0, 3.0)
        future = self._pool.submit(self._run, name, work, due)
        with self._lock:
            self._pending.add(future)
        future.add_done_callback(self._forget)

    def drain(self, timeout: float = 30.0) -> bool:
        """Waits for the work submitted so far; False if some is still running after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                pending = list(self._pending)
            if not pending:
                return True
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            try:
                for future in pending:
                    future.exception(timeout=max(0.0, remaining))
            except FutureTimeout:
                return False

    def _forget(self, future: Future[None]) -> None:
        with self._lock:
            self._pending.discard(future)

    def _run(self, name: str, work: Callable[[], object], due: float) -> None:
        time.sleep(max(0.0, due - time.monotonic()))  # a backlog is not delayed again
        for attempt in range(len(self._backoff) + 1):
            try:
                work()
                return
            except Exception as error:
                if not is_transient(error) or attempt == len(self._backoff):
                    log.exception("%s failed after %d attempt(s); not retried", name, attempt + 1)
                    return
                log.warning("%s failed (%s); retrying in %.0f s", name, error, self._backoff[attempt])
                self._sleep(self._backoff[attempt])
