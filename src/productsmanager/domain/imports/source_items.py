"""What a source offers to import, and which of it to take: a file in a folder, an attachment of a message.

An item is known by its `key`, stable for the same content and different for new content (a folder file's
name with size and time, a Drive file's id with checksum, a message's Message-ID with the attachment's name):
a key taken once is never imported again, however many schedulers or runs see it."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from datetime import datetime

from attrs import frozen

MAX_KEY_LENGTH = 2000


@frozen
class SourceItem:
    """`ref` is the reader's own way back to the item (a Drive id, a message's UID and MIME part), opaque
    here. `failure` marks an item that cannot be imported and says why (an attachment over the size limit, a
    supplier's message without a matching attachment): it still becomes a job, failed, so that it shows."""

    key: str
    name: str
    modified_at: datetime | None = None
    size: int | None = None
    ref: str = ""
    group: str = ""  # items of one message share it: the message is dealt with once all of them are taken
    failure: str | None = None

    @property
    def key_digest(self) -> str:
        """A fixed-size form of the key for an index (a Message-ID may be long)."""
        return hashlib.sha256(self.key[:MAX_KEY_LENGTH].encode("utf-8", "surrogatepass")).hexdigest()


def items_to_take(
    items: Iterable[SourceItem], every_item: bool, taken: Callable[[SourceItem], bool]
) -> list[SourceItem]:
    """The items a run imports. `every_item` (a mailbox): each one not taken yet, oldest first so jobs run in
    the order the supplier sent them. Otherwise (a folder): the newest one if it was not taken; once it is, an
    older one never is (it would bring back older prices and stock). Equal times: the first by name."""
    listed = sorted(items, key=lambda item: item.name)
    if every_item:  # oldest first; items without a time last
        listed.sort(key=lambda item: (item.modified_at is None, item.modified_at or datetime.min))
    else:  # newest first (a stable sort keeps names in order within one time); items without a time last
        listed.sort(key=lambda item: (item.modified_at is not None, item.modified_at or datetime.min), reverse=True)
    if every_item:
        return [item for item in listed if not taken(item)]
    newest = next(iter(listed), None)
    return [newest] if newest is not None and not taken(newest) else []
