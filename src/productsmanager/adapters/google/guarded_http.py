"""httplib2 (the transport of google-api-python-client) with its sockets made by the outbound guard.

httplib2 resolves and connects in its connection classes' `connect()`; the subclasses here take the socket from
`OutboundGuard.connect` instead (one resolution, the vetted address connected, TLS then verifying the
certificate against the host name), and `GuardedHttp.request` hands them to httplib2 for every request, so no
connection to Google bypasses the guard, redirects included. 308 is not a redirect here: the resumable upload
protocol answers it for "incomplete" (as the library's own `build_http()` arranges).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import httplib2

from productsmanager.adapters.http.outbound_guard import OutboundGuard


def guarded_http(guard: OutboundGuard, timeout: float, ca_certs: str | None = None) -> httplib2.Http:
    """A fresh `Http` (not shared between threads: httplib2 is not thread-safe) whose connections pass `guard`."""

    class GuardedHTTPS(httplib2.HTTPSConnectionWithTimeout):  # type: ignore[misc]
        def connect(self) -> None:
            sock = guard.connect(self.host, self.port, self.timeout)
            try:
                self.sock = self._context.wrap_socket(sock, server_hostname=self.host)
            except BaseException:
                sock.close()
                raise

    class GuardedHTTP(httplib2.HTTPConnectionWithTimeout):  # type: ignore[misc]
        def connect(self) -> None:
            self.sock = guard.connect(self.host, self.port, self.timeout)

    class GuardedHttp(httplib2.Http):  # type: ignore[misc]
        def request(self, uri: str, method: str = "GET", *args: Any, **kwargs: Any) -> Any:
            scheme = urlsplit(uri).scheme.lower()
            kwargs["connection_type"] = GuardedHTTPS if scheme == "https" else GuardedHTTP
            return super().request(uri, method, *args, **kwargs)

    http = GuardedHttp(timeout=timeout, ca_certs=ca_certs)
    http.redirect_codes = http.redirect_codes - {308}
    return http
