"""The Google Drive integration's settings. The seed's names (`GOOGLE_CLIENT_ID`...) are read as deployments
already export them; the `PM_GOOGLE_*` name wins when both are set. The endpoints default to Google's and are
overridable so that tests (and a proxy in front of Google) can point the client elsewhere."""

from __future__ import annotations

from collections.abc import Mapping

from productsmanager.config.parsing import ConfigError, first_set, http_url

GOOGLE_AUTH_URI = "https://accounts.google.com/o/oauth2/v2/auth"
GOOGLE_TOKEN_URI = "https://oauth2.googleapis.com/token"
GOOGLE_REVOKE_URI = "https://oauth2.googleapis.com/revoke"
GOOGLE_API_ENDPOINT = "https://www.googleapis.com"


def google_settings(env: Mapping[str, str]) -> dict[str, object]:
    """The OAuth client (all three or none) and the endpoints it talks to."""
    client_id = first_set(env, "PM_GOOGLE_CLIENT_ID", "GOOGLE_CLIENT_ID")
    secret = first_set(env, "PM_GOOGLE_CLIENT_SECRET", "GOOGLE_CLIENT_SECRET")
    redirect = first_set(env, "PM_GOOGLE_REDIRECT_URI", "GOOGLE_REDIRECT_URI")
    given = [found for found in (client_id, secret, redirect) if found]
    if given and len(given) != 3:
        named = ", ".join(name for name, _ in given)
        raise ConfigError(f"{named} set without the rest: set PM_GOOGLE_CLIENT_ID, _CLIENT_SECRET and _REDIRECT_URI")
    return {
        "google_client_id": client_id[1] if client_id else None,
        "google_client_secret": secret[1] if secret else None,
        "google_redirect_uri": http_url(*redirect) if redirect else None,
        "google_auth_uri": http_url("PM_GOOGLE_AUTH_URI", env.get("PM_GOOGLE_AUTH_URI") or GOOGLE_AUTH_URI),
        "google_token_uri": http_url("PM_GOOGLE_TOKEN_URI", env.get("PM_GOOGLE_TOKEN_URI") or GOOGLE_TOKEN_URI),
        "google_revoke_uri": http_url("PM_GOOGLE_REVOKE_URI", env.get("PM_GOOGLE_REVOKE_URI") or GOOGLE_REVOKE_URI),
        "google_api_endpoint": http_url(
            "PM_GOOGLE_API_ENDPOINT", env.get("PM_GOOGLE_API_ENDPOINT") or GOOGLE_API_ENDPOINT
        ),
    }
