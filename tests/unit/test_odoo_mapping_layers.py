"""Stored field mappings are layered over the defaults by Odoo field: storing one never drops the others, a
default changes or is switched off only by a mapping that names its Odoo field, and deleting it brings it back."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from productsmanager.domain.odoo.mappings import (
    DEFAULT_FIELD_MAPPINGS,
    LOCAL_FIELDS,
    MappingDirection,
    OdooFieldMapping,
    effective_field_mappings,
    layered_field_mappings,
)

DEFAULT_FIELDS = [m.odoo_field for m in DEFAULT_FIELD_MAPPINGS]
odoo_fields = st.sampled_from([*DEFAULT_FIELDS, "x_brand", "x_stock", "description_sale"])
mappings = st.builds(
    OdooFieldMapping,
    local_field=st.sampled_from(LOCAL_FIELDS),
    odoo_field=odoo_fields,
    direction=st.sampled_from(list(MappingDirection)),
    enabled=st.booleans(),
)
stored_sets = st.lists(mappings, max_size=8, unique_by=lambda m: m.odoo_field)  # stored by odoo_field


@given(stored_sets)
def test_each_odoo_field_is_mapped_once_by_its_stored_mapping_or_else_its_default(
    stored: list[OdooFieldMapping],
) -> None:
    layered = layered_field_mappings(stored)
    fields = [m.odoo_field for m in layered]
    assert len(fields) == len(set(fields))
    assert set(fields) == set(DEFAULT_FIELDS) | {m.odoo_field for m in stored}
    by_field = {m.odoo_field: m for m in stored}
    for mapping in layered:
        assert mapping == by_field.get(mapping.odoo_field, mapping)
        if mapping.odoo_field not in by_field:
            assert mapping in DEFAULT_FIELD_MAPPINGS


@given(stored_sets)
def test_a_sync_applies_every_layered_mapping_that_is_not_switched_off(stored: list[OdooFieldMapping]) -> None:
    effective = effective_field_mappings(stored)
    switched_off = {m.odoo_field for m in stored if not m.enabled}
    assert all(m.enabled for m in effective)
    assert {m.odoo_field for m in effective} == (set(DEFAULT_FIELDS) | {m.odoo_field for m in stored}) - switched_off


def test_storing_a_first_mapping_keeps_the_defaults() -> None:
    strip_names = OdooFieldMapping.parse({"local_field": "name", "odoo_field": "name", "transform": "strip"})
    effective = effective_field_mappings([strip_names])
    assert [m.odoo_field for m in effective] == DEFAULT_FIELDS
    assert str(next(m for m in effective if m.odoo_field == "name").transform) == "strip"
    assert effective_field_mappings([]) == DEFAULT_FIELD_MAPPINGS


def test_a_default_is_switched_off_explicitly() -> None:
    off = OdooFieldMapping.parse({"local_field": "cost", "odoo_field": "standard_price", "enabled": False})
    assert off == OdooFieldMapping("cost", "standard_price", enabled=False)  # no direction or transform kept
    assert "standard_price" not in [m.odoo_field for m in effective_field_mappings([off])]
    assert off in layered_field_mappings([off])  # still listed, as switched off
