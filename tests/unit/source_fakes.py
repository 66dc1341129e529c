"""An in-memory mailbox as an import source's reader: messages with attachments, filtered as the real reader
filters them (sender, subject, arrival), and what was acknowledged."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from attrs import define, field

from productsmanager.application.imports.source_ports import ImportSourceUnreachable, SourceItemRefused
from productsmanager.domain.imports.import_source import SourceSettings
from productsmanager.domain.imports.mail_source import MailSourceSettings
from productsmanager.domain.imports.source_items import SourceItem


@define
class FakeMessage:
    uid: int
    message_id: str
    sender: str
    subject: str
    received_at: datetime
    attachments: dict[str, bytes] = field(factory=dict)


@define
class FakeMailbox:
    messages: list[FakeMessage] = field(factory=list)
    unreachable: str | None = None
    acknowledged: list[str] = field(factory=list)
    fail_download_of: str | None = None  # the connection drops while this attachment is fetched
    opened: list[str] = field(factory=list)  # the secrets sessions were opened with

    def deliver(self, sender: str, subject: str, received_at: datetime, **attachments: bytes) -> FakeMessage:
        uid = len(self.messages) + 1
        message = FakeMessage(uid, f"<{uid}@mail.example>", sender, subject, received_at, dict(attachments))
        self.messages.append(message)
        return message

    @contextmanager
    def open(self, settings: SourceSettings, secret: str) -> Iterator[_Session]:
        assert isinstance(settings, MailSourceSettings)
        if self.unreachable is not None:
            raise ImportSourceUnreachable(self.unreachable)
        self.opened.append(secret)
        yield _Session(self, settings)


class _Session:
    def __init__(self, mailbox: FakeMailbox, settings: MailSourceSettings) -> None:
        self._mailbox = mailbox
        self._settings = settings

    def items(self, received_since: datetime | None) -> list[SourceItem]:
        items: list[SourceItem] = []
        for message in self._mailbox.messages:
            if not (self._settings.from_sender(message.sender) and self._settings.about(message.subject)):
                continue
            if received_since is not None and message.received_at < received_since:
                continue
            wanted = [name for name in message.attachments if self._settings.wants_attachment(name)]
            for name in wanted:
                data = message.attachments[name]
                key = f"{message.message_id}\n{name}"
                items.append(
                    SourceItem(key, name, message.received_at, len(data), f"{message.uid}/{name}", str(message.uid))
                )
            if not wanted:
                failure = f"no attachment matching {self._settings.pattern!r} in the message {message.subject!r}"
                items.append(SourceItem(f"{message.message_id}\n", message.subject, message.received_at, None, "",
                                        str(message.uid), failure))  # fmt: skip
        return items

    def download(self, item: SourceItem, target: Path, max_bytes: int) -> None:
        uid, name = item.ref.split("/", 1)
        if name == self._mailbox.fail_download_of:
            raise ImportSourceUnreachable("the connection to imap.acme.example:993 failed while fetching")
        data = next(m for m in self._mailbox.messages if str(m.uid) == uid).attachments[name]
        if len(data) > max_bytes:
            raise SourceItemRefused(f"attachment {name!r} is over the limit")
        target.write_bytes(data)

    def acknowledge(self, groups: Sequence[str]) -> None:
        self._mailbox.acknowledged.extend(groups)
