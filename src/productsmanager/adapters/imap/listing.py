"""The listing of a mailbox: the messages that may be the supplier's, found with the server's own search (by
arrival date, at most `MAX_MESSAGES` of the newest), then filtered exactly here (sender, subject, arrival
time) and turned into items: one per attachment the pattern wants, or one failed item for a message that has
none, so that the supplier's mistake shows as a failed job, once."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from attrs import frozen

from productsmanager.adapters.imap.bodystructure import ResponseSyntaxError, fetch_attributes, responses
from productsmanager.adapters.imap.envelope import MONTHS, MailMessage, mail_message
from productsmanager.adapters.imap.failures import CommandRefused
from productsmanager.adapters.imap.parts import FilePart
from productsmanager.adapters.imap.session import Mailbox
from productsmanager.domain.imports.mail_source import MailSourceSettings
from productsmanager.domain.imports.source_items import SourceItem

MAX_MESSAGES = 200
LISTING_BUDGET = 32 * 1024 * 1024  # the answer to one FETCH of MAX_MESSAGES structures


@frozen
class PartRef:
    """What `download` needs to find an attachment again: `uidvalidity/uid/part/encoding` in `SourceItem.ref`."""

    uidvalidity: str
    uid: int
    part: str
    encoding: str

    def __str__(self) -> str:
        return f"{self.uidvalidity}/{self.uid}/{self.part}/{self.encoding}"

    @classmethod
    def parse(cls, ref: str) -> PartRef:
        uidvalidity, uid, part, encoding = ref.split("/")
        return cls(uidvalidity, int(uid), part, encoding)


def list_items(mailbox: Mailbox, settings: MailSourceSettings, received_since: datetime | None) -> list[SourceItem]:
    with mailbox.failures.during("listing messages"):
        uids = _search(mailbox, settings.sender, received_since)
        messages = _fetch(mailbox, uids)
    items: list[SourceItem] = []
    for message in messages:
        if received_since is not None and message.received_at < received_since:
            continue
        if settings.from_sender(message.sender) and settings.about(message.subject):
            items.extend(message_items(message, settings, mailbox.uidvalidity))
    return items


def _search(mailbox: Mailbox, sender: str, received_since: datetime | None) -> list[int]:
    """UIDs of the newest MAX_MESSAGES messages from `sender` (the server's FROM is a substring match: a shared
    mailbox's other mail must not push the supplier's out of the newest), since the day before `received_since`
    (SEARCH SINCE compares dates in the server's zone, ignoring times). The exact cuts are made here."""
    criteria: list[str] = []
    if sender:
        criteria += ["FROM", f'"{sender}"']  # no quote or backslash in a sender: its rules refuse them
    if received_since is not None:
        day = (received_since - timedelta(days=1)).date()
        criteria += ["SINCE", f"{day.day}-{MONTHS[day.month - 1]}-{day.year}"]
    criteria = criteria or ["ALL"]
    mailbox.client.refill()
    typ, data = mailbox.client.uid("SEARCH", *criteria)
    if typ != "OK":
        raise CommandRefused("SEARCH", repr(data)[:200])
    words = b" ".join(item for item in data if isinstance(item, bytes)).split()
    if not all(word.isdigit() for word in words):
        raise ResponseSyntaxError("SEARCH answered something else than UIDs")
    return sorted({int(word) for word in words}, reverse=True)[:MAX_MESSAGES]


def _fetch(mailbox: Mailbox, uids: list[int]) -> list[MailMessage]:
    if not uids:
        return []
    mailbox.client.refill(LISTING_BUDGET)
    typ, data = mailbox.client.uid(
        "FETCH", ",".join(str(uid) for uid in uids), "(UID INTERNALDATE ENVELOPE BODYSTRUCTURE)"
    )
    if typ != "OK":
        raise CommandRefused("FETCH", repr(data)[:200])
    messages = []
    for response in responses([item for item in data if item is not None]):
        _number, attributes = fetch_attributes(response)
        if "UID" in attributes and "BODYSTRUCTURE" in attributes:  # not a flag change the server slipped in
            messages.append(mail_message(attributes))
    return sorted(messages, key=lambda message: message.uid, reverse=True)


def message_items(message: MailMessage, settings: MailSourceSettings, uidvalidity: str) -> list[SourceItem]:
    """One item per wanted attachment, or one failed item naming what the message has instead."""
    known = message.message_id or f"uid:{uidvalidity}:{message.uid}"
    wanted = [part for part in message.files if settings.wants_attachment(part.name)]
    if not wanted:
        others = ", ".join(part.name for part in message.files[:10]) or "none"
        failure = (
            f"no attachment matching '{settings.pattern}' in the message '{message.subject}' from "
            f"{message.sender} (attachments: {others})"
        )
        return [SourceItem(f"{known}\n", message.subject or "(no subject)", message.received_at, None,
                           "", str(message.uid), failure)]  # fmt: skip
    counts = Counter(part.name for part in wanted)
    return [_item(known, message, part, counts[part.name] > 1, uidvalidity) for part in wanted]


def _item(known: str, message: MailMessage, part: FilePart, repeated: bool, uidvalidity: str) -> SourceItem:
    key = f"{known}\n{part.name}" + (f"\n{part.part}" if repeated else "")
    ref = PartRef(uidvalidity, message.uid, part.part, part.encoding)
    return SourceItem(key, part.name, message.received_at, part.decoded_size, str(ref), str(message.uid))
