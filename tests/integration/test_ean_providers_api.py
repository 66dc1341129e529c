"""The barcode providers through the API on both databases: viewers read, admins change and test; a change is
checked field by field, the API key is stored encrypted and shows in no response and no log line, and the
test names what the provider said (its adapters are stood in for by scripted ones here)."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from productsmanager.adapters.sqlalchemy.tables import ean_providers
from productsmanager.application.enrichment.ports import ProviderBadKey, ProviderStatus, ProviderUnreachable
from tests.integration.helpers import Backend, Users, assert_problem
from tests.scripted_ean_providers import ScriptedProviders

pytestmark = pytest.mark.integration

PROVIDERS = "/api/v1/ean-lookup/providers"
KEY = "eanSearchKey-7f3a9c"
FIELDS = {
    "id", "name", "enabled", "priority", "confidence", "timeout_seconds", "requests_per_minute", "base_url",
    "has_key", "updated_at",
}  # fmt: skip


@pytest.fixture
def scripted(backend: Backend) -> Iterator[ScriptedProviders]:
    scripted = ScriptedProviders()
    with backend.container.ean_provider_factory.override(scripted):
        yield scripted


def test_roles_viewers_read_admins_change_and_test(backend: Backend, users: Users) -> None:
    client, item = backend.client, f"{PROVIDERS}/ean_search"
    for method, path in (("GET", PROVIDERS), ("GET", item), ("PUT", item), ("POST", f"{item}/test")):
        assert_problem(client.simulate_request(method, path, json={}), 401)
    assert client.simulate_get(PROVIDERS, headers=users.viewer).status_code == 200
    assert client.simulate_get(item, headers=users.viewer).status_code == 200
    for headers in (users.viewer, users.editor):
        assert_problem(client.simulate_put(item, headers=headers, json={"enabled": True}), 403)
        assert_problem(client.simulate_post(f"{item}/test", headers=headers), 403)
    assert not client.simulate_get(item, headers=users.viewer).json["enabled"]


def test_unsaved_providers_read_as_their_defaults_in_priority_order(backend: Backend, users: Users) -> None:
    listed = backend.client.simulate_get(PROVIDERS, headers=users.viewer)
    assert listed.status_code == 200, listed.text
    items = listed.json["items"]
    assert [p["id"] for p in items] == ["ean_search", "barcode_lookup", "go_upc"]
    assert [p["name"] for p in items] == ["EAN-Search.org", "Barcode Lookup", "Go-UPC"]
    assert [p["confidence"] for p in items] == [0.95, 0.90, 0.85]
    assert all(set(p) == FIELDS and not p["enabled"] and not p["has_key"] for p in items)
    assert all(p["updated_at"] is None for p in items)
    assert items[2]["base_url"] == "https://go-upc.com"


def test_a_change_round_trips_and_the_key_never_shows(
    backend: Backend, users: Users, scripted: ScriptedProviders, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    client, item = backend.client, f"{PROVIDERS}/go_upc"
    body = {
        "enabled": True, "priority": 1, "confidence": 0.8, "timeout_seconds": 2.5, "requests_per_minute": 1200,
        "base_url": "http://127.0.0.1:9/", "api_key": KEY,
    }  # fmt: skip
    saved = client.simulate_put(item, headers=users.admin, json=body)
    assert saved.status_code == 200, saved.text
    expected = {**body, "id": "go_upc", "name": "Go-UPC", "base_url": "http://127.0.0.1:9", "has_key": True}
    del expected["api_key"]
    assert {k: v for k, v in saved.json.items() if k != "updated_at"} == expected
    assert saved.json["updated_at"] is not None
    read, listed = client.simulate_get(item, headers=users.viewer), client.simulate_get(PROVIDERS, headers=users.viewer)
    assert read.json == saved.json
    assert [p["id"] for p in listed.json["items"]] == ["ean_search", "go_upc", "barcode_lookup"]  # a tie: known order
    answers = [saved, read, listed]
    answers.append(client.simulate_put(item, headers=users.admin, json={"requests_per_minute": 600}))
    assert answers[-1].json["has_key"] is True and answers[-1].json["enabled"] is True  # the rest kept
    answers.append(client.simulate_post(f"{item}/test", headers=users.admin))
    assert answers[-1].json["ok"] is True
    assert scripted.built[-1][1] == KEY and scripted.built[-1][0].requests_per_minute == 600
    with backend.engine.connect() as conn:
        row = conn.execute(select(ean_providers).where(ean_providers.c.name == "go_upc")).mappings().one()
    assert row["api_key_encrypted"] and KEY not in row["api_key_encrypted"]
    assert str(row["updated_by"]) == users.ids["admin"]
    assert all(KEY not in answer.text for answer in answers)
    assert KEY not in caplog.text

    removed = client.simulate_put(item, headers=users.admin, json={"api_key": None})
    assert removed.status_code == 200 and removed.json["has_key"] is False and removed.json["enabled"] is True
    with backend.engine.connect() as conn:
        assert conn.execute(select(ean_providers.c.api_key_encrypted)).scalar_one() is None


def test_the_test_names_what_the_provider_said(backend: Backend, users: Users, scripted: ScriptedProviders) -> None:
    client, test = backend.client, f"{PROVIDERS}/ean_search/test"
    unkeyed = client.simulate_post(test, headers=users.admin)
    assert unkeyed.status_code == 200, unkeyed.text
    assert unkeyed.json["ok"] is False and unkeyed.json["error"]["code"] == "bad_key"
    assert (unkeyed.json["latency_ms"], unkeyed.json["credits_left"]) == (None, None)
    assert scripted.built == []  # nothing asked without a key

    client.simulate_put(f"{PROVIDERS}/ean_search", headers=users.admin, json={"api_key": KEY})
    scripted.outcome = ProviderStatus(credits_left=977)
    ok = client.simulate_post(test, headers=users.admin).json
    assert (ok["ok"], ok["credits_left"], ok["error"]) == (True, 977, None)
    assert isinstance(ok["latency_ms"], int) and ok["latency_ms"] >= 0

    scripted.outcome = ProviderBadKey("the provider refused the key")
    refused = client.simulate_post(test, headers=users.admin).json
    assert refused["ok"] is False and refused["error"] == {"code": "bad_key", "message": "the provider refused the key"}

    scripted.outcome = ProviderUnreachable(f"could not connect to https://api.ean-search.org/api?token={KEY}")
    down = client.simulate_post(test, headers=users.admin)
    assert down.json["error"] == {
        "code": "unreachable",
        "message": "could not connect to https://api.ean-search.org/api?token=***",
    }
    assert KEY not in down.text and isinstance(down.json["latency_ms"], int)


def test_an_unknown_provider_is_404(backend: Backend, users: Users) -> None:
    client, admin = backend.client, users.admin
    assert_problem(client.simulate_get(f"{PROVIDERS}/amazon", headers=users.viewer), 404)
    assert_problem(client.simulate_put(f"{PROVIDERS}/amazon", headers=admin, json={"priority": 0}), 404)
    assert_problem(client.simulate_post(f"{PROVIDERS}/amazon/test", headers=admin), 404)
    assert_problem(client.simulate_get(f"{PROVIDERS}/EAN_SEARCH", headers=users.viewer), 404)


BROKEN = [
    {"priority": 0, "confidence": "high", "enabled": "yes", "colour": "red"},  # the schema's rules
    {"timeout_seconds": 0.1, "requests_per_minute": 1.5, "api_key": ""},
    {"base_url": "ftp://example.com", "api_key": "two words"},  # the domain's rules
    {"base_url": "https://user:pw@example.com"},
]


@pytest.mark.parametrize("body", BROKEN)
def test_a_broken_change_is_a_422_naming_each_field_and_changes_nothing(
    backend: Backend, users: Users, body: dict[str, object]
) -> None:
    refused = backend.client.simulate_put(f"{PROVIDERS}/barcode_lookup", headers=users.admin, json=body)
    problem = assert_problem(refused, 422)
    assert {error["field"] for error in problem["errors"]} == set(body), problem
    assert backend.client.simulate_get(f"{PROVIDERS}/barcode_lookup", headers=users.admin).json["updated_at"] is None
    with backend.engine.connect() as conn:
        assert conn.execute(select(ean_providers)).all() == []


def test_a_provider_changed_by_a_user_since_deleted_keeps_its_row(backend: Backend, users: Users) -> None:
    other = users.create("gone@example.com", "admin")
    backend.container.ean_provider_settings().update("go_upc", {"enabled": True}, uuid.UUID(other))
    with backend.engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM users WHERE email = 'gone@example.com'")
    kept = backend.client.simulate_get(f"{PROVIDERS}/go_upc", headers=users.viewer).json
    assert kept["enabled"] is True
