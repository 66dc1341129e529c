"""Google's OAuth 2.0 endpoints for a web server application: the authorization URL (offline access, consent,
PKCE S256), the token endpoint (authorization_code and refresh_token grants) and the revocation endpoint.

The token endpoint answers errors as `{"error": "invalid_grant", "error_description": "..."}` with status 400:
`invalid_grant` (a used, expired or revoked code or refresh token) is the one the use cases act on."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlencode

import httplib2

from productsmanager.application.google.ports import SCOPES, GoogleUnavailable, InvalidGrant, TokenGrant

log = logging.getLogger(__name__)
_FORM = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"}


class GoogleOAuthClient:
    def __init__(
        self,
        client_id: str,
        client_secret: str,
        redirect_uri: str,
        auth_uri: str,
        token_uri: str,
        revoke_uri: str,
        http: Callable[[], httplib2.Http],
    ) -> None:
        self._client_id = client_id
        self._client_secret = client_secret
        self._redirect_uri = redirect_uri
        self._auth_uri = auth_uri
        self._token_uri = token_uri
        self._revoke_uri = revoke_uri
        self._http = http

    def authorization_url(self, state: str, code_challenge: str) -> str:
        query = {
            "client_id": self._client_id,
            "redirect_uri": self._redirect_uri,
            "response_type": "code",
            "scope": " ".join(SCOPES),
            "access_type": "offline",  # a refresh token, so that jobs run without the admin
            "prompt": "consent",  # a refresh token again on a reconnection, not only the first time
            "include_granted_scopes": "true",
            "state": state,
            "code_challenge": code_challenge,
            "code_challenge_method": "S256",
        }
        return f"{self._auth_uri}?{urlencode(query)}"

    def exchange(self, code: str, verifier: str) -> TokenGrant:
        return self._grant({"grant_type": "authorization_code", "code": code, "code_verifier": verifier,
                            "redirect_uri": self._redirect_uri})  # fmt: skip

    def refresh(self, refresh_token: str) -> TokenGrant:
        return self._grant({"grant_type": "refresh_token", "refresh_token": refresh_token})

    def revoke(self, token: str) -> None:
        status, body = self._post(self._revoke_uri, {"token": token})
        if status == 200:
            return
        if status == 400:  # {"error": "invalid_token"}: revoked already, or expired
            raise InvalidGrant(str(body.get("error_description") or body.get("error") or "invalid token"))
        raise GoogleUnavailable(f"Google's revocation endpoint answered {status}")

    def _grant(self, form: dict[str, str]) -> TokenGrant:
        form |= {"client_id": self._client_id, "client_secret": self._client_secret}
        status, body = self._post(self._token_uri, form)
        if status == 200 and isinstance(body.get("access_token"), str):
            return TokenGrant(
                access_token=body["access_token"],
                expires_in=int(body.get("expires_in") or 3600),
                refresh_token=body.get("refresh_token"),
                scopes=tuple(str(body.get("scope") or "").split()),
            )
        if status == 400 and body.get("error") == "invalid_grant":
            raise InvalidGrant(str(body.get("error_description") or "invalid_grant"))
        log.warning("Google's token endpoint answered %s: %s", status, body.get("error"))
        raise GoogleUnavailable(f"Google's token endpoint answered {status} ({body.get('error') or 'no reason'})")

    def _post(self, uri: str, form: Mapping[str, str]) -> tuple[int, dict[str, Any]]:
        try:
            response, content = self._http().request(uri, "POST", body=urlencode(form), headers=dict(_FORM))
        except (OSError, httplib2.HttpLib2Error) as error:
            log.warning("Google's OAuth endpoint %s could not be reached: %s", uri, error)
            raise GoogleUnavailable("could not connect to Google") from None
        try:
            body = json.loads(content or b"{}")
        except ValueError:
            body = {}
        return response.status, body if isinstance(body, dict) else {}
