"""An attachment fetched in chunks (`UID FETCH uid BODY.PEEK[part]<offset.length>`, RFC 3501 §6.4.5) and
decoded as it arrives into a temporary file beside the target, renamed into place only when whole. PEEK:
reading an attachment does not mark the message \\Seen (the settings decide that, once it is taken)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from productsmanager.adapters.imap.bodystructure import ResponseSyntaxError, fetch_attributes, responses
from productsmanager.adapters.imap.decoding import decoder_for
from productsmanager.adapters.imap.failures import CommandRefused
from productsmanager.adapters.imap.listing import PartRef
from productsmanager.adapters.imap.session import Mailbox
from productsmanager.application.imports.source_ports import ImportSourceUnreachable, SourceItemRefused
from productsmanager.domain.imports.source_items import SourceItem

CHUNK_BYTES = 1024 * 1024
CHUNK_BUDGET = CHUNK_BYTES + 64 * 1024  # the chunk and the lines around it
MEGABYTE = 1024 * 1024


def download_part(mailbox: Mailbox, item: SourceItem, target: Path, max_bytes: int) -> None:
    ref = PartRef.parse(item.ref)
    limit = f"attachment '{item.name}' is over the {max(1, max_bytes // MEGABYTE)} MB limit"
    if ref.uidvalidity != mailbox.uidvalidity:
        raise ImportSourceUnreachable(
            f"the mailbox '{mailbox.failures.settings.mailbox}' was renumbered since it was listed: run again"
        )
    if ref.encoding in ("7bit", "8bit", "binary") and item.size is not None and item.size > max_bytes:
        raise SourceItemRefused(limit)
    descriptor, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    part = Path(name)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            decoder, written, offset = decoder_for(ref.encoding), 0, 0
            while True:
                with mailbox.failures.during(f"downloading {item.name}"):
                    chunk = _chunk(mailbox, ref, offset)
                    last = len(chunk) < CHUNK_BYTES  # a short chunk is the end: no empty one to ask for
                    decoded = decoder.feed(chunk) + (decoder.finish() if last else b"")
                written += len(decoded)
                if written > max_bytes:
                    raise SourceItemRefused(limit)
                handle.write(decoded)
                if last:
                    break
                offset += len(chunk)
        os.replace(part, target)
    except ValueError as error:  # a broken encoding: the supplier's file cannot be read as sent
        raise SourceItemRefused(f"attachment '{item.name}' cannot be decoded: {error}") from None
    finally:
        part.unlink(missing_ok=True)


def _chunk(mailbox: Mailbox, ref: PartRef, offset: int) -> bytes:
    """The next chunk; empty past the end (servers answer an empty string, or NIL, there)."""
    mailbox.client.refill(CHUNK_BUDGET)
    section = f"BODY[{ref.part}]<{offset}>"
    typ, data = mailbox.client.uid("FETCH", str(ref.uid), f"(BODY.PEEK[{ref.part}]<{offset}.{CHUNK_BYTES}>)")
    if typ != "OK":
        raise CommandRefused("FETCH", repr(data)[:200])
    for response in responses([item for item in data if item is not None]):
        _number, attributes = fetch_attributes(response)
        if attributes.get("UID") == str(ref.uid).encode() and section in attributes:
            value = attributes[section]
            if (value is not None and not isinstance(value, bytes)) or len(value or b"") > CHUNK_BYTES:
                raise ResponseSyntaxError(f"{section} is not a string of at most {CHUNK_BYTES} bytes")
            return value or b""
    raise ImportSourceUnreachable(f"the message holding '{ref.part}' is no longer in the mailbox: run again")
