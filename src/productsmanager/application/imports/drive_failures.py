"""The Drive integration's failures as an import source's errors, each reason naming what the user set (the
folder id, the file) and the account, and what to do; never Google's own message, nor an address. Whether an
item is refused for good (taken as a failed job) or the run fails and the next one tries again follows from
who can fix it: a Sheet too large to export stays so until it changes (and a change gives it a new key), while
a folder not shared, an account to reconnect or Google down are fixed elsewhere and the next run succeeds."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

from productsmanager.application.google.ports import (
    DriveExportTooLarge,
    DriveNotFound,
    DriveRefused,
    DriveUnauthorized,
    GoogleUnavailable,
)
from productsmanager.application.google.tokens import GoogleNotConnected, GoogleReconnectNeeded
from productsmanager.application.imports.source_ports import ImportSourceUnreachable, SourceItemRefused
from productsmanager.domain.imports.source_items import SourceItem

NOT_CONNECTED = "Google Drive is not connected: an admin connects the Google account in the integrations"
RECONNECT = (
    "Google Drive no longer accepts the connected account's authorization: an admin connects the Google account "
    "again in the integrations"
)
UNREACHABLE = "Google Drive could not be reached: the next run tries again"
EXPORT_LIMIT = "10 MB"


class DriveFailures:
    """For one source: `folder_id` as configured, `account_email` read only when a reason needs it."""

    def __init__(self, folder_id: str, account_email: Callable[[], str | None]) -> None:
        self._folder_id = folder_id
        self._account_email = account_email

    @contextlib.contextmanager
    def listing(self) -> Iterator[None]:
        """Around reading the folder."""
        try:
            yield
        except DriveNotFound:
            raise ImportSourceUnreachable(
                f"Google Drive folder {self._folder_id} was not found, or is not shared with {self._account()}: "
                "share the folder with that account, or correct the folder id"
            ) from None
        except DriveRefused:
            raise ImportSourceUnreachable(
                f"Google Drive refused {self._account()} access to folder {self._folder_id}: share the folder with "
                "that account (viewer is enough)"
            ) from None
        except (GoogleNotConnected, GoogleReconnectNeeded, DriveUnauthorized, GoogleUnavailable) as error:
            raise _account_failure(error) from None

    @contextlib.contextmanager
    def fetching(self, item: SourceItem) -> Iterator[None]:
        """Around fetching one item's bytes."""
        try:
            yield
        except DriveExportTooLarge:
            raise SourceItemRefused(
                f"Google Drive will not export the Sheet {item.name}: its XLSX export is over Drive's limit of "
                f"{EXPORT_LIMIT}; the supplier shares the catalog as an .xlsx file instead"
            ) from None
        except DriveNotFound:
            raise ImportSourceUnreachable(
                f"{item.name} left Google Drive folder {self._folder_id} before it could be fetched: the next run "
                "takes the newest file there"
            ) from None
        except DriveRefused:
            raise ImportSourceUnreachable(
                f"Google Drive refused to give {item.name} to {self._account()}: the file's owner lets that account "
                "download it, and the next run takes it"
            ) from None
        except (GoogleNotConnected, GoogleReconnectNeeded, DriveUnauthorized, GoogleUnavailable) as error:
            raise _account_failure(error) from None

    def not_a_folder(self) -> ImportSourceUnreachable:
        return ImportSourceUnreachable(
            f"{self._folder_id} is a file in Google Drive, not a folder: the folder id is the last part of the "
            "folder's address, after /folders/"
        )

    def too_many_files(self, limit: int) -> ImportSourceUnreachable:
        return ImportSourceUnreachable(
            f"Google Drive folder {self._folder_id} holds more than {limit} files: move older files out of it, or "
            "give the supplier a folder of its own"
        )

    def changed(self, item: SourceItem) -> ImportSourceUnreachable:
        return ImportSourceUnreachable(f"{item.name} changed in Google Drive while it was read: the next run takes it")

    def _account(self) -> str:
        email = self._account_email()
        return email if email else "the connected Google account"


def _account_failure(error: Exception) -> ImportSourceUnreachable:
    if isinstance(error, GoogleNotConnected):
        return ImportSourceUnreachable(NOT_CONNECTED)
    if isinstance(error, GoogleReconnectNeeded | DriveUnauthorized):  # a 401 even after a fresh token
        return ImportSourceUnreachable(RECONNECT)
    return ImportSourceUnreachable(UNREACHABLE)
