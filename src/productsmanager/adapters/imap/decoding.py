"""Incremental decoders of the content transfer encodings (RFC 2045 §6): a chunk at a time, whatever the
chunk boundaries cut (a base64 quantum, a quoted-printable `=XX` escape or line), so an attachment is never
held whole in memory."""

from __future__ import annotations

import binascii
import re
from typing import Protocol

_NOT_BASE64 = re.compile(rb"[^A-Za-z0-9+/=]")
MAX_QP_PENDING = 64 * 1024


class Decoder(Protocol):
    def feed(self, chunk: bytes) -> bytes: ...
    def finish(self) -> bytes: ...


class Identity:
    """7bit, 8bit, binary (and anything unknown): the bytes as they are."""

    def feed(self, chunk: bytes) -> bytes:
        return chunk

    def finish(self) -> bytes:
        return b""


class Base64:
    """Characters outside the alphabet (line breaks) are skipped, as RFC 2045 says decoders must."""

    def __init__(self) -> None:
        self._pending = b""

    def feed(self, chunk: bytes) -> bytes:
        data = self._pending + _NOT_BASE64.sub(b"", chunk)
        whole = len(data) // 4 * 4
        self._pending = data[whole:]
        return _b64(data[:whole])

    def finish(self) -> bytes:
        rest, self._pending = self._pending, b""
        return _b64(rest + b"=" * (-len(rest) % 4)) if rest.strip(b"=") else b""


def _b64(data: bytes) -> bytes:
    """Padding in the middle (two parts glued) ends a quantum: each padded run is decoded on its own."""
    if not data:
        return b""
    try:
        return b"".join(binascii.a2b_base64(piece) for piece in re.findall(rb"[^=]*=*", data) if piece.strip(b"="))
    except binascii.Error as error:
        raise ValueError(f"the base64 of the attachment is broken ({error})") from None


class QuotedPrintable:
    """Decoded a line at a time; a line longer than any mail program writes is cut before its last `=`."""

    def __init__(self) -> None:
        self._pending = b""

    def feed(self, chunk: bytes) -> bytes:
        data = self._pending + chunk
        cut = data.rfind(b"\n") + 1
        if not cut and len(data) > MAX_QP_PENDING:
            escape = data.rfind(b"=", len(data) - 2)
            cut = escape if escape >= 0 else len(data)
        self._pending = data[cut:]
        return binascii.a2b_qp(data[:cut])

    def finish(self) -> bytes:
        rest, self._pending = self._pending, b""
        return binascii.a2b_qp(rest)


def decoder_for(encoding: str) -> Decoder:
    if encoding == "base64":
        return Base64()
    if encoding == "quoted-printable":
        return QuotedPrintable()
    return Identity()
