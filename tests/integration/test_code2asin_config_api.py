"""Code2ASIN's Amazon configuration through the API on both databases: administrators only, every broken rule
refused at once as problem+json, the credentials stored encrypted and never in a response or a log line, and a
test against the fake Amazon that says ok or names what is wrong in words of ours."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from productsmanager.adapters.sqlalchemy.tables import amazon_config
from productsmanager.application.code2asin.ports import AmazonNotConfigured
from productsmanager.domain.code2asin.marketplaces import MARKETPLACES
from productsmanager.domain.gtin import Gtin
from tests.integration.amazon_world import no_tokens_kept  # noqa: F401 - autouse fixture
from tests.integration.fake_amazon import CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN, TOKEN_PATH, FakeAmazon, fake_amazon
from tests.integration.helpers import Backend, Users, assert_problem

pytestmark = pytest.mark.integration

CONFIG, TEST = "/api/v1/code2asin/config", "/api/v1/code2asin/config/test"
SECRETS = {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "refresh_token": REFRESH_TOKEN}
FIELDS = {
    "marketplace", "endpoint", "token_url", "requests_per_second", "timeout_seconds", "api_endpoint",
    "has_client_id", "has_client_secret", "has_refresh_token", "updated_at", "tested_at", "test_error",
}  # fmt: skip


@pytest.fixture
def amazon() -> Iterator[FakeAmazon]:
    with fake_amazon() as fake:
        fake.add_item(["4006381333931"], "B000TESTPN")
        yield fake


def pointed_at(fake: FakeAmazon) -> dict[str, object]:
    return {"endpoint": fake.base_url, "token_url": fake.base_url + TOKEN_PATH, "timeout_seconds": 2}


def test_only_admins_read_change_and_test(backend: Backend, users: Users) -> None:
    client = backend.client
    for method, path in (("GET", CONFIG), ("PUT", CONFIG), ("POST", TEST)):
        assert_problem(client.simulate_request(method, path, json={}), 401)
        for headers in (users.viewer, users.editor):
            assert_problem(client.simulate_request(method, path, headers=headers, json={}), 403)
    assert client.simulate_get(CONFIG, headers=users.admin).status_code == 200


def test_unsaved_reads_as_the_defaults(backend: Backend, users: Users) -> None:
    read = backend.client.simulate_get(CONFIG, headers=users.admin)
    assert read.status_code == 200, read.text
    assert set(read.json) == FIELDS
    assert read.json["marketplace"] == "amazon.fr" and read.json["requests_per_second"] == 2.0
    assert read.json["api_endpoint"] == "https://sellingpartnerapi-eu.amazon.com"
    assert not any(read.json[f"has_{name}"] for name in SECRETS) and read.json["updated_at"] is None


def test_a_change_round_trips_and_credentials_never_show(
    backend: Backend, users: Users, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    client = backend.client
    saved = client.simulate_put(CONFIG, headers=users.admin, json={"marketplace": "amazon.com", **SECRETS})
    assert saved.status_code == 200, saved.text
    assert saved.json["marketplace"] == "amazon.com" and saved.json["updated_at"] is not None
    assert saved.json["api_endpoint"] == "https://sellingpartnerapi-na.amazon.com"
    assert all(saved.json[f"has_{name}"] for name in SECRETS)
    read = client.simulate_get(CONFIG, headers=users.admin)
    assert read.json == saved.json
    cleared = client.simulate_put(CONFIG, headers=users.admin, json={"refresh_token": None, "timeout_seconds": 5})
    assert cleared.json["has_refresh_token"] is False and cleared.json["has_client_id"] is True
    assert cleared.json["timeout_seconds"] == 5.0 and cleared.json["marketplace"] == "amazon.com"
    with backend.engine.connect() as conn:
        row = conn.execute(select(amazon_config)).mappings().one()
    assert row["client_id_encrypted"] and CLIENT_ID not in row["client_id_encrypted"]
    assert row["refresh_token_encrypted"] is None
    for value in SECRETS.values():
        assert all(value not in answer.text for answer in (saved, read, cleared)) and value not in caplog.text


@pytest.mark.parametrize(
    ("body", "status", "fields"),
    [
        ({"marketplace": "amazon.jp", "client_id": "two words", "endpoint": "ftp://x"}, 422,
         {"marketplace", "client_id", "endpoint"}),
        ({"requests_per_second": 0.0001, "timeout_seconds": 500}, 422, {"requests_per_second", "timeout_seconds"}),
        ({"endpoint": "file:///etc/passwd", "token_url": "https://u:p@evil.example/t"}, 422, {"endpoint", "token_url"}),
        ({"colour": "red"}, 422, {"colour"}),
        ({"client_secret": ""}, 422, {"client_secret"}),
    ],
)  # fmt: skip
def test_bad_input_is_refused_naming_each_field_and_saves_nothing(
    backend: Backend, users: Users, body: dict[str, object], status: int, fields: set[str]
) -> None:
    refused = backend.client.simulate_put(CONFIG, headers=users.admin, json=body)
    problem = assert_problem(refused, status)
    assert fields <= {error["field"] for error in problem["errors"]}
    assert backend.client.simulate_get(CONFIG, headers=users.admin).json["updated_at"] is None


def test_malformed_json_is_a_400(backend: Backend, users: Users) -> None:
    headers = {**users.admin, "Content-Type": "application/json"}
    assert_problem(backend.client.simulate_put(CONFIG, headers=headers, body=b"{not json"), 400)


def test_the_test_without_credentials_asks_nothing(backend: Backend, users: Users, amazon: FakeAmazon) -> None:
    backend.client.simulate_put(CONFIG, headers=users.admin, json=pointed_at(amazon))
    tested = backend.client.simulate_post(TEST, headers=users.admin)
    assert tested.status_code == 200, tested.text
    assert tested.json["ok"] is False and tested.json["error"]["code"] == "not_configured"
    assert amazon.requests == []


def test_the_test_signs_in_and_searches_against_the_fake(backend: Backend, users: Users, amazon: FakeAmazon) -> None:
    backend.client.simulate_put(CONFIG, headers=users.admin, json={**pointed_at(amazon), **SECRETS})
    tested = backend.client.simulate_post(TEST, headers=users.admin)
    assert tested.status_code == 200, tested.text
    assert tested.json["ok"] is True and tested.json["error"] is None and tested.json["latency_ms"] >= 0
    assert [r.path for r in amazon.requests] == [TOKEN_PATH, "/catalog/2022-04-01/items"]
    read = backend.client.simulate_get(CONFIG, headers=users.admin).json
    assert read["tested_at"] is not None and read["test_error"] is None


def test_wrong_credentials_are_named_without_amazons_words(backend: Backend, users: Users, amazon: FakeAmazon) -> None:
    wrong = {**pointed_at(amazon), **SECRETS, "client_secret": "amzn1.oa2-cs.v1.not-it"}
    backend.client.simulate_put(CONFIG, headers=users.admin, json=wrong)
    tested = backend.client.simulate_post(TEST, headers=users.admin)
    assert tested.status_code == 200, tested.text
    assert tested.json["ok"] is False and tested.json["error"]["code"] == "bad_credentials"
    assert "Client authentication failed" not in tested.text and "invalid_client" not in tested.text
    assert backend.client.simulate_get(CONFIG, headers=users.admin).json["test_error"] == "bad_credentials"


@pytest.mark.parametrize("endpoint", ["http://127.0.0.1:9", "http://:9"])  # refused; no host at all
def test_an_unreachable_amazon_is_could_not_connect(backend: Backend, users: Users, endpoint: str) -> None:
    body = {"endpoint": endpoint, "token_url": endpoint + "/auth/o2/token", **SECRETS}
    backend.client.simulate_put(CONFIG, headers=users.admin, json=body)
    tested = backend.client.simulate_post(TEST, headers=users.admin)
    assert tested.json["error"] == {"code": "unreachable", "message": "could not connect to Amazon"}
    assert "127.0.0.1" not in tested.text


def test_the_container_gives_the_source_as_configured(backend: Backend, users: Users, amazon: FakeAmazon) -> None:
    with pytest.raises(AmazonNotConfigured):
        backend.container.asin_sources()()
    backend.client.simulate_put(CONFIG, headers=users.admin, json={**pointed_at(amazon), **SECRETS})
    pen = Gtin.parse("4006381333931")
    found = backend.container.asin_sources()().search([pen], MARKETPLACES["amazon.fr"])
    assert [str(item.asin) for item in found[pen]] == ["B000TESTPN"]
