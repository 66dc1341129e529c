"""The EAN Finder through the API on both databases, with the fake providers over HTTP: the ACME sample's row
without an EAN becomes a finder row, a job searches it at the providers that search text, and an editor
resolves it (product, the supplier's values, the offer) or dismisses it, each once."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from productsmanager.domain.enrichment.providers import ProviderName
from tests.integration.fake_ean_providers import KEYS, FakeEanProviders, fake_ean_server
from tests.integration.helpers import Backend, Users, assert_problem
from tests.integration.import_helpers import ACME_PROFILE, SAMPLES, finished, supplier_with_profile, upload

pytestmark = pytest.mark.integration

JOBS, ROWS = "/api/v1/ean-finder/jobs", "/api/v1/ean-finder/rows"
SOAP, OTHER_SOAP = "4006381000017", "4006381000024"  # GTINs the sample file does not hold


@pytest.fixture
def fake(backend: Backend, users: Users) -> Iterator[FakeEanProviders]:
    with fake_ean_server() as server:
        server.add(SOAP, "Savon sans EAN", brand="Savonnerie")
        server.add(OTHER_SOAP, "Savon sans EAN recharge")
        for name in ProviderName:
            body = {"enabled": True, "base_url": server.base_url(name), "api_key": KEYS[name],
                    "requests_per_minute": 6000, "timeout_seconds": 5}  # fmt: skip
            saved = backend.client.simulate_put(f"/api/v1/ean-lookup/providers/{name.value}", headers=users.admin,
                                                json=body)  # fmt: skip
            assert saved.status_code == 200, saved.text
        yield server


def imported(backend: Backend, users: Users) -> None:
    supplier_with_profile(backend, users.admin, "ACME", ACME_PROFILE)
    job = upload(backend, users.editor, SAMPLES / "acme_catalogue_cp1252.csv", "ACME")
    assert job.status_code == 202, job.text
    finished(backend, users.editor, job.json["id"])


def searched(backend: Backend, users: Users, body: dict[str, Any]) -> dict[str, Any]:
    started = backend.client.simulate_post(JOBS, headers=users.editor, json=body)
    assert started.status_code == 202, started.text
    assert backend.container.task_queue().drain(timeout=60)
    job = backend.client.simulate_get(f"{JOBS}/{started.json['id']}", headers=users.viewer)
    assert job.status_code == 200, job.text
    return dict(job.json)


def the_row(backend: Backend, users: Users, query: str = "") -> dict[str, Any]:
    listed = backend.client.simulate_get(ROWS, headers=users.viewer, query_string=query)
    assert listed.status_code == 200, listed.text
    assert len(listed.json["items"]) == 1 and listed.json["next_cursor"] is None
    return dict(listed.json["items"][0])


def test_a_row_without_ean_is_searched_scored_and_resolved_once(
    backend: Backend, users: Users, fake: FakeEanProviders
) -> None:
    imported(backend, users)
    job = searched(backend, users, {"supplier_code": "acme"})
    assert job["status"] == "completed" and job["progress"] == {"processed": 1, "total": 1} and job["found"] == 1
    row = the_row(backend, users, "supplier=ACME&status=candidates")
    assert {k: row[k] for k in ("name", "brand", "price", "stock", "supplier_sku", "status", "gtin")} == {
        "name": "Savon sans EAN", "brand": "Savonnerie", "price": "2.1", "stock": 7, "supplier_sku": "SV-007",
        "status": "candidates", "gtin": None}  # fmt: skip
    # Same name and brand: the provider's confidence (Barcode Lookup answers brands, EAN-Search does not).
    best = row["candidates"][0]
    assert (best["gtin"], best["provider"], best["score"]) == (SOAP, "barcode_lookup", 0.9)
    assert [c["gtin"] for c in row["candidates"]] == [SOAP, OTHER_SOAP]
    assert fake.requests[ProviderName.GO_UPC] == 0  # Go-UPC does not search text
    # a second job finds nothing new to search
    assert searched(backend, users, {})["progress"] == {"processed": 0, "total": 0}

    client, resolve = backend.client, f"{ROWS}/{row['id']}/resolve"
    assert_problem(client.simulate_post(resolve, headers=users.viewer, json={"gtin": SOAP}), 403)
    assert_problem(client.simulate_post(resolve, headers=users.editor, json={"gtin": "4006381333932"}), 422, "gtin")
    done = client.simulate_post(resolve, headers=users.editor, json={"gtin": SOAP})
    assert done.status_code == 200, done.text
    assert (done.json["status"], done.json["gtin"]) == ("resolved", SOAP)
    assert_problem(client.simulate_post(resolve, headers=users.editor, json={"gtin": SOAP}), 409)
    assert_problem(client.simulate_post(f"{ROWS}/{row['id']}/dismiss", headers=users.editor), 409)

    products = client.simulate_get("/api/v1/products", headers=users.viewer, query_string="q=Savon")
    assert products.status_code == 200, products.text
    assert [p["ean"] for p in products.json["items"]] == [SOAP]
    product = client.simulate_get(f"/api/v1/products/{products.json['items'][0]['id']}", headers=users.viewer).json
    assert (product["name"], product["brand"]) == ("Savon sans EAN", "Savonnerie")
    offer = next(o for o in product["offers"] if o["supplier_code"] == "ACME")
    assert (offer["stock"], offer["supplier_sku"]) == (7, "SV-007")
    assert the_row(backend, users, "status=resolved")["id"] == row["id"]


def test_a_row_is_dismissed_and_the_list_filters_and_pages(
    backend: Backend, users: Users, fake: FakeEanProviders
) -> None:
    imported(backend, users)
    assert searched(backend, users, {})["found"] == 1
    row = the_row(backend, users)
    dismissed = backend.client.simulate_post(f"{ROWS}/{row['id']}/dismiss", headers=users.editor)
    assert dismissed.status_code == 200 and dismissed.json["status"] == "dismissed"
    assert the_row(backend, users, "status=dismissed&limit=1")["id"] == row["id"]
    empty = backend.client.simulate_get(ROWS, headers=users.viewer, query_string="status=waiting")
    assert empty.json == {"items": [], "next_cursor": None}
    assert_problem(backend.client.simulate_get(ROWS, headers=users.viewer, query_string="cursor=nope"), 400)
    assert_problem(backend.client.simulate_get(ROWS, headers=users.viewer, query_string="status=bogus"), 400, "status")
    assert_problem(backend.client.simulate_post(JOBS, headers=users.editor, json={"supplier_code": "NOPE"}), 404)
    assert_problem(backend.client.simulate_post(JOBS, headers=users.viewer, json={}), 403)


def test_a_later_import_of_the_row_with_its_ean_resolves_it(backend: Backend, users: Users) -> None:
    imported(backend, users)
    searched(backend, users, {})  # no provider is enabled: the rows are collected and stay waiting
    header = "Code EAN;Désignation;Marque;Prix HT;Stock;Réf fournisseur\r\n"
    lines = f"{SOAP};Savon sans EAN;Savonnerie;2,20;9;SV-007\r\n"
    job = upload(backend, users.editor, "acme_again.csv", "ACME", (header + lines).encode("cp1252"))
    assert job.status_code == 202, job.text
    assert finished(backend, users.editor, job.json["id"])["status"] == "completed"
    row = the_row(backend, users, "status=resolved")
    assert (row["gtin"], row["supplier_sku"]) == (SOAP, "SV-007")


def test_without_a_sku_the_same_name_resolves_it(backend: Backend, users: Users) -> None:
    profile = {**ACME_PROFILE, "mapping": {k: v for k, v in ACME_PROFILE["mapping"].items() if v != "supplier_sku"}}
    supplier_with_profile(backend, users.admin, "ACME", profile)
    first = upload(backend, users.editor, SAMPLES / "acme_catalogue_cp1252.csv", "ACME")
    finished(backend, users.editor, first.json["id"])
    assert searched(backend, users, {})["status"] == "completed"
    assert the_row(backend, users, "status=waiting")["supplier_sku"] is None
    header = "Code EAN;Désignation;Marque;Prix HT;Stock\r\n"
    again = upload(
        backend, users.editor, "acme_again.csv", "ACME", (header + f"{SOAP};SAVON sans EAN;S;1;1\r\n").encode("cp1252")
    )
    finished(backend, users.editor, again.json["id"])
    assert the_row(backend, users, "status=resolved")["gtin"] == SOAP


def test_a_file_imported_twice_makes_one_row(backend: Backend, users: Users) -> None:
    imported(backend, users)
    searched(backend, users, {})
    again = upload(backend, users.editor, SAMPLES / "acme_catalogue_cp1252.csv", "ACME")
    finished(backend, users.editor, again.json["id"])
    assert searched(backend, users, {})["progress"] == {"processed": 1, "total": 1}  # the row, still waiting
    assert the_row(backend, users)["supplier_sku"] == "SV-007"
