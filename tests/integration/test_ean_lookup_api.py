"""One EAN looked up through the API against the fake providers over HTTP, on both databases: the result and
every provider's answer, kept answers on the second ask, a bad EAN refused, and the stats that follow."""

from __future__ import annotations

import pytest

from productsmanager.domain.enrichment.providers import ProviderName
from tests.integration.helpers import Backend, Users, assert_problem
from tests.integration.lookup_world import THRILLER, UNKNOWN, lookup_world

pytestmark = pytest.mark.integration

LOOKUP, STATS = "/api/v1/ean-lookup/lookup", "/api/v1/ean-lookup/stats"


def test_editors_look_up_viewers_read_the_stats(backend: Backend, users: Users) -> None:
    client = backend.client
    assert_problem(client.simulate_post(LOOKUP, json={"ean": THRILLER}), 401)
    assert_problem(client.simulate_post(LOOKUP, headers=users.viewer, json={"ean": THRILLER}), 403)
    assert_problem(client.simulate_get(STATS), 401)
    assert client.simulate_get(STATS, headers=users.viewer).status_code == 200


def test_a_found_ean_gives_the_result_and_each_answer_then_comes_from_the_kept_answers(
    backend: Backend, users: Users
) -> None:
    with lookup_world(backend, ProviderName.GO_UPC, ProviderName.EAN_SEARCH) as fake:
        first = backend.client.simulate_post(LOOKUP, headers=users.editor, json={"ean": THRILLER})
        assert first.status_code == 200, first.text
        assert first.json["gtin"] == THRILLER
        result = first.json["result"]
        assert (result["name"], result["brand"], result["provider"]) == ("Thriller", "Epic", "go_upc")
        assert result["confidence"] == 0.85 and result["image_urls"]
        [answer] = first.json["answers"]  # the first provider's answer is good enough
        assert answer["outcome"] == "found" and not answer["cached"] and answer["error"] is None
        assert isinstance(answer["latency_ms"], int)
        again = backend.client.simulate_post(LOOKUP, headers=users.editor, json={"ean": THRILLER})
        assert again.json["answers"][0]["cached"] and again.json["result"] == result
        assert fake.requests[ProviderName.GO_UPC] == 1


def test_an_unknown_ean_is_asked_of_every_provider_and_counted_in_the_stats(backend: Backend, users: Users) -> None:
    with lookup_world(backend, ProviderName.BARCODE_LOOKUP, ProviderName.EAN_SEARCH):
        unknown = backend.client.simulate_post(LOOKUP, headers=users.editor, json={"ean": UNKNOWN})
        backend.client.simulate_post(LOOKUP, headers=users.editor, json={"ean": THRILLER})
        before_test = backend.client.simulate_get(STATS, headers=users.viewer).json
        tested = backend.client.simulate_post("/api/v1/ean-lookup/providers/ean_search/test", headers=users.admin)
        assert tested.status_code == 200 and tested.json["ok"], tested.text
    assert unknown.status_code == 200, unknown.text
    assert unknown.json["result"] is None
    assert [(a["provider"], a["outcome"]) for a in unknown.json["answers"]] == [
        ("barcode_lookup", "not_found"),
        ("ean_search", "not_found"),
    ]
    stats = backend.client.simulate_get(STATS, headers=users.viewer)
    assert stats.status_code == 200, stats.text
    body = stats.json
    assert (body["lookups"], body["found"], body["not_found"], body["errors"]) == (2, 1, 1, 0)
    assert body["cache_hit_rate"] == 0
    figures = {p["provider"]: p for p in body["providers"]}
    assert figures["barcode_lookup"]["requests"] == 2 and figures["barcode_lookup"]["found"] == 1
    assert all(p["credits_left"] is None for p in before_test["providers"])  # no test yet: not known
    assert figures["ean_search"]["credits_left"] == tested.json["credits_left"] is not None
    assert figures["barcode_lookup"]["credits_left"] is None
    later = backend.client.simulate_get(STATS, headers=users.viewer, params={"since": "2999-01-01"})
    assert later.json["lookups"] == 0 and later.json["since"].startswith("2999-01-01")


def test_a_bad_ean_or_since_is_refused(backend: Backend, users: Users) -> None:
    client = backend.client
    assert_problem(client.simulate_post(LOOKUP, headers=users.editor, json={"ean": "12345"}), 422, "ean")
    assert_problem(client.simulate_post(LOOKUP, headers=users.editor, json={"ean": "4006381333932"}), 422, "ean")
    assert_problem(client.simulate_post(LOOKUP, headers=users.editor, json={}), 422)
    assert_problem(client.simulate_get(STATS, headers=users.viewer, params={"since": "yesterday"}), 400, "since")
