"""`ImageDownloader` on http.client, every connection through the outbound guard.

Each hop (the URL, then at most 3 redirects) is one GET on a new connection made by `guarded_connection`: the
host is resolved once, every address vetted, and the socket connected to a vetted one, so a redirect to a
private address, or a name that resolves to one, is refused before a packet leaves. The whole download, the
wait for a slot of the host included, has one time limit (`Deadline`, enforced by a `Watchdog`); the body is
counted against the byte cap as it streams (`ByteCount`). Whether the bytes are an image is not judged here:
the use case inspects them once, as it does an upload's."""

from __future__ import annotations

import http.client
import logging

from productsmanager import __version__
from productsmanager.adapters.http.connections import guarded_connection
from productsmanager.adapters.http.deadline import Deadline, Watchdog
from productsmanager.adapters.http.download_rules import REDIRECT_STATUSES, ByteCount, Target, redirect_target
from productsmanager.adapters.http.host_slots import HostSlots
from productsmanager.adapters.http.outbound_guard import COULD_NOT_CONNECT, OutboundGuard, describe_failure
from productsmanager.application.media.download_ports import (
    DownloadedImage,
    DownloadFailed,
    DownloadFailure,
    shown_url,
)

log = logging.getLogger(__name__)

MAX_REDIRECTS = 3
DEFAULT_TIME_LIMIT_SECONDS = 30.0
CHUNK_BYTES = 64 * 1024
MIN_SOCKET_TIMEOUT = 0.01
ACCEPTED_STATUSES = (200, 203)  # 203: a transforming proxy's copy of the same answer
HEADERS = {
    "Accept": "image/*",
    "Accept-Encoding": "identity",  # the cap counts the bytes stored, never a compressed stand-in
    "Connection": "close",
    "User-Agent": f"productsmanager/{__version__}",
}


class GuardedImageDownloader:
    """`max_bytes`: the deployment's cap (`PM_MEDIA_MAX_BYTES`), which a call may lower but never raise.
    `slots`: one `HostSlots` per process (the container's singleton shares this instance), 4 per host by
    default. Stateless otherwise: one instance serves every thread."""

    def __init__(
        self,
        guard: OutboundGuard,
        max_bytes: int,
        time_limit_seconds: float = DEFAULT_TIME_LIMIT_SECONDS,
        slots: HostSlots | None = None,
    ) -> None:
        self._guard = guard
        self._max_bytes = max_bytes
        self._time_limit = time_limit_seconds
        self._slots = slots or HostSlots()

    def download(self, url: str, max_bytes: int | None = None) -> DownloadedImage:
        limit = self._max_bytes if max_bytes is None else min(max_bytes, self._max_bytes)
        try:
            return self._follow(url, limit)
        except DownloadFailed as failure:
            failure.url = url  # the URL asked for, whichever hop failed (the message names that hop's host)
            log.warning("image download of %s failed (%s): %s", shown_url(url), failure.reason, failure.detail)
            raise

    def _follow(self, url: str, limit: int) -> DownloadedImage:
        deadline = Deadline(self._time_limit)
        target = Target.parse(url)
        for redirects in range(MAX_REDIRECTS + 1):
            answer = self._fetch(target, ByteCount(limit, url), deadline)
            if isinstance(answer, DownloadedImage):
                return answer
            if redirects == MAX_REDIRECTS:
                break
            target = redirect_target(target, *answer)
        message = f"{shown_url(url)!r} redirects more than {MAX_REDIRECTS} times"
        raise DownloadFailed(DownloadFailure.TOO_MANY_REDIRECTS, message, url=url)

    def _fetch(self, target: Target, count: ByteCount, deadline: Deadline) -> DownloadedImage | tuple[int, str | None]:
        """One GET: the body, or the status and Location of a redirect."""
        with self._slots.hold(target.host, deadline.remaining()) as slot:
            if not slot or deadline.expired:
                raise self._timeout(target, f"no free connection slot to {target.host} in time")
            timeout = max(deadline.remaining(), MIN_SOCKET_TIMEOUT)  # 0 would make the socket non-blocking
            connection = guarded_connection(
                target.https, target.host, target.port, timeout, self._guard, remaining=deadline.remaining
            )
            with Watchdog(connection, deadline) as watchdog:
                try:
                    connection.request("GET", target.path, headers=HEADERS)
                    response = connection.getresponse()
                    if response.status in REDIRECT_STATUSES:
                        return response.status, response.getheader("Location")
                    if response.status not in ACCEPTED_STATUSES:
                        message = f"{target.host} answered HTTP {response.status} for {shown_url(target.url)!r}"
                        raise DownloadFailed(DownloadFailure.HTTP_STATUS, message, url=target.url)
                    count.declared(response.getheader("Content-Length"))
                    data = self._body(response, count)
                    if watchdog.fired:  # the socket was shut down under the read: what came is not all
                        raise self._timeout(target, f"{count.total:,} bytes received when the time was up")
                    return DownloadedImage(data, response.getheader("Content-Type"), target.url)
                except (OSError, http.client.HTTPException) as error:
                    if watchdog.fired or isinstance(error, TimeoutError):
                        raise self._timeout(target, describe_failure(error)) from error
                    message = f"{COULD_NOT_CONNECT} to {target.host}"
                    detail = f"{message}: {describe_failure(error)}"
                    raise DownloadFailed(DownloadFailure.UNREACHABLE, message, url=target.url, detail=detail) from error
                finally:
                    connection.close()

    @staticmethod
    def _body(response: http.client.HTTPResponse, count: ByteCount) -> bytes:
        """The body read one socket read at a time (`read1`), counted as it comes."""
        chunks: list[bytes] = []
        while chunk := response.read1(CHUNK_BYTES):
            count.add(len(chunk))
            chunks.append(chunk)
        if response.length:  # http.client's count of announced bytes still missing: the connection ended early
            raise ConnectionError(f"the answer ended after {count.total:,} bytes, {response.length:,} short")
        return b"".join(chunks)

    def _timeout(self, target: Target, detail: str) -> DownloadFailed:
        message = f"the download from {target.host} took longer than {self._time_limit:g} s"
        return DownloadFailed(DownloadFailure.TIMEOUT, message, url=target.url, detail=f"{message}: {detail}")
