"""What the Google use cases need: the stored connection (token row, pending states, folder cache) through the
unit of work, Google's OAuth endpoints and the Drive API. Secrets cross these ports encrypted (the store) or in
the clear only between the use case and Google (the clients)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Protocol

from attrs import frozen

from productsmanager.domain.errors import ProductsManagerError
from productsmanager.domain.google.drive import Crumb
from productsmanager.domain.google.oauth import ConnectionStatus, OAuthState

SCOPES = ("https://www.googleapis.com/auth/drive",)


class GoogleUnavailable(ProductsManagerError):
    """Google could not be reached, answered 5xx or asked us to slow down (403/429 rate limits): try later."""

    code = "google_unavailable"


class InvalidGrant(ProductsManagerError):
    """Google refused a code or refresh token (`invalid_grant`): revoked, expired or already used."""

    code = "invalid_grant"


class DriveNotFound(ProductsManagerError):
    code = "not_found"


class DriveRefused(ProductsManagerError):
    """Drive refused the request for good (no permission on that file, a name it will not take)."""

    code = "google_refused"


class DriveExportTooLarge(DriveRefused):
    """Drive will not export this Google Workspace file (403 `exportSizeLimitExceeded`): its export is over
    Drive's limit (10 MB), whoever asks and however often."""

    code = "google_export_too_large"


class DriveUnauthorized(ProductsManagerError):
    """Drive answered 401: the access token is no longer accepted (revoked with the account, clock skew)."""

    code = "google_unauthorized"


@frozen
class TokenGrant:
    """What Google's token endpoint answered (`refresh_token` only on a code exchange with consent)."""

    access_token: str
    expires_in: int
    refresh_token: str | None = None
    scopes: tuple[str, ...] = ()


@frozen
class StoredToken:
    """The `oauth_tokens` row of a provider, its tokens as the secret box encrypted them."""

    access_encrypted: str
    refresh_encrypted: str
    expires_at: datetime
    scopes: tuple[str, ...]
    email: str | None
    status: ConnectionStatus
    updated_at: datetime


@frozen
class DriveItem:
    id: str
    name: str
    mime_type: str
    size: int | None = None
    modified_at: str | None = None
    parents: tuple[str, ...] = ()
    checksum: str | None = None  # Drive's md5Checksum: binary files only (a Google Sheet has none)


@frozen
class FolderListing:
    """A folder's subfolders and the path from the root to it, as listed (and cached) together."""

    parent: str
    breadcrumbs: list[Crumb]
    folders: list[DriveItem]


@frozen
class StoredState:
    state: OAuthState
    verifier_encrypted: str


class GoogleStore(Protocol):
    """`uow.google`: the token row (one per provider), pending authorization states and the folder cache."""

    def token(self) -> StoredToken | None: ...
    def save_token(self, token: StoredToken) -> None: ...
    def renew_token(self, token: StoredToken) -> bool:
        """Replaces the row's tokens and ends the refresh claim; False when the row is gone (disconnected)."""
        ...

    def set_status(self, status: ConnectionStatus, at: datetime) -> None: ...
    def delete_token(self) -> None: ...
    def claim_refresh(self, now: datetime, until: datetime) -> bool:
        """Compare-and-set: True for the one caller that may refresh now (no claim, or an expired one)."""
        ...

    def release_refresh(self) -> None: ...
    def add_state(self, state: StoredState) -> None: ...
    def take_state(self, state: str) -> StoredState | None:
        """The pending state, deleted in the same statement: a second callback with it finds nothing."""
        ...

    def cached_folders(self, parent: str, fresh_since: datetime) -> FolderListing | None: ...
    def cache_folders(self, listing: FolderListing, at: datetime) -> None: ...
    def clear_folders(self) -> None: ...


class RefreshLock(Protocol):
    """Who refreshes the shared token now, across processes (Redis when there is one; without, the claim on
    the token row serves). `acquire` never waits: a claim id, or None while another process holds it."""

    def acquire(self, seconds: float) -> str | None: ...
    def release(self, claim: str) -> None: ...


class GoogleOAuth(Protocol):
    """Google's authorization, token and revocation endpoints (errors: InvalidGrant, GoogleUnavailable)."""

    def authorization_url(self, state: str, code_challenge: str) -> str: ...
    def exchange(self, code: str, verifier: str) -> TokenGrant: ...
    def refresh(self, refresh_token: str) -> TokenGrant: ...
    def revoke(self, token: str) -> None: ...


class DriveClient(Protocol):
    """Drive v3 on behalf of the holder of `token` (errors: DriveNotFound, DriveUnauthorized, GoogleUnavailable)."""

    def account_email(self, token: str) -> str: ...
    def item(self, token: str, item_id: str) -> DriveItem: ...
    def folders(self, token: str, parent: str) -> list[DriveItem]: ...
    def files(self, token: str, folder_id: str, page_token: str | None) -> tuple[list[DriveItem], str | None]: ...
    def download(self, token: str, item: DriveItem) -> Iterator[bytes]:
        """The file's bytes in chunks; a Google Sheet exported as XLSX."""
        ...

    def upload(self, token: str, folder_id: str, name: str, mime_type: str, content: bytes) -> DriveItem: ...
    def upload_stream(
        self, token: str, folder_id: str, name: str, mime_type: str, chunks: Iterable[bytes]
    ) -> DriveItem:
        """A resumable upload of a stream whose total size is known only at its end."""
        ...
