"""The Google Drive integration end to end on both databases: the real adapters (Google's client libraries on the
guarded transport) against a fake Google over TLS on loopback."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
from dependency_injector import providers
from redis import Redis
from sqlalchemy import select

from productsmanager.adapters.http.outbound_guard import OutboundGuard
from productsmanager.adapters.redis.refresh_lock import RedisRefreshLock
from productsmanager.adapters.sqlalchemy.tables import gdrive_folders, oauth_tokens
from tests.integration.auth_redis import REDIS_URL
from tests.integration.fake_google import EMAIL, FakeGoogle
from tests.integration.fake_google_drive import FOLDER
from tests.integration.fake_google_handler import SHEET, XLSX
from tests.integration.google_world import API, connect, expire_stored_token, google_fixture, point_at, upload  # noqa: F401
from tests.integration.helpers import Backend, Users, assert_problem

pytestmark = pytest.mark.integration


def test_authorize_callback_then_status_says_connected(backend: Backend, users: Users, google: FakeGoogle) -> None:
    assert backend.client.simulate_get(f"{API}/status", headers=users.viewer).json["status"] == "disconnected"
    assert_problem(backend.client.simulate_get(f"{API}/authorize", headers=users.editor), 403)
    url = backend.client.simulate_get(f"{API}/authorize", headers=users.admin).json["url"]
    query = parse_qs(urlsplit(url).query)
    assert (query["access_type"], query["prompt"], query["code_challenge_method"]) == (
        ["offline"],
        ["consent"],
        ["S256"],
    )
    connect(backend, users, google)
    status = backend.client.simulate_get(f"{API}/status", headers=users.viewer).json
    assert (status["status"], status["email"]) == ("connected", EMAIL)
    with backend.engine.connect() as conn:
        row = conn.execute(select(oauth_tokens)).mappings().one()
    assert not row["refresh_token_encrypted"].startswith("1//") and "ya29" not in row["access_token_encrypted"]
    assert backend.client.simulate_get(f"{API}/test", headers=users.admin).status_code == 200


def test_a_forged_or_replayed_state_is_refused(backend: Backend, users: Users, google: FakeGoogle) -> None:
    url = backend.client.simulate_get(f"{API}/authorize", headers=users.admin).json["url"]
    query = parse_qs(urlsplit(url).query)
    code = google.approve(query["code_challenge"][0])
    assert_problem(backend.client.simulate_get(f"{API}/callback", params={"state": "forged", "code": code}), 400)
    good = {"state": query["state"][0], "code": code}
    assert backend.client.simulate_get(f"{API}/callback", params=good).status_code == 200
    assert_problem(backend.client.simulate_get(f"{API}/callback", params=good), 400, "state")


def test_a_code_sent_back_with_another_verifier_is_refused(backend: Backend, users: Users, google: FakeGoogle) -> None:
    url = backend.client.simulate_get(f"{API}/authorize", headers=users.admin).json["url"]
    code = google.approve("a-challenge-of-another-verifier")
    state = parse_qs(urlsplit(url).query)["state"][0]
    assert_problem(backend.client.simulate_get(f"{API}/callback", params={"state": state, "code": code}), 400, "code")


def test_folders_with_breadcrumbs_are_cached(backend: Backend, users: Users, google: FakeGoogle) -> None:
    google.drive.add("rootid", "My Drive", FOLDER, "")
    google.drive.files["rootid"].parents = []
    google.drive.add("sup", "Suppliers", FOLDER, "rootid")
    google.drive.add("y26", "2026", FOLDER, "sup")
    connect(backend, users, google)
    listing = backend.client.simulate_get(f"{API}/folders", params={"parent": "sup"}, headers=users.viewer)
    assert listing.status_code == 200, listing.text
    assert [c["name"] for c in listing.json["breadcrumbs"]] == ["My Drive", "Suppliers"]
    assert [f["name"] for f in listing.json["items"]] == ["2026"]
    google.drive.add("y27", "2027", FOLDER, "sup")
    again = backend.client.simulate_get(f"{API}/folders", params={"parent": "sup"}, headers=users.viewer)
    assert [f["name"] for f in again.json["items"]] == ["2026"]  # from gdrive_folders for a minute
    assert again.json["breadcrumbs"] == listing.json["breadcrumbs"]
    with backend.engine.connect() as conn:
        assert conn.execute(select(gdrive_folders.c.parent_id)).scalars().all() == ["sup"]


def test_files_filtered_by_pattern_page_by_page(backend: Backend, users: Users, google: FakeGoogle) -> None:
    for n in range(130):
        google.drive.add(f"f{n:03}", f"{n:03}_{'Prices' if n % 2 else 'notes'}.{'CSV' if n % 2 else 'txt'}",
                         "text/csv", "sup", b"x")  # fmt: skip
    connect(backend, users, google)
    first = backend.client.simulate_get(f"{API}/files/sup", params={"pattern": "*.csv"}, headers=users.viewer)
    assert first.status_code == 200, first.text
    assert len(first.json["items"]) == 50 and first.json["next_cursor"]
    params = {"pattern": "*.csv", "cursor": first.json["next_cursor"]}
    second = backend.client.simulate_get(f"{API}/files/sup", params=params, headers=users.viewer).json
    assert len(second["items"]) == 15 and second["next_cursor"] is None
    assert_problem(backend.client.simulate_get(f"{API}/files/sup'x", headers=users.viewer), 400, "folder_id")


def test_download_of_a_file_and_of_a_sheet(backend: Backend, users: Users, google: FakeGoogle) -> None:
    google.drive.add("csv1", "prices.csv", "text/csv", "sup", b"ean;price\n" * 100_000)
    google.drive.add("sheet1", "Catalog", SHEET, "sup", b"sheet-bytes")
    connect(backend, users, google)
    got = backend.client.simulate_get(f"{API}/download/csv1", headers=users.viewer)
    assert (got.status_code, got.content) == (200, b"ean;price\n" * 100_000)
    sheet = backend.client.simulate_get(f"{API}/download/sheet1", headers=users.viewer)
    assert (sheet.headers["content-type"], sheet.content) == (XLSX, b"PK\x03\x04sheet-bytes")
    assert "Catalog.xlsx" in sheet.headers["content-disposition"]
    assert_problem(backend.client.simulate_get(f"{API}/download/nothere", headers=users.viewer), 404)


def test_upload_small_and_resumable(backend: Backend, users: Users, google: FakeGoogle) -> None:
    connect(backend, users, google)
    small = upload(backend, users.editor, "a.csv", b"a,b\n")
    assert small.status_code == 201, small.text
    assert google.drive.files[small.json["id"]].content == b"a,b\n" and not google.puts
    assert_problem(upload(backend, users.viewer, "a.csv", b""), 403)
    big = bytes(range(256)) * (6 * 4096 + 7)  # over 5 MB: a resumable session in 256 KiB chunks
    large = upload(backend, users.editor, "big.bin", big)
    assert large.status_code == 201, large.text
    assert google.drive.files[large.json["id"]].content == big
    assert google.puts[0] == f"bytes 0-{256 * 1024 - 1}/*" and google.puts[-1].endswith(f"/{len(big)}")


def test_a_stream_whose_end_falls_on_a_chunk_boundary(backend: Backend, users: Users, google: FakeGoogle) -> None:
    connect(backend, users, google)
    chunks = [b"x" * 100_000] * 5 + [b"y" * (512 * 1024 - 500_000)]
    item = backend.container.drive_browser().upload_stream("sup", "export.csv", "text/csv", iter(chunks))
    assert google.drive.files[item.id].content == b"".join(chunks)
    assert google.puts == ["bytes 0-262143/*", "bytes 262144-524287/524288"]


@pytest.fixture(params=["row", "redis"])
def refresh_lock(request: pytest.FixtureRequest, backend: Backend) -> Iterator[str]:
    """The claim on the token row (no Redis), or a Redis lock (under a key of this test's own)."""
    if request.param == "row":
        yield "row"
        return
    client = Redis.from_url(REDIS_URL)
    key = f"pm:test:google-refresh:{uuid.uuid4().hex}"
    backend.container.google_refresh_lock.override(providers.Object(RedisRefreshLock(client, key)))
    try:
        yield "redis"
    finally:
        backend.container.google_refresh_lock.reset_override()
        client.delete(key)
        client.close()


def test_an_expired_token_is_refreshed_once_by_many_threads(
    backend: Backend, users: Users, google: FakeGoogle, refresh_lock: str
) -> None:
    connect(backend, users, google)
    expire_stored_token(backend)
    google.refresh_delay = 0.3
    tokens: list[str] = []
    threads = [threading.Thread(target=lambda: tokens.append(backend.container.google_tokens().access_token()))
               for _ in range(6)]  # fmt: skip
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(15)
    assert google.grants.count("refresh_token") == 1
    assert len(tokens) == 6 and len(set(tokens)) == 1


def test_a_revoked_refresh_token_asks_for_reconnection(backend: Backend, users: Users, google: FakeGoogle) -> None:
    connect(backend, users, google)
    google.refresh_tokens.clear()
    expire_stored_token(backend)
    problem = assert_problem(backend.client.simulate_get(f"{API}/folders", headers=users.viewer), 409)
    assert "reconnect needed" in problem["detail"]
    assert backend.client.simulate_get(f"{API}/status", headers=users.viewer).json["status"] == "reconnect_needed"


def test_an_access_token_refused_early_is_refreshed(backend: Backend, users: Users, google: FakeGoogle) -> None:
    connect(backend, users, google)
    google.expire_access_tokens()  # Google says 401 although the row says it is valid
    assert backend.client.simulate_get(f"{API}/folders", headers=users.viewer).status_code == 200
    assert google.grants.count("refresh_token") == 1


def test_disconnect_revokes_at_google(backend: Backend, users: Users, google: FakeGoogle) -> None:
    connect(backend, users, google)
    refresh = next(iter(google.refresh_tokens))
    assert backend.client.simulate_post(f"{API}/disconnect", headers=users.admin).json["status"] == "disconnected"
    assert google.revoked == [refresh]
    assert_problem(backend.client.simulate_get(f"{API}/folders", headers=users.viewer), 409)


def test_google_down_rate_limiting_or_unreachable_is_a_503(backend: Backend, users: Users, google: FakeGoogle) -> None:
    connect(backend, users, google)
    google.rate_limited = 2
    limited = assert_problem(backend.client.simulate_get(f"{API}/files/sup", headers=users.viewer), 503)
    assert (
        limited["detail"] and "Retry-After" in backend.client.simulate_get(f"{API}/test", headers=users.admin).headers
    )
    point_at(backend, google, OutboundGuard())  # the guard refuses loopback: as if Google were unreachable
    assert_problem(backend.client.simulate_get(f"{API}/files/sup", headers=users.viewer), 503)
