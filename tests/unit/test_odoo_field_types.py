"""Which Odoo fields a catalog field may be mapped to, and Odoo's field list kept for 5 minutes per connection."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from productsmanager.application.odoo.odoo_field_cache import OdooFieldCache
from productsmanager.application.odoo.ports import OdooConnection
from productsmanager.domain.errors import InvalidValue
from productsmanager.domain.odoo.field_types import check_odoo_field
from productsmanager.domain.odoo.instances import DEFAULT_INSTANCE_ID
from productsmanager.domain.odoo.mappings import OdooFieldMapping
from tests.unit.fakes import FakeClock

FIELDS: dict[str, dict[str, Any]] = {
    "name": {"type": "char"},
    "description_sale": {"type": "text"},
    "list_price": {"type": "float"},
    "x_cost": {"type": "monetary"},
    "qty_available": {"type": "float"},
    "x_count": {"type": "integer"},
    "categ_id": {"type": "many2one", "relation": "product.category"},
    "uom_id": {"type": "many2one", "relation": "uom.uom"},
    "website_description": {"type": "html"},
}


@pytest.mark.parametrize(
    ("local", "odoo"),
    [
        ("name", "name"),
        ("description", "website_description"),
        ("brand", "description_sale"),
        ("price", "list_price"),
        ("cost", "x_cost"),
        ("stock", "qty_available"),
        ("stock", "x_count"),
        ("ean", "name"),
        ("category", "categ_id"),
    ],
)
def test_fitting_fields_are_accepted(local: str, odoo: str) -> None:
    check_odoo_field(OdooFieldMapping(local, odoo), FIELDS)


@pytest.mark.parametrize(
    ("local", "odoo"),
    [
        ("name", "list_price"),
        ("price", "name"),
        ("stock", "x_cost"),
        ("ean", "description_sale"),
        ("category", "uom_id"),
        ("category", "name"),
        ("name", "x_missing"),
    ],
)
def test_other_fields_are_refused_by_name(local: str, odoo: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        check_odoo_field(OdooFieldMapping(local, odoo), FIELDS)
    assert caught.value.field == "odoo_field" and odoo in caught.value.message


class CountingCatalog:
    def __init__(self) -> None:
        self.asked = 0

    def fields_get(self, model: str, attributes: list[str]) -> dict[str, dict[str, Any]]:
        self.asked += 1
        return {"name": {"type": "char", "string": f"Name {self.asked}"}}


def connection(url: str) -> OdooConnection:
    return OdooConnection(url, "db", "admin", "secret", "xmlrpc")


def test_fields_are_asked_again_after_five_minutes_or_for_another_connection_or_instance() -> None:
    catalog, clock, other_instance = CountingCatalog(), FakeClock(), uuid.uuid4()
    cache = OdooFieldCache(lambda _: catalog, clock)  # type: ignore[arg-type, return-value]
    first = cache.fields(DEFAULT_INSTANCE_ID, connection("http://odoo"))
    clock.advance(minutes=4, seconds=59)
    assert cache.fields(DEFAULT_INSTANCE_ID, connection("http://odoo")) == first and catalog.asked == 1
    cache.fields(DEFAULT_INSTANCE_ID, connection("http://other"))
    assert catalog.asked == 2
    cache.fields(other_instance, connection("http://odoo"))  # the same server, another instance: its own entry
    assert catalog.asked == 3
    clock.advance(seconds=1)
    assert cache.fields(DEFAULT_INSTANCE_ID, connection("http://odoo"))["name"]["string"] == "Name 4"
