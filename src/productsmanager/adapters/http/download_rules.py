"""The pure rules of an image download: which URLs are fetched and how, where a redirect leads, how many bytes
may come. No I/O here, so that each rule is tested on its own (`downloader` applies them to real connections).

Redirects from https to http are refused (`insecure_redirect`): whoever wrote an https URL asked that nobody on
the way could swap the picture, and a redirect must not undo that. The guard still applies to every hop."""

from __future__ import annotations

import re
from urllib.parse import quote, urljoin, urlsplit

from attrs import frozen

from productsmanager.application.media.download_ports import DownloadFailed, DownloadFailure, shown_url

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
MAX_URL_LENGTH = 8192
# Characters left as they are in a request target: RFC 3986's reserved and unreserved ones and `%` (already
# escaped text stays as it was); anything else (spaces, non-ASCII, controls) is percent-encoded.
_TARGET_SAFE = "/?#[]@!$&'()*+,;=:-._~%"
_HOST = re.compile(r"[A-Za-z0-9._:%-]+")  # names (after IDNA), IPv4, IPv6 (unbracketed by urlsplit) and its zone


def not_http(url: str, why: str) -> DownloadFailed:
    return DownloadFailed(DownloadFailure.NOT_HTTP, f"{shown_url(url)!r} cannot be downloaded: {why}", url=url)


@frozen
class Target:
    """One URL to GET: `host` ASCII (IDNA), `port` explicit, `path` the percent-encoded request target."""

    url: str
    https: bool
    host: str
    port: int
    path: str

    @classmethod
    def parse(cls, url: str) -> Target:
        """Raises `DownloadFailed(not_http)` unless `url` is an absolute http(s) URL with a host and no user name
        or password (nothing a download would send them to)."""
        text = url.strip()
        if len(text) > MAX_URL_LENGTH:
            raise not_http(url, f"longer than {MAX_URL_LENGTH} characters")
        try:
            parts = urlsplit(text)
            scheme, host, port = parts.scheme.lower(), parts.hostname, parts.port
        except ValueError as error:  # a port that is no number, a bracketed host that is no IPv6 address
            raise not_http(url, str(error)) from None
        if scheme not in ("http", "https"):
            raise not_http(url, "only http and https URLs are downloaded")
        if not host:
            raise not_http(url, "the URL names no host")
        if parts.username is not None or parts.password is not None:
            raise not_http(url, "a URL with a user name or password is not downloaded")
        try:
            ascii_host = host.encode("idna").decode("ascii") if not host.isascii() else host
        except UnicodeError:
            raise not_http(url, "the host name is not a valid international domain name") from None
        if not _HOST.fullmatch(ascii_host):
            raise not_http(url, "the host name has characters no host name or address has")
        path = quote(parts.path or "/", safe=_TARGET_SAFE)
        if parts.query:
            path += "?" + quote(parts.query, safe=_TARGET_SAFE)
        https = scheme == "https"
        return cls(text, https, ascii_host, port or (443 if https else 80), path)


def redirect_target(current: Target, status: int, location: str | None) -> Target:
    """Where a redirect answer of `current` leads: `Location` resolved against the current URL (a relative one
    is relative to it); `DownloadFailed` when there is none, it is no http(s) URL, or it leaves https for http."""
    if not location or not location.strip():
        raise DownloadFailed(
            DownloadFailure.HTTP_STATUS, f"{current.host} answered HTTP {status} without a Location", url=current.url
        )
    following = Target.parse(urljoin(current.url, location.strip()))
    if current.https and not following.https:
        message = f"{current.host} redirected the https download to plain http ({shown_url(following.url)!r}): refused"
        raise DownloadFailed(DownloadFailure.INSECURE_REDIRECT, message, url=current.url)
    return following


class ByteCount:
    """The byte cap of one download: the declared `Content-Length` is checked before the body is read, and the
    bytes are counted as they come (a length may be absent, chunked, or a lie)."""

    def __init__(self, limit: int, url: str) -> None:
        self.limit = limit
        self.total = 0
        self._url = url

    def declared(self, content_length: str | None) -> None:
        """Refuses a body announced over the cap; a missing or malformed length is left to the counting."""
        try:
            length = int(content_length) if content_length is not None else None
        except ValueError:
            return
        if length is not None and length > self.limit:
            raise self._too_large(f"{length:,} bytes announced")

    def add(self, size: int) -> None:
        self.total += size
        if self.total > self.limit:
            raise self._too_large(f"more than {self.limit:,} bytes received")

    def _too_large(self, what: str) -> DownloadFailed:
        message = f"the image at {shown_url(self._url)!r} is too large: {what}; the limit is {self.limit:,} bytes"
        return DownloadFailed(DownloadFailure.TOO_LARGE, message, url=self._url)
