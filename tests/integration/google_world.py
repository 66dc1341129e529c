"""What the Google Drive tests share: the API's container pointed at a fake Google (its endpoints, a transport
trusting the fake's certificate, the guard allowing loopback), and a connected account."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httplib2
import pytest
from dependency_injector import providers
from sqlalchemy import update

from productsmanager.adapters.google.drive_client import GoogleDriveClient
from productsmanager.adapters.google.guarded_http import guarded_http
from productsmanager.adapters.google.oauth_client import GoogleOAuthClient
from productsmanager.adapters.http.outbound_guard import OutboundGuard
from productsmanager.adapters.sqlalchemy.tables import oauth_tokens
from tests.integration.fake_google import CLIENT_ID, CLIENT_SECRET, FakeGoogle, fake_google
from tests.integration.helpers import Backend, Users

API = "/api/v1/integrations/google"
REDIRECT = "https://pm.example.com/api/v1/integrations/google/callback"
CHUNK = 256 * 1024


def transport(fake: FakeGoogle, guard: OutboundGuard) -> Callable[[], httplib2.Http]:
    return lambda: guarded_http(guard, 5, ca_certs=fake.ca_file)


def point_at(backend: Backend, fake: FakeGoogle, guard: OutboundGuard) -> None:
    http = transport(fake, guard)
    oauth = GoogleOAuthClient(CLIENT_ID, CLIENT_SECRET, REDIRECT, f"{fake.base_url}/auth", f"{fake.base_url}/token",
                              f"{fake.base_url}/revoke", http)  # fmt: skip
    backend.container.google_oauth.override(providers.Object(oauth))
    backend.container.drive_client.override(providers.Object(GoogleDriveClient(fake.base_url, http, CHUNK)))


@pytest.fixture(name="google")
def google_fixture(backend: Backend) -> Iterator[FakeGoogle]:
    with fake_google() as fake:
        point_at(backend, fake, OutboundGuard.allowing("127.0.0.1"))
        try:
            yield fake
        finally:
            backend.container.google_oauth.reset_override()
            backend.container.drive_client.reset_override()


def connect(backend: Backend, users: Users, fake: FakeGoogle) -> None:
    url = backend.client.simulate_get(f"{API}/authorize", headers=users.admin).json["url"]
    query = parse_qs(urlsplit(url).query)
    code = fake.approve(query["code_challenge"][0])
    back = backend.client.simulate_get(f"{API}/callback", params={"state": query["state"][0], "code": code})
    assert back.status_code == 200, back.text


def upload(backend: Backend, headers: dict[str, str], name: str, data: bytes, folder: str = "sup") -> Any:
    """`POST …/upload` with a multipart form: `folder_id`, then `file`."""
    boundary = "google-upload-boundary"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="folder_id"\r\n\r\n{folder}\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            "Content-Type: text/csv\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    content_type = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
    return backend.client.simulate_post(f"{API}/upload", headers={**headers, **content_type}, body=body)


def expire_stored_token(backend: Backend) -> None:
    past = datetime.now(UTC) - timedelta(minutes=1)
    with backend.engine.begin() as conn:
        conn.execute(update(oauth_tokens).values(expires_at=past))
