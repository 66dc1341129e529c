"""Connecting the Google account: the authorization URL (state + PKCE, offline access, consent), the callback
that exchanges the code, the status, a test call and the disconnection (revoked at Google, then forgotten)."""

from __future__ import annotations

import contextlib
import uuid
from datetime import timedelta

from attrs import frozen

from productsmanager.application.google.ports import (
    DriveClient,
    DriveUnauthorized,
    GoogleOAuth,
    InvalidGrant,
    StoredState,
    StoredToken,
)
from productsmanager.application.google.tokens import GoogleTokens
from productsmanager.application.ports import Clock, SecretBox, UnitOfWorkFactory
from productsmanager.domain.errors import ProductsManagerError
from productsmanager.domain.google.oauth import ConnectionStatus, InvalidOAuthState, OAuthState, Pkce


class GoogleNotConfigured(ProductsManagerError):
    code = "google_not_configured"

    def __init__(self) -> None:
        super().__init__("Google Drive is not configured: set PM_GOOGLE_CLIENT_ID, _CLIENT_SECRET and _REDIRECT_URI")


@frozen
class ConnectionView:
    status: ConnectionStatus
    email: str | None = None
    scopes: tuple[str, ...] = ()
    expires_at: str | None = None


class GoogleConnection:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        oauth: GoogleOAuth | None,
        drive: DriveClient,
        tokens: GoogleTokens | None,
        secrets: SecretBox,
        clock: Clock,
    ) -> None:
        self._uow = uow
        self._oauth = oauth
        self._drive = drive
        self._tokens = tokens
        self._secrets = secrets
        self._clock = clock

    def authorize(self, user_id: uuid.UUID) -> str:
        """The URL at Google to send the admin's browser to; its state is kept 10 minutes for the callback."""
        oauth = self._configured()
        state = OAuthState.new(user_id, self._clock.now())
        with self._uow() as uow:
            uow.google.add_state(StoredState(state, self._secrets.encrypt(state.verifier)))
            uow.commit()
        return oauth.authorization_url(state.state, Pkce.of(state.verifier).challenge)

    def complete(self, state: str, code: str) -> ConnectionView:
        """The callback: the state is taken (single use) and checked, the code exchanged with its verifier."""
        oauth = self._configured()
        with self._uow() as uow:
            stored = uow.google.take_state(state)
            uow.commit()
        if stored is None:
            raise InvalidOAuthState("unknown or already used state: start the connection again", field="state")
        stored.state.check(self._clock.now())
        try:
            grant = oauth.exchange(code, self._secrets.decrypt(stored.verifier_encrypted))
        except InvalidGrant:
            raise InvalidOAuthState("Google refused the authorization code: start again", field="code") from None
        if not grant.refresh_token:
            raise InvalidOAuthState("Google gave no refresh token: revoke the app's access and start again")
        email = self._drive.account_email(grant.access_token)
        now = self._clock.now()
        token = StoredToken(
            access_encrypted=self._secrets.encrypt(grant.access_token),
            refresh_encrypted=self._secrets.encrypt(grant.refresh_token),
            expires_at=now + timedelta(seconds=grant.expires_in),
            scopes=grant.scopes,
            email=email,
            status=ConnectionStatus.CONNECTED,
            updated_at=now,
        )
        with self._uow() as uow:
            uow.google.save_token(token)
            uow.google.clear_folders()
            uow.commit()
        return self._view(token)

    def status(self) -> ConnectionView:
        if self._oauth is None:
            return ConnectionView(ConnectionStatus.NOT_CONFIGURED)
        with self._uow() as uow:
            token = uow.google.token()
        return ConnectionView(ConnectionStatus.DISCONNECTED) if token is None else self._view(token)

    def test(self) -> ConnectionView:
        """One cheap Drive call (the account's address) with a fresh token: proves the whole chain works."""
        self._configured()
        assert self._tokens is not None
        try:
            self._drive.account_email(self._tokens.access_token())
        except DriveUnauthorized:  # revoked early or clock skew: one refresh, as every Drive call gets
            self._drive.account_email(self._tokens.access_token(force_refresh=True))
        return self.status()

    def disconnect(self) -> ConnectionView:
        """Revokes the refresh token at Google (which revokes its access tokens too), then forgets them. A token
        Google already refuses is forgotten all the same; a Google that is down keeps it (503: try again)."""
        oauth = self._configured()
        with self._uow() as uow:
            token = uow.google.token()
        if token is not None:
            with contextlib.suppress(InvalidGrant):
                oauth.revoke(self._secrets.decrypt(token.refresh_encrypted))
        with self._uow() as uow:
            uow.google.delete_token()
            uow.google.clear_folders()
            uow.commit()
        return ConnectionView(ConnectionStatus.DISCONNECTED)

    def _configured(self) -> GoogleOAuth:
        if self._oauth is None:
            raise GoogleNotConfigured()
        return self._oauth

    @staticmethod
    def _view(token: StoredToken) -> ConnectionView:
        return ConnectionView(token.status, token.email, token.scopes, token.expires_at.isoformat())
