"""Fakes of the Google ports: the stored connection, Google's OAuth endpoints and Drive."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

from attrs import define, evolve, field

from productsmanager.application.google.ports import (
    DriveItem,
    DriveNotFound,
    DriveUnauthorized,
    FolderListing,
    InvalidGrant,
    StoredState,
    StoredToken,
    TokenGrant,
)
from productsmanager.domain.google.drive import SHEET_MIME_TYPE
from productsmanager.domain.google.oauth import ConnectionStatus, challenge

_CLAIM_LOCK = threading.Lock()  # the compare-and-set is atomic, as the database's conditional UPDATE is


@define
class GoogleState:
    token: StoredToken | None = None
    refreshing_until: datetime | None = None
    states: dict[str, StoredState] = field(factory=dict)
    folders: dict[str, tuple[datetime, FolderListing]] = field(factory=dict)


class FakeGoogleStore:
    def __init__(self, state: GoogleState) -> None:
        self._s = state

    def token(self) -> StoredToken | None:
        return self._s.token

    def save_token(self, token: StoredToken) -> None:
        self._s.token = token

    def renew_token(self, token: StoredToken) -> bool:
        if self._s.token is None:
            return False
        self._s.token, self._s.refreshing_until = token, None
        return True

    def set_status(self, status: ConnectionStatus, at: datetime) -> None:
        if self._s.token is not None:
            self._s.token = evolve(self._s.token, status=status, updated_at=at)

    def delete_token(self) -> None:
        self._s.token = None

    def claim_refresh(self, now: datetime, until: datetime) -> bool:
        with _CLAIM_LOCK:
            if self._s.token is None or (self._s.refreshing_until is not None and self._s.refreshing_until > now):
                return False
            self._s.refreshing_until = until
            return True

    def release_refresh(self) -> None:
        self._s.refreshing_until = None

    def add_state(self, state: StoredState) -> None:
        self._s.states[state.state.state] = state

    def take_state(self, state: str) -> StoredState | None:
        return self._s.states.pop(state, None)

    def cached_folders(self, parent: str, fresh_since: datetime) -> FolderListing | None:
        found = self._s.folders.get(parent)
        return None if found is None or found[0] < fresh_since else found[1]

    def cache_folders(self, listing: FolderListing, at: datetime) -> None:
        self._s.folders[listing.parent] = (at, listing)

    def clear_folders(self) -> None:
        self._s.folders.clear()


class SharedGoogleUnitOfWork:
    """A unit of work straight on one shared state (no copy), for tests with threads, as several processes
    share one database row."""

    def __init__(self, state: GoogleState) -> None:
        self.google = FakeGoogleStore(state)

    def __enter__(self) -> SharedGoogleUnitOfWork:
        return self

    def __exit__(self, *exc_info: object) -> None:
        return None

    def commit(self) -> None:
        return None


class FakeOAuth:
    """Google's token endpoint: codes issued with a PKCE challenge, refresh tokens that can be revoked."""

    def __init__(self) -> None:
        self.codes: dict[str, str] = {}  # code -> challenge
        self.refresh_tokens = {"refresh-1"}
        self.refreshes = 0
        self.revoked: list[str] = []
        self.delay = 0.0
        self.error: Exception | None = None

    def authorization_url(self, state: str, code_challenge: str) -> str:
        self.codes["code-1"] = code_challenge
        return f"https://accounts.example/auth?state={state}&code_challenge={code_challenge}"

    def exchange(self, code: str, verifier: str) -> TokenGrant:
        if self.codes.pop(code, None) != challenge(verifier):
            raise InvalidGrant("Bad Request")
        return TokenGrant("access-1", 3599, "refresh-1", ("https://www.googleapis.com/auth/drive",))

    def refresh(self, refresh_token: str) -> TokenGrant:
        if self.error is not None:
            raise self.error
        if refresh_token not in self.refresh_tokens:
            raise InvalidGrant("Token has been expired or revoked.")
        if self.delay:
            threading.Event().wait(self.delay)
        self.refreshes += 1
        return TokenGrant(f"access-r{self.refreshes}", 3599)

    def revoke(self, token: str) -> None:
        if self.error is not None:
            raise self.error
        self.revoked.append(token)
        self.refresh_tokens.discard(token)


class FakeDrive:
    def __init__(self, items: Iterable[DriveItem] = (), valid: Iterable[str] = ()) -> None:
        self.items = {item.id: item for item in items}
        self.contents: dict[str, bytes] = {}
        self.valid_tokens = set(valid)
        self.calls: list[str] = []
        self.page_size = 2

    def _check(self, token: str, call: str) -> None:
        self.calls.append(call)
        if self.valid_tokens and token not in self.valid_tokens:
            raise DriveUnauthorized("Request had invalid authentication credentials.")

    def account_email(self, token: str) -> str:
        self._check(token, "about")
        return "owner@example.com"

    def item(self, token: str, item_id: str) -> DriveItem:
        self._check(token, f"get {item_id}")
        if item_id not in self.items:
            raise DriveNotFound(f"File not found: {item_id}.")
        return self.items[item_id]

    def folders(self, token: str, parent: str) -> list[DriveItem]:
        self._check(token, f"folders {parent}")
        return [i for i in self.items.values() if parent in i.parents and i.mime_type.endswith("folder")]

    def files(self, token: str, folder_id: str, page_token: str | None) -> tuple[list[DriveItem], str | None]:
        self._check(token, f"files {folder_id}")
        found = [i for i in self.items.values() if folder_id in i.parents and not i.mime_type.endswith("folder")]
        start = int(page_token or 0)
        end = start + self.page_size
        return found[start:end], str(end) if end < len(found) else None

    def download(self, token: str, item: DriveItem) -> Iterator[bytes]:
        """Lazy like the real one: the token is presented when the first chunk is asked for."""
        self._check(token, f"{'export' if item.mime_type == SHEET_MIME_TYPE else 'media'} {item.id}")
        yield self.contents.get(item.id, b"")

    def upload(self, token: str, folder_id: str, name: str, mime_type: str, content: bytes) -> DriveItem:
        self._check(token, f"upload {name}")
        item = DriveItem(f"new-{len(self.items)}", name, mime_type, len(content), parents=(folder_id,))
        self.items[item.id], self.contents[item.id] = item, content
        return item

    def upload_stream(self, token: str, folder_id: str, name: str, mime_type: str, chunks: Iterable[bytes]) -> Any:
        return self.upload(token, folder_id, name, mime_type, b"".join(chunks))
