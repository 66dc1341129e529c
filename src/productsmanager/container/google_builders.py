"""Builders of the Google Drive integration: the guarded transport, Google's OAuth endpoints (none when no OAuth
client is configured: the status then says `not_configured`) and the Drive client."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from productsmanager.application.google.ports import DriveClient, GoogleOAuth, RefreshLock
from productsmanager.config import Config

GOOGLE_TIMEOUT_SECONDS = 30


def build_google_http(guard: Any) -> Callable[[], Any]:
    """A new httplib2 transport per call (httplib2 is not thread-safe), its connections through the guard."""

    def http() -> Any:
        from productsmanager.adapters.google.guarded_http import guarded_http

        return guarded_http(guard, GOOGLE_TIMEOUT_SECONDS)

    return http


def build_redis_refresh_lock(client: Any) -> RefreshLock:
    from productsmanager.adapters.redis.refresh_lock import RedisRefreshLock

    return RedisRefreshLock(client)


def build_google_oauth(config: Config, http: Callable[[], Any]) -> GoogleOAuth | None:
    if not (config.google_client_id and config.google_client_secret and config.google_redirect_uri):
        return None
    from productsmanager.adapters.google.oauth_client import GoogleOAuthClient

    return GoogleOAuthClient(
        client_id=config.google_client_id,
        client_secret=config.google_client_secret,
        redirect_uri=config.google_redirect_uri,
        auth_uri=config.google_auth_uri,
        token_uri=config.google_token_uri,
        revoke_uri=config.google_revoke_uri,
        http=http,
    )


def build_drive_client(config: Config, http: Callable[[], Any]) -> DriveClient:
    from productsmanager.adapters.google.drive_client import GoogleDriveClient

    return GoogleDriveClient(config.google_api_endpoint, http)
