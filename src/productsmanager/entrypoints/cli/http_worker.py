"""The gunicorn worker of `serve`: each worker process reads whole requests before the application sees them.

gunicorn's `sync` worker gives a connection the whole process from the first byte, and its `gthread` worker
gives it a pool thread as soon as any byte arrives: a client that sends part of a request and waits holds
that process or thread, and a few such clients stop the API. In this worker, waitress's event loop reads
every connection without blocking and keeps what arrives (headers in memory; a body past 512 KB in a
temporary file); only a complete request reaches the worker's request thread. A slow or silent client then
costs a buffer and a file descriptor, not a thread; one quiet for `client_timeout` seconds is closed, and so
is one whose request line and headers are still incomplete after that long.

gunicorn stays the process manager (binding, forking, restarting dead workers, graceful reloads); the
event loop sends it the worker's heartbeat.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterable
from typing import Any

from gunicorn.workers.base import Worker
from waitress import wasyncore
from waitress.channel import HTTPChannel
from waitress.server import BaseWSGIServer, create_server

from productsmanager.entrypoints.cli.stream_threads import StreamingDispatcher
from productsmanager.entrypoints.falcon.events.stream import CLOSING

# Requests of one worker process run at a time; the rest wait, complete, in its queue. One, as gunicorn's sync
# workers ran: with more, the threads of a process contend for the GIL, and the light product pages lost
# 8-10% of their rate (benchmarks/api_overhead.py, 4 threads against 1); processes bring the parallelism.
THREADS = 1
CONNECTION_LIMIT = 1000  # open connections per worker process before it stops accepting
LOOP_SECONDS = 1.0  # the event loop wakes at least this often: heartbeat, shutdown, timeouts
RECV_BYTES = 65536  # read per readable socket: big uploads in fewer turns of the loop


class BufferingWorker(Worker):  # type: ignore[misc]
    """A gunicorn worker running waitress on the sockets gunicorn bound. `serve` sets the class attributes."""

    client_timeout = 30  # seconds of silence (mid-request or idle), or to send the headers, before closing
    max_body_bytes = 2 * 1024**3  # larger request bodies are refused (413) before the application runs
    event_streams = 100  # progress event streams at once, each on a thread of its own (PM_EVENT_STREAMS)

    def run(self) -> None:
        # Requests waiting for a thread are the design here, not a warning to write for each one.
        logging.getLogger("waitress.queue").setLevel(logging.ERROR)
        socket_map: dict[int, Any] = {}
        dispatcher = StreamingDispatcher(self.event_streams)
        dispatcher.set_thread_count(THREADS)
        server = create_server(
            _access_logged(self.wsgi, self.log.access_log),
            map=socket_map,
            sockets=[listener.sock for listener in self.sockets],
            threads=THREADS,
            connection_limit=CONNECTION_LIMIT,
            channel_timeout=self.client_timeout,
            cleanup_interval=max(1, min(30, self.client_timeout // 2)),
            max_request_body_size=self.max_body_bytes,
            recv_bytes=RECV_BYTES,
            # Reads a connection while its request runs, so that a client gone away is seen at once (an event
            # stream then ends instead of holding its thread until its next write); a next request is kept.
            channel_request_lookahead=1,
            asyncore_use_poll=True,  # select() stops at file descriptor 1024
            clear_untrusted_proxy_headers=False,  # the application decides which proxies it trusts
            ident="productsmanager",
            _dispatcher=dispatcher,
        )
        listeners = [entry for entry in socket_map.values() if isinstance(entry, BaseWSGIServer)]
        for listener in listeners:
            _deadline_for_headers(listener, self.client_timeout)
        next_beat = 0.0
        while self.alive and self.ppid == os.getppid():
            # Every thread taken and requests waiting: leave new connections to the other worker processes.
            accepting = not server.task_dispatcher.queue
            for listener in listeners:
                listener.accepting = accepting
            wasyncore.loop(timeout=LOOP_SECONDS, map=socket_map, use_poll=True, count=1)
            now = time.monotonic()
            if now >= next_beat:
                self.notify()
                next_beat = now + LOOP_SECONDS / 2
        self._drain(server, socket_map, listeners)

    def _drain(self, server: Any, socket_map: dict[int, Any], listeners: list[BaseWSGIServer]) -> None:
        """Stops accepting, lets the requests already received finish within gunicorn's graceful timeout,
        then closes every connection."""
        for listener in listeners:
            listener.accepting = False
        CLOSING.set()  # event streams end within a second, like any finished request
        deadline = time.monotonic() + self.cfg.graceful_timeout
        while time.monotonic() < deadline and any(_busy(entry) for entry in list(socket_map.values())):
            wasyncore.loop(timeout=0.1, map=socket_map, use_poll=True, count=1)
            self.notify()
        server.task_dispatcher.shutdown(timeout=1)
        wasyncore.close_all(socket_map)


def _deadline_for_headers(listener: BaseWSGIServer, seconds: int) -> None:
    """Waitress closes connections that stay silent; one that trickles its request line and headers (a byte
    now and then) would stay open for ever. Its periodic maintenance also closes a connection whose request
    line and headers are not complete `seconds` after they were first seen (give or take one maintenance
    interval). Bodies are not timed this way: a large upload on a slow link is legitimate."""
    first_seen: dict[int, tuple[object, float]] = {}
    timeout_silence = listener.maintenance

    def maintenance(now: float) -> None:
        timeout_silence(now)
        for fileno, channel in list(listener.active_channels.items()):
            request = channel.request
            if request is None or request.headers_finished or channel.requests:
                first_seen.pop(fileno, None)
                continue
            seen = first_seen.get(fileno)
            if seen is None or seen[0] is not request:
                first_seen[fileno] = (request, now)
            elif now - seen[1] >= seconds:
                channel.will_close = True
        for fileno in first_seen.keys() - listener.active_channels.keys():
            del first_seen[fileno]

    listener.maintenance = maintenance  # type: ignore[method-assign]


def _busy(entry: object) -> bool:
    return isinstance(entry, HTTPChannel) and bool(entry.requests or entry.total_outbufs_len)


def _access_logged(app: Callable[..., Iterable[bytes]], access_log: logging.Logger) -> Callable[..., Iterable[bytes]]:
    """One access log line per request (client, request line, status, response length, duration), as
    gunicorn's own workers write; nothing when gunicorn's access log is off."""

    def logged(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if not access_log.handlers:
            return app(environ, start_response)
        started = time.perf_counter()
        answer: list[str] = ["-", "-"]

        def recording(status: str, headers: list[tuple[str, str]], *exc_info: Any) -> Any:
            answer[0] = status.split(" ", 1)[0]
            answer[1] = next((value for name, value in headers if name.lower() == "content-length"), "-")
            return start_response(status, headers, *exc_info)

        try:
            return app(environ, recording)
        finally:
            query = environ.get("QUERY_STRING")
            target = environ.get("PATH_INFO", "") + (f"?{query}" if query else "")
            access_log.info(
                '%s [%s] "%s %s %s" %s %s %.1fms',
                environ.get("REMOTE_ADDR", "-"),
                time.strftime("%d/%b/%Y:%H:%M:%S %z"),
                environ.get("REQUEST_METHOD", "-"),
                target,
                environ.get("SERVER_PROTOCOL", "-"),
                answer[0],
                answer[1],
                (time.perf_counter() - started) * 1000,
            )

    return logged
