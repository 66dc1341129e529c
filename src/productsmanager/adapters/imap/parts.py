"""The parts of a message that carry a file, read from its BODYSTRUCTURE (RFC 3501 §7.4.2): at any depth,
inside multiparts and inside forwarded messages (message/rfc822), each with its IMAP part number, its file
name as the sender's mail program wrote it (RFC 2231 parameters, RFC 2047 words) and its transfer encoding."""

from __future__ import annotations

import email.header
import re
import urllib.parse
from collections.abc import Iterator
from itertools import takewhile

from attrs import frozen

from productsmanager.adapters.imap.bodystructure import ResponseSyntaxError, Value

MAX_NAME_LENGTH = 255
_SECTION = re.compile(r"^(?P<name>[^*]+)\*(?P<index>\d+)?(?P<encoded>\*)?$")


@frozen
class FilePart:
    """`part`: the IMAP section (`2`, `4.2`); `size`: its octets as sent (in `encoding`)."""

    part: str
    name: str
    encoding: str
    size: int

    @property
    def decoded_size(self) -> int:
        """What the file will weigh once decoded: base64 carries 3 bytes in 4 characters, in lines of 76
        characters and a line break; the other encodings are close enough to their own size."""
        if self.encoding == "base64":
            return (self.size - 2 * (self.size // 78)) * 3 // 4
        return self.size


def file_parts(structure: Value) -> list[FilePart]:
    """Every part of `structure` with a file name (a part without one is the message's text)."""
    if not isinstance(structure, list):
        raise ResponseSyntaxError("BODYSTRUCTURE is a list")
    return list(_walk(structure, ""))


def _walk(body: list[Value], number: str) -> Iterator[FilePart]:
    if body and isinstance(body[0], list):  # multipart: its parts, then its subtype and extensions
        children = list(takewhile(lambda item: isinstance(item, list), body))  # the subtype ends them
        for index, child in enumerate(children):
            assert isinstance(child, list)
            yield from _walk(child, f"{number}.{index + 1}" if number else str(index + 1))
        return
    if len(body) < 7:
        raise ResponseSyntaxError("a body part has fewer than 7 fields")
    kind, subtype, params, _id, _description, encoding, octets = body[:7]
    part = number or "1"
    media = f"{_text(kind).lower()}/{_text(subtype).lower()}"
    nested = body[8] if len(body) > 8 else None
    is_message = media in ("message/rfc822", "message/global") and isinstance(nested, list) and nested
    extension_at = 10 if is_message else 8 if _text(kind).lower() == "text" else 7
    disposition = body[extension_at + 1] if len(body) > extension_at + 1 else None
    name = _file_name(disposition, params)
    if name:
        size = int(octets) if isinstance(octets, bytes) and octets.isdigit() else 0
        yield FilePart(part, name, _text(encoding).lower() or "7bit", size)
    if is_message and isinstance(nested, list):  # a forwarded message: its own parts, numbered under it
        if isinstance(nested[0], list):
            yield from _walk(nested, part)
        else:
            yield from _walk(nested, f"{part}.1")


def _text(value: Value) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else ""


def _pairs(params: Value) -> dict[str, str]:
    if not isinstance(params, list):
        return {}
    return {_text(k).lower(): _text(v) for k, v in zip(params[::2], params[1::2], strict=False)}


def _file_name(disposition: Value, params: Value) -> str:
    """The disposition's `filename`, else the type's `name`, decoded and reduced to a bare name."""
    fields = _pairs(disposition[1]) if isinstance(disposition, list) and len(disposition) > 1 else {}
    for source, key in ((fields, "filename"), (_pairs(params), "name")):
        raw = _parameter(source, key)
        if raw:
            return bare_name(raw)
    return ""


def _parameter(fields: dict[str, str], key: str) -> str:
    """`key` as a whole: plain, RFC 2231 extended (`key*=utf-8''...`) or in numbered sections (`key*0*`)."""
    if key in fields:
        return fields[key]
    sections: dict[int, tuple[str, bool]] = {}
    for name, value in fields.items():
        match = _SECTION.match(name)
        if match and match["name"] == key:
            index = int(match["index"]) if match["index"] else 0
            sections[index] = (value, bool(match["encoded"]) or match["index"] is None)
    if not sections:
        return ""
    charset, pieces = "utf-8", []
    for index in sorted(sections):
        value, encoded = sections[index]
        if encoded and index == min(sections) and value.count("'") >= 2:
            charset, _language, value = value.split("'", 2)
        pieces.append(urllib.parse.unquote_to_bytes(value) if encoded else value.encode("utf-8"))
    try:
        return b"".join(pieces).decode(charset or "utf-8", "replace")
    except LookupError:
        return b"".join(pieces).decode("utf-8", "replace")


def encoded_words(raw: str) -> str:
    """A header text with its RFC 2047 encoded words (`=?utf-8?q?...?=`) decoded. Joined as they stand:
    `make_header` would put a space between a word and the text that follows it (`né .csv`)."""
    try:
        pieces = email.header.decode_header(raw)
    except (ValueError, LookupError, UnicodeError):
        return raw
    out = []
    for piece, charset in pieces:
        if isinstance(piece, str):
            out.append(piece)
            continue
        try:
            out.append(piece.decode(charset or "ascii", "replace"))
        except LookupError:
            out.append(piece.decode("utf-8", "replace"))
    return "".join(out)


def bare_name(raw: str) -> str:
    """RFC 2047 words decoded, folders (either slash) and control characters dropped, length bounded."""
    name = re.split(r"[\\/]", encoded_words(raw))[-1]
    name = "".join(char for char in name if char.isprintable()).strip()
    return "" if name in (".", "..") else name[:MAX_NAME_LENGTH]
