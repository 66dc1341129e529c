"""What a listing needs to know of a message from its FETCH attributes: its UID, arrival time (INTERNALDATE),
sender, subject and Message-ID (ENVELOPE, RFC 3501 §7.4.2), and the parts that carry files."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

from attrs import frozen

from productsmanager.adapters.imap.bodystructure import ResponseSyntaxError, Value
from productsmanager.adapters.imap.parts import FilePart, encoded_words, file_parts

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_INTERNALDATE = re.compile(
    rb"^ ?(?P<day>\d{1,2})-(?P<month>[A-Za-z]{3})-(?P<year>\d{4}) (?P<h>\d\d):(?P<m>\d\d):(?P<s>\d\d)"
    rb" (?P<sign>[-+])(?P<zh>\d\d)(?P<zm>\d\d)$"
)
MAX_SUBJECT_LENGTH = 500


@frozen
class MailMessage:
    uid: int
    received_at: datetime
    sender: str
    subject: str
    message_id: str
    files: list[FilePart]


def mail_message(attributes: dict[str, Value]) -> MailMessage:
    """From one FETCH response's attributes (UID INTERNALDATE ENVELOPE BODYSTRUCTURE)."""
    uid, envelope = attributes.get("UID"), attributes.get("ENVELOPE")
    if not isinstance(uid, bytes) or not uid.isdigit() or not isinstance(envelope, list) or len(envelope) < 10:
        raise ResponseSyntaxError("a message without its UID or ENVELOPE")
    return MailMessage(
        uid=int(uid),
        received_at=internal_date(attributes.get("INTERNALDATE")),
        sender=_first_address(envelope[2]),
        subject=decoded_words(envelope[1])[:MAX_SUBJECT_LENGTH],
        message_id=_text(envelope[9]).strip(),
        files=file_parts(attributes.get("BODYSTRUCTURE")),
    )


def internal_date(value: Value) -> datetime:
    """`17-Jul-1996 02:44:25 -0700` as an aware UTC time (month names are English, whatever the locale)."""
    match = _INTERNALDATE.match(value) if isinstance(value, bytes) else None
    if match is None or match["month"].decode().title() not in MONTHS:
        raise ResponseSyntaxError(f"not an INTERNALDATE: {value!r:.60}")
    offset = timedelta(hours=int(match["zh"]), minutes=int(match["zm"]))
    try:
        local = datetime(
            int(match["year"]), MONTHS.index(match["month"].decode().title()) + 1, int(match["day"]),
            int(match["h"]), int(match["m"]), int(match["s"]),
            tzinfo=timezone(offset if match["sign"] == b"+" else -offset),
        )  # fmt: skip
    except ValueError as error:
        raise ResponseSyntaxError(f"not an INTERNALDATE: {value!r:.60}") from error
    return local.astimezone(UTC)


def decoded_words(value: Value) -> str:
    """A header text with its RFC 2047 encoded words decoded, on one line."""
    return " ".join(encoded_words(_text(value)).split())


def _first_address(addresses: Value) -> str:
    """The first `mailbox@host` of an address list: `(name adl mailbox host)` (RFC 3501 `address`)."""
    if isinstance(addresses, list) and addresses and isinstance(addresses[0], list) and len(addresses[0]) >= 4:
        mailbox, host = addresses[0][2], addresses[0][3]
        if isinstance(mailbox, bytes) and isinstance(host, bytes):
            return f"{_text(mailbox)}@{_text(host)}"
    return ""


def _text(value: Value) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else ""
