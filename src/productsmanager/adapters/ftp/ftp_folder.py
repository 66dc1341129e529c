"""A supplier's folder on an FTP or FTPS server, with the standard library's ftplib."""

from __future__ import annotations

import os
import ssl
import tempfile
from pathlib import Path
from typing import BinaryIO

from productsmanager.adapters.ftp.listing import list_directory
from productsmanager.adapters.ftp.session import ftp_session
from productsmanager.adapters.http.outbound_guard import OutboundGuard
from productsmanager.application.imports.source_ports import SourceItemRefused
from productsmanager.domain.imports.ftp_source import FtpSourceSettings, RemoteFile


class FtplibCatalogFolder:
    """`RemoteCatalogFolder` over ftplib, one connection per call. `ssl_context` decides which certificates
    FTPS trusts: the system's by default, or a supplier's private CA. It is never an unverified context (as
    ftplib's own default is): the password would go to whoever answers. Every connection passes `guard`: a
    strict one (public addresses only) unless the container hands over the configured one."""

    def __init__(self, ssl_context: ssl.SSLContext | None = None, guard: OutboundGuard | None = None) -> None:
        self._ssl_context = ssl_context or ssl.create_default_context()
        self._guard = guard or OutboundGuard()

    def list_files(self, settings: FtpSourceSettings, password: str) -> list[RemoteFile]:
        with ftp_session(settings, password, self._ssl_context, "listing files", self._guard) as ftp:
            return list_directory(ftp)

    def download(
        self, settings: FtpSourceSettings, password: str, file: RemoteFile, target: Path, max_bytes: int
    ) -> None:
        """Into a temporary file beside `target`, renamed over it once complete: readers of `target` never
        see half a file, and any failure removes the temporary one."""
        if file.size > max_bytes:
            raise SourceItemRefused(f"{file.name} is {file.size} bytes, over the limit of {max_bytes} bytes")
        descriptor, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
        part = Path(name)
        try:
            with os.fdopen(descriptor, "wb") as handle:
                sink = _LimitedSink(handle, file.name, max_bytes)
                with ftp_session(settings, password, self._ssl_context, f"downloading {file.name}", self._guard) as ftp:
                    ftp.retrbinary(f"RETR {file.name}", sink.write)
            os.replace(part, target)
        except _WriteFailed as failed:
            raise failed.error from None
        finally:
            part.unlink(missing_ok=True)  # nothing left once renamed


class _WriteFailed(Exception):
    """A local write error (disk full...) carried out of the transfer: it is ours, not the source's, so it
    must not be reported as the server being unreachable."""

    def __init__(self, error: OSError) -> None:
        super().__init__(str(error))
        self.error = error


class _LimitedSink:
    """Writes what arrives and stops the transfer past `max_bytes`: a file may grow after it was listed."""

    def __init__(self, handle: BinaryIO, name: str, max_bytes: int) -> None:
        self._handle, self._name, self._max_bytes = handle, name, max_bytes
        self.received = 0

    def write(self, data: bytes) -> None:
        self.received += len(data)
        if self.received > self._max_bytes:
            raise SourceItemRefused(f"{self._name} grew over the limit of {self._max_bytes} bytes")
        try:
            self._handle.write(data)
        except OSError as error:
            raise _WriteFailed(error) from error
