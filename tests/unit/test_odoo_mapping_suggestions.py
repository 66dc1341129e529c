"""The suggestions use case on fakes: one `fields_get`, one `read` of the sample, and accepted choices saved
through the mapping manager, all or nothing."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from productsmanager.application.odoo.mapping_suggestions import OdooMappingSuggestions
from productsmanager.application.odoo.odoo_field_cache import OdooFieldCache
from productsmanager.application.odoo.odoo_mapping_manager import OdooMappingManager
from productsmanager.application.odoo.odoo_setup import OdooSetup
from productsmanager.application.odoo.ports import OdooConnection
from productsmanager.application.odoo.suggestion_ports import LinkedProduct
from productsmanager.domain.errors import Conflict, NotFound, ValidationFailed
from productsmanager.domain.odoo.instances import DEFAULT_INSTANCE_ID
from tests.unit.fakes import FakeClock, FakeUnitOfWork, PlainSecrets

CONFIG = {"url": "https://odoo.example", "database": "shop", "login": "admin", "secret": "key"}
FIELDS = {
    "id": {"type": "integer", "string": "ID"},
    "name": {"type": "char", "string": "Name"},
    "barcode": {"type": "char", "string": "Barcode"},
    "x_studio_marque": {"type": "char", "string": "Marque"},
    "x_couleur": {"type": "char", "string": "Couleur"},
    "list_price": {"type": "float", "string": "Sales Price"},
    "taxes_id": {"type": "many2many", "string": "Sales Taxes", "relation": "account.tax"},
}


class FakeCatalog:
    def __init__(self) -> None:
        self.calls: list[tuple[str, Any]] = []
        self.records = {n: {"id": n, "x_couleur": "Bleu", "x_studio_marque": f"B{n}"} for n in range(1, 31)}

    def __call__(self, connection: OdooConnection) -> FakeCatalog:
        return self

    def fields_get(self, model: str, attributes: list[str]) -> dict[str, dict[str, Any]]:
        self.calls.append(("fields_get", model))
        return FIELDS

    def read(self, model: str, ids: list[int], fields: list[str]) -> list[dict[str, Any]]:
        self.calls.append(("read", tuple(fields)))
        return [{k: v for k, v in self.records[i].items() if k in fields or k == "id"} for i in ids]


class FakeLinked:
    def __init__(self, products: list[LinkedProduct]) -> None:
        self.products = products

    def sample(self, instance_id: uuid.UUID, limit: int) -> list[LinkedProduct]:
        return self.products[:limit]


def world(
    linked: list[LinkedProduct], configured: bool = True
) -> tuple[OdooMappingSuggestions, FakeCatalog, FakeUnitOfWork]:
    uow, clock, catalog = FakeUnitOfWork(), FakeClock(), FakeCatalog()
    setup = OdooSetup(uow, PlainSecrets(), catalog, clock)  # type: ignore[arg-type]
    if configured:
        setup.save(CONFIG)
    fields = OdooFieldCache(catalog, clock)  # type: ignore[arg-type]

    def setups(*, instance_id: uuid.UUID) -> OdooSetup:
        return OdooSetup(uow, PlainSecrets(), catalog, clock, instance_id=instance_id)  # type: ignore[arg-type]

    def managers(*, instance_id: uuid.UUID) -> OdooMappingManager:
        return OdooMappingManager(uow, setups, catalog, fields, instance_id=instance_id)  # type: ignore[arg-type]

    return OdooMappingSuggestions(managers, setups, catalog, FakeLinked(linked)), catalog, uow  # type: ignore[arg-type]


def test_each_catalog_field_gets_ranked_odoo_fields_with_values_read_once() -> None:
    linked: list[LinkedProduct] = [(n, {"brand": f"b{n}", "name": f"Pen {n}"}) for n in range(1, 31)]
    suggestions, catalog, _ = world(linked)
    found = suggestions.suggest(DEFAULT_INSTANCE_ID)
    by_field = dict(found.by_field)
    assert found.sample_size == 30 and [c[0] for c in catalog.calls] == ["fields_get", "read"]
    assert "taxes_id" not in catalog.calls[1][1] and "x_couleur" in catalog.calls[1][1]
    brand = by_field["brand"][0]
    assert brand.odoo_field.name == "x_studio_marque" and brand.score == 1 and brand.agreement.agreeing == 30  # type: ignore[union-attr]
    assert by_field["ean"][0].odoo_field.name == "barcode"
    assert all(s.odoo_field.type in ("float", "monetary", "integer") for s in by_field["price"])
    assert [s.odoo_field.name for s in by_field["category"]] == []


def test_without_linked_products_the_names_decide_and_odoo_is_not_read() -> None:
    suggestions, catalog, _ = world([])
    found = suggestions.suggest(DEFAULT_INSTANCE_ID)
    assert found.sample_size == 0 and [c[0] for c in catalog.calls] == ["fields_get"]
    assert dict(found.by_field)["price"][0].odoo_field.name == "list_price"


def test_another_instance_is_not_found_and_an_unset_connection_a_conflict() -> None:
    suggestions, _, _ = world([])
    with pytest.raises(NotFound):
        suggestions.suggest(uuid.uuid4())
    with pytest.raises(Conflict):
        world([], configured=False)[0].suggest(DEFAULT_INSTANCE_ID)


def test_accepting_saves_every_choice_or_none() -> None:
    suggestions, _, uow = world([])
    with pytest.raises(ValidationFailed) as refused:
        suggestions.accept(
            DEFAULT_INSTANCE_ID,
            [
                {"local_field": "brand", "odoo_field": "x_studio_marque"},
                {"local_field": "brand", "odoo_field": "list_price"},
                {"local_field": "colour", "odoo_field": "x_couleur"},
                {"local_field": "name", "odoo_field": "x_nowhere"},
            ],
        )
    assert [e.field for e in refused.value.errors] == ["1.odoo_field", "2.local_field", "3.odoo_field"]
    assert uow.committed.odoo.mappings.get((DEFAULT_INSTANCE_ID, "field"), []) == []
    saved = suggestions.accept(
        DEFAULT_INSTANCE_ID,
        [{"local_field": "brand", "odoo_field": "x_studio_marque", "direction": "import"}],
    )
    assert [(s.mapping.odoo_field, s.mapping.direction.value) for s in saved] == [("x_studio_marque", "import")]
    stored = uow.committed.odoo.mappings[(DEFAULT_INSTANCE_ID, "field")]
    assert [s.mapping.odoo_field for s in stored] == ["x_studio_marque"]
