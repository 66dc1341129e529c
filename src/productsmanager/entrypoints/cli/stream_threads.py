"""Event streams get threads of their own in `serve`'s worker, so that they never hold the request thread.

A worker process runs ONE request thread (see `http_worker.THREADS`): a stream of progress events held by it
for minutes would stop that process from answering anything else. This dispatcher hands a connection whose
next request is for the event stream to a thread started for it, at most `streams` at once per process; past
that, the request goes to the request thread marked as an overflow, and the resource answers 503 at once.
A stream's thread ends with its stream: at its end of life, when the server stops (`CLOSING`), or when a write
fails because the client went away (waitress raises on a closed connection at the next heartbeat at the
latest). waitress sends each write at once (`send_bytes` is 1), so every event leaves when it is yielded."""

from __future__ import annotations

import logging
import threading
from typing import Any

from waitress.task import ThreadedTaskDispatcher

from productsmanager.entrypoints.falcon.events.resources import OVERFLOW_ENVIRON
from productsmanager.entrypoints.falcon.events.stream import CLOSING

STREAM_PATH = "/api/v1/events"
OVERFLOW_HEADER = OVERFLOW_ENVIRON.removeprefix("HTTP_")  # as waitress keeps request headers

log = logging.getLogger(__name__)


class StreamingDispatcher(ThreadedTaskDispatcher):  # type: ignore[misc]
    """waitress's dispatcher for every other request (its pool of request threads), plus stream threads."""

    def __init__(self, streams: int) -> None:
        super().__init__()
        self._streams = streams
        self._stream_lock = threading.Lock()
        self._stream_threads: set[threading.Thread] = set()

    def add_task(self, task: Any) -> None:
        if _is_stream(task):
            with self._stream_lock:
                if len(self._stream_threads) < self._streams and not CLOSING.is_set():
                    thread = threading.Thread(target=self._serve, args=(task,), name="pm-event-stream", daemon=True)
                    self._stream_threads.add(thread)
                    thread.start()
                    return
            task.requests[0].headers[OVERFLOW_HEADER] = "1"
        super().add_task(task)

    @property
    def streams(self) -> int:
        with self._stream_lock:
            return len(self._stream_threads)

    def _serve(self, task: Any) -> None:
        try:
            task.service()  # the channel's requests in order; a next one goes back through add_task
        except BaseException:
            log.exception("event stream failed: %r", task)
        finally:
            with self._stream_lock:
                self._stream_threads.discard(threading.current_thread())

    def shutdown(self, cancel_pending: bool = True, timeout: float = 5) -> bool:
        """Ends the streams (they look at CLOSING at least every second), then waitress's own threads."""
        CLOSING.set()
        with self._stream_lock:
            threads = list(self._stream_threads)
        for thread in threads:
            thread.join(timeout)
        return bool(super().shutdown(cancel_pending=cancel_pending, timeout=timeout))


def _is_stream(task: Any) -> bool:
    requests = getattr(task, "requests", None)
    if not requests:
        return False
    path = getattr(requests[0], "path", "") or ""
    return bool(path == STREAM_PATH or path.startswith(STREAM_PATH + "/") or path.startswith(STREAM_PATH + "?"))
