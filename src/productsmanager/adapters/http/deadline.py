"""A time limit for a whole HTTP exchange, not one socket operation at a time.

A socket timeout bounds each `recv`; a server that drips one byte a second (in the status line, the headers,
a chunk header or the body) satisfies every one of them for as long as it likes. The watchdog here bounds the
total: when the deadline passes it shuts the connection's socket down from another thread, which ends whatever
read is blocked (it returns end-of-file or fails), and says so (`fired`), so that the caller reports a timeout
rather than the truncated answer it was left with."""

from __future__ import annotations

import contextlib
import http.client
import socket
import threading
import time
from collections.abc import Callable
from types import TracebackType

CONNECTING_POLL_SECONDS = 0.05


class Deadline:
    """`seconds` from now, on a monotonic clock."""

    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._end = clock() + seconds
        self.seconds = seconds

    def remaining(self) -> float:
        return max(0.0, self._end - self._clock())

    @property
    def expired(self) -> bool:
        return self._clock() >= self._end


class Watchdog:
    """`with Watchdog(connection, deadline):` around one exchange of an http.client connection. A connection
    still without a socket when the deadline passes (connecting: its own timeout, at most the time that was
    left, ends that) is looked at again every 50 ms until it has one or the block ends."""

    def __init__(self, connection: http.client.HTTPConnection, deadline: Deadline) -> None:
        self._connection = connection
        self._deadline = deadline
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None
        self._done = False
        self.fired = False

    def __enter__(self) -> Watchdog:
        self._arm(self._deadline.remaining())
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        with self._lock:
            self._done = True
            if self._timer is not None:
                self._timer.cancel()

    def _arm(self, seconds: float) -> None:
        timer = threading.Timer(seconds, self._cut)
        timer.daemon = True
        with self._lock:
            if self._done:
                return
            self._timer = timer
        timer.start()

    def _cut(self) -> None:
        with self._lock:
            if self._done:
                return
            sock = self._connection.sock
            if sock is not None:
                self.fired = True
                # socket.socket's own shutdown, also for an SSLSocket: no TLS goodbye, just the reads ended
                with contextlib.suppress(OSError):  # closed in the meantime
                    socket.socket.shutdown(sock, socket.SHUT_RDWR)
                return
        self._arm(CONNECTING_POLL_SECONDS)
