"""The Google connection's rows: the token (one per provider), authorizations under way, the folder cache."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, delete, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from productsmanager.adapters.sqlalchemy.tables import gdrive_folders, oauth_states, oauth_tokens
from productsmanager.application.google.ports import DriveItem, FolderListing, StoredState, StoredToken
from productsmanager.domain.google.drive import FOLDER_MIME_TYPE, Crumb
from productsmanager.domain.google.oauth import ConnectionStatus, OAuthState

PROVIDER = "google"
_INSERT = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}
ABANDONED_AFTER = timedelta(days=1)
_TOKEN = oauth_tokens.c.provider == PROVIDER


class SqlAlchemyGoogleStore:
    def __init__(self, connection: Connection) -> None:
        self._conn = connection

    def token(self) -> StoredToken | None:
        row = self._conn.execute(select(oauth_tokens).where(_TOKEN)).mappings().first()
        if row is None:
            return None
        return StoredToken(
            access_encrypted=row["access_token_encrypted"],
            refresh_encrypted=row["refresh_token_encrypted"],
            expires_at=row["expires_at"],
            scopes=tuple(row["scopes"].split()),
            email=row["account_email"],
            status=ConnectionStatus(row["status"]),
            updated_at=row["updated_at"],
        )

    def save_token(self, token: StoredToken) -> None:
        values = _token_values(token)
        insert = _INSERT[self._conn.dialect.name](oauth_tokens).values(provider=PROVIDER, **values)
        self._conn.execute(insert.on_conflict_do_update(index_elements=[oauth_tokens.c.provider], set_=values))

    def renew_token(self, token: StoredToken) -> bool:
        renewed = update(oauth_tokens).where(_TOKEN).values(**_token_values(token), refreshing_until=None)
        return self._conn.execute(renewed).rowcount == 1

    def set_status(self, status: ConnectionStatus, at: datetime) -> None:
        self._conn.execute(update(oauth_tokens).where(_TOKEN).values(status=status.value, updated_at=at))

    def delete_token(self) -> None:
        self._conn.execute(delete(oauth_tokens).where(_TOKEN))

    def claim_refresh(self, now: datetime, until: datetime) -> bool:
        free = or_(oauth_tokens.c.refreshing_until.is_(None), oauth_tokens.c.refreshing_until <= now)
        claimed = self._conn.execute(update(oauth_tokens).where(_TOKEN, free).values(refreshing_until=until))
        return claimed.rowcount == 1

    def release_refresh(self) -> None:
        self._conn.execute(update(oauth_tokens).where(_TOKEN).values(refreshing_until=None))

    def add_state(self, state: StoredState) -> None:
        abandoned = state.state.created_at - ABANDONED_AFTER  # authorizations never completed are swept here
        self._conn.execute(delete(oauth_states).where(oauth_states.c.created_at < abandoned))
        self._conn.execute(
            oauth_states.insert().values(
                state=state.state.state,
                provider=PROVIDER,
                verifier_encrypted=state.verifier_encrypted,
                user_id=state.state.user_id,
                created_at=state.state.created_at,
            )
        )

    def take_state(self, state: str) -> StoredState | None:
        row = (
            self._conn.execute(delete(oauth_states).where(oauth_states.c.state == state).returning(*oauth_states.c))
            .mappings()
            .first()
        )
        if row is None:
            return None
        pending = OAuthState(row["state"], "", row["user_id"], row["created_at"])
        return StoredState(pending, row["verifier_encrypted"])

    def cached_folders(self, parent: str, fresh_since: datetime) -> FolderListing | None:
        columns = (gdrive_folders.c.folders, gdrive_folders.c.breadcrumbs)
        query = select(*columns).where(gdrive_folders.c.parent_id == parent, gdrive_folders.c.fetched_at >= fresh_since)
        row = self._conn.execute(query).first()
        if row is None:
            return None
        found, crumbs = row
        folders = [
            DriveItem(f["id"], f["name"], FOLDER_MIME_TYPE, modified_at=f.get("modified_at"), parents=(parent,))
            for f in found
        ]
        return FolderListing(parent, [Crumb(c["id"], c["name"]) for c in crumbs], folders)

    def cache_folders(self, listing: FolderListing, at: datetime) -> None:
        listed = [{"id": f.id, "name": f.name, "modified_at": f.modified_at} for f in listing.folders]
        crumbs = [{"id": c.id, "name": c.name} for c in listing.breadcrumbs]
        values = {"folders": listed, "breadcrumbs": crumbs, "fetched_at": at}
        insert = _INSERT[self._conn.dialect.name](gdrive_folders).values(parent_id=listing.parent, **values)
        self._conn.execute(insert.on_conflict_do_update(index_elements=[gdrive_folders.c.parent_id], set_=values))

    def clear_folders(self) -> None:
        self._conn.execute(delete(gdrive_folders))


def _token_values(token: StoredToken) -> dict[str, Any]:
    return {
        "access_token_encrypted": token.access_encrypted,
        "refresh_token_encrypted": token.refresh_encrypted,
        "expires_at": token.expires_at,
        "scopes": " ".join(token.scopes),
        "account_email": token.email,
        "status": token.status.value,
        "updated_at": token.updated_at,
    }
