"""The port that fetches an image from a URL someone else named (a barcode provider's answer, Amazon's), and
the one error it promises.

Whoever names the URL is not trusted: the adapter fetches http(s) only, through the outbound guard on every
address and every redirect, within a byte cap and a total time limit. What it hands back is only bytes; whether
they are an image is judged by the use case exactly as an upload's are (`Thumbnailer.inspect`), once."""

from __future__ import annotations

import enum
from typing import Protocol

from attrs import frozen

from productsmanager.domain.errors import ProductsManagerError


class DownloadFailure(enum.StrEnum):
    """Why a download failed: a stable word for job results and figures.

    A connection that could not be made is `unreachable` whether the outbound guard refused the address, the
    name did not resolve or the port was closed: the user is told "could not connect", the server log which
    one it was (a caller that shows the reason must not let a URL probe the server's network)."""

    NOT_HTTP = "not_http"  # not an http(s) URL with a host, or a malformed one
    UNREACHABLE = "unreachable"  # no connection: refused, DNS, TLS, reset, or blocked by the outbound guard
    INSECURE_REDIRECT = "insecure_redirect"  # an https URL redirected to plain http
    TOO_MANY_REDIRECTS = "too_many_redirects"
    TOO_LARGE = "too_large"  # over the byte cap (by Content-Length or as counted), or over the pixel limit
    TIMEOUT = "timeout"  # the whole download took longer than its time limit
    HTTP_STATUS = "http_status"  # an answer other than 200 (404, 500, a redirect without Location...)
    NOT_AN_IMAGE = "not_an_image"  # the bytes are no image of an accepted format (judged like an upload)


def shown_url(url: str) -> str:
    """A URL as messages quote it: bounded, so that a hostile one cannot flood a log or a job's results."""
    return url if len(url) <= 200 else url[:200] + "..."


class DownloadFailed(ProductsManagerError):
    """A URL that gave no image. `message` is what a user may read (never the address the host resolved to,
    nor why a connection failed); `detail` is for the server log."""

    code = "download_failed"

    def __init__(self, reason: DownloadFailure, message: str, *, url: str, detail: str = "") -> None:
        super().__init__(message, field="url")
        self.reason = reason
        self.url = url
        self.detail = detail or message


@frozen
class DownloadedImage:
    """The body of the last answer, whole. Held in memory: it is at most the media byte cap (25 MiB by
    default), and the upload path that stores it (`Thumbnailer.inspect`, `MediaStore.put`) takes bytes."""

    data: bytes
    content_type: str | None  # as the server declared it: for the log only, the stored type is sniffed
    final_url: str  # after redirects


class ImageDownloader(Protocol):
    """Fetches one URL. Thread-safe; connections to one host are bounded in number across the process."""

    def download(self, url: str, max_bytes: int | None = None) -> DownloadedImage:
        """The body of `url`'s answer (after at most 3 redirects), refused beyond `max_bytes` (None: the
        adapter's own cap; never more than it). Raises `DownloadFailed`."""
        ...
