"""Incremental decoders of the content transfer encodings (RFC 2045 §6): a chunk at a time, whatever the
chunk boundaries cut (a base64 quantum, a quoted-printable `=XX` escape or line), so an attachment is never
held whole in memory."""

from __future__ import annotations

import binascii
import re
from typing import Protocol

_ALPHABET = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/="
_NOT_BASE64 = bytes(byte for byte in range(256) if byte not in _ALPHABET)
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
        data = chunk.translate(None, _NOT_BASE64)  # one copy, no list of lines
        if self._pending:
            data = self._pending + data
        whole = len(data) // 4 * 4
        self._pending = data[whole:]
        return _b64(data, whole)

    def finish(self) -> bytes:
        rest, self._pending = self._pending, b""
        rest += b"=" * (-len(rest) % 4)
        return _b64(rest, len(rest)) if rest.strip(b"=") else b""


def _b64(data: bytes, end: int) -> bytes:
    """`data[:end]` decoded without copying it. Padding in the middle (two parts glued) ends a quantum: then
    each padded run is decoded on its own."""
    if not end:
        return b""
    try:
        if data.find(b"=", 0, end - 2) < 0:  # the usual case: one run
            return binascii.a2b_base64(memoryview(data)[:end])
        pieces = re.findall(rb"[^=]*=*", data[:end])
        return b"".join(binascii.a2b_base64(piece) for piece in pieces if piece.strip(b"="))
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
