"""What happens to a message once every item of it was taken, as the settings say: nothing, flagged \\Seen, or
moved to a folder (UID MOVE, RFC 6851, where the server offers it; else copied, flagged \\Deleted and
expunged: only those messages where UIDPLUS allows it, else every message marked \\Deleted, as a mail
program's expunge would)."""

from __future__ import annotations

from collections.abc import Sequence

from productsmanager.adapters.imap.failures import CommandRefused, MailboxGone
from productsmanager.adapters.imap.session import Mailbox, quoted_mailbox
from productsmanager.domain.imports.mail_source import AfterImport, MailSourceSettings

MAX_UIDS_PER_COMMAND = 500


def acknowledge(mailbox: Mailbox, settings: MailSourceSettings, groups: Sequence[str]) -> None:
    uids = sorted({int(group) for group in groups if group.isdigit()})
    if settings.after_import is AfterImport.KEEP or not uids:
        return
    for start in range(0, len(uids), MAX_UIDS_PER_COMMAND):
        batch = ",".join(str(uid) for uid in uids[start : start + MAX_UIDS_PER_COMMAND])
        if settings.after_import is AfterImport.SEEN:
            with mailbox.failures.during("flagging messages as seen"):
                _command(mailbox, "STORE", batch, "+FLAGS.SILENT", "(\\Seen)")
        else:
            with mailbox.failures.during(f"moving messages to '{settings.move_to}'"):
                _move(mailbox, settings.move_to, batch)


def _move(mailbox: Mailbox, folder: str, batch: str) -> None:
    target = quoted_mailbox(folder)
    command = "MOVE" if "MOVE" in mailbox.capabilities else "COPY"
    mailbox.client.refill()
    typ, data = mailbox.client.uid(command, batch, target)
    if typ != "OK":
        reply = b" ".join(item for item in data if isinstance(item, bytes))
        if b"TRYCREATE" in reply.upper() or b"NONEXISTENT" in reply.upper():
            raise MailboxGone("move_to folder", folder)
        raise CommandRefused(command, reply.decode("utf-8", "replace")[:200])
    if command == "COPY":
        _command(mailbox, "STORE", batch, "+FLAGS.SILENT", "(\\Deleted)")
        if "UIDPLUS" in mailbox.capabilities:
            _command(mailbox, "EXPUNGE", batch)
        else:  # without UIDPLUS, EXPUNGE also removes what a person marked \\Deleted: as their client would
            mailbox.client.refill()
            mailbox.client.expunge()


def _command(mailbox: Mailbox, command: str, *args: str) -> None:
    mailbox.client.refill()
    typ, data = mailbox.client.uid(command, *args)
    if typ != "OK":
        raise CommandRefused(command, repr(data)[:200])
