"""Odoo mapping rules: transforms, field mappings and their validation, category and tax mappings."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from productsmanager.domain.errors import InvalidValue, ValidationFailed
from productsmanager.domain.odoo.mappings import (
    DEFAULT_FIELD_MAPPINGS,
    LOCAL_FIELDS,
    CategoryMapping,
    MappingDirection,
    OdooFieldMapping,
    TaxMapping,
)
from productsmanager.domain.odoo.transforms import Transform

default_texts = st.text(min_size=1, max_size=200).filter(lambda text: text.strip() == text and text.strip())
transform_texts = st.sampled_from(["none", "strip", "upper", "lower", "round2"]) | default_texts.map(
    lambda value: f"default:{value}"
)


@given(transform_texts)
def test_transforms_format_as_they_were_written_and_parse_back(text: str) -> None:
    transform = Transform.parse(text)
    assert str(transform) == text
    assert Transform.parse(str(transform)) == transform


@given(transform_texts, st.one_of(st.none(), st.text(), st.decimals(allow_nan=False), st.integers()))
def test_applying_a_transform_twice_changes_nothing_more(text: str, value: object) -> None:
    transform = Transform.parse(text)
    once = transform.apply(value)
    assert transform.apply(once) == once
    assert transform.reverse(once) == once


@pytest.mark.parametrize(
    ("text", "value", "expected"),
    [("none", " a ", " a "), ("strip", " a ", "a"), ("upper", "ab", "AB"), ("lower", "AB", "ab"),
     ("round2", Decimal("1.005"), Decimal("1.01")), ("round2", 2.675, Decimal("2.68")), ("round2", "x", "x"),
     ("upper", 5, 5), ("default:n/a", None, "n/a"), ("default:n/a", "  ", "n/a"), ("default:n/a", "x", "x")],
)  # fmt: skip
def test_transforms_apply_their_rule(text: str, value: object, expected: object) -> None:
    assert Transform.parse(text).apply(value) == expected


def test_no_transform_is_none() -> None:
    assert Transform.parse(None) == Transform.parse("none") == Transform()


@pytest.mark.parametrize("raw", ["", "trim", "UPPER ", "default", "default:", "default:   ", "round", 3, ["strip"]])
def test_unknown_transforms_are_refused_by_name(raw: object) -> None:
    with pytest.raises(InvalidValue) as caught:
        Transform.parse(raw)
    assert caught.value.field == "transform"


def fields_refused(**raw: Any) -> set[str | None]:
    with pytest.raises(ValidationFailed) as caught:
        OdooFieldMapping.parse(raw)
    return {error.field for error in caught.value.errors}


def test_a_mapping_parses_from_json_and_back() -> None:
    raw = {"local_field": "brand", "odoo_field": "x_brand", "direction": "export", "transform": "upper"}
    mapping = OdooFieldMapping.parse(raw)
    assert mapping == OdooFieldMapping("brand", "x_brand", MappingDirection.EXPORT, Transform("upper"))
    assert mapping.to_json() == raw | {"enabled": True}
    assert OdooFieldMapping.parse({"local_field": "name", "odoo_field": "name"}).direction is MappingDirection.BOTH


@given(
    st.sampled_from(LOCAL_FIELDS),
    st.sampled_from(list(MappingDirection)),
    st.from_regex(r"x_[a-z0-9_]{1,20}", fullmatch=True),
)
def test_every_local_field_maps_to_any_custom_field(local: str, direction: MappingDirection, odoo: str) -> None:
    mapping = OdooFieldMapping.parse({"local_field": local, "odoo_field": odoo, "direction": direction.value})
    assert OdooFieldMapping.parse(mapping.to_json()) == mapping


@pytest.mark.parametrize(
    ("raw", "refused"),
    [({"local_field": "colour", "odoo_field": "x_colour"}, {"local_field"}),
     ({"local_field": None, "odoo_field": "name"}, {"local_field"}),
     ({"local_field": "name", "odoo_field": "Name"}, {"odoo_field"}),
     ({"local_field": "name", "odoo_field": "name; drop"}, {"odoo_field"}),
     ({"local_field": "name", "odoo_field": "9name"}, {"odoo_field"}),
     ({"local_field": "name"}, {"odoo_field"}),
     ({"local_field": "name", "odoo_field": "taxes_id"}, {"odoo_field"}),
     ({"local_field": "brand", "odoo_field": "categ_id"}, {"odoo_field"}),
     ({"local_field": "name", "odoo_field": "id"}, {"odoo_field"}),
     ({"local_field": "name", "odoo_field": "name", "direction": "sideways"}, {"direction"}),
     ({"local_field": "name", "odoo_field": "name", "transform": "trim"}, {"transform"}),
     ({"local_field": "price", "odoo_field": "list_price", "transform": "upper"}, {"transform"}),
     ({"local_field": "name", "odoo_field": "name", "transform": "round2"}, {"transform"}),
     ({"local_field": "stock", "odoo_field": "x_stock", "transform": "round2"}, {"transform"}),
     ({"local_field": "price", "odoo_field": "list_price", "transform": "default:free"}, {"transform"}),
     ({"local_field": "stock", "odoo_field": "x_stock", "transform": "default:1.5"}, {"transform"}),
     ({"local_field": "ean", "odoo_field": "barcode", "transform": "default:123"}, {"transform"}),
     ({"local_field": "name", "odoo_field": "name", "enabled": "no"}, {"enabled"}),
     ({"local_field": "size", "odoo_field": "X", "direction": "up"}, {"local_field", "odoo_field", "direction"})],
)  # fmt: skip
def test_invalid_mappings_are_refused_with_each_field_named(raw: dict[str, Any], refused: set[str]) -> None:
    assert fields_refused(**raw) == refused


def test_numeric_defaults_are_accepted_for_numbers() -> None:
    assert OdooFieldMapping.parse({"local_field": "price", "odoo_field": "list_price", "transform": "default:0"})
    assert OdooFieldMapping.parse({"local_field": "stock", "odoo_field": "x_stock", "transform": "default:3"})
    assert OdooFieldMapping.parse({"local_field": "category", "odoo_field": "categ_id"}).odoo_field == "categ_id"


def test_defaults_send_prices_out_and_keep_identity_and_text_both_ways() -> None:
    directions = {mapping.odoo_field: mapping.direction for mapping in DEFAULT_FIELD_MAPPINGS}
    assert directions == {
        "barcode": MappingDirection.BOTH,
        "name": MappingDirection.BOTH,
        "default_code": MappingDirection.BOTH,
        "list_price": MappingDirection.EXPORT,
        "standard_price": MappingDirection.EXPORT,
    }
    assert {m.local_field for m in DEFAULT_FIELD_MAPPINGS} == {"ean", "name", "supplier_sku", "price", "cost"}


def test_category_and_tax_mappings_parse_and_refuse_by_field() -> None:
    assert CategoryMapping.parse({"local_category": " Tools ", "odoo_category_id": 7}) == CategoryMapping("Tools", 7)
    assert TaxMapping.parse({"vat_rate": "5.5", "odoo_tax_id": 3}) == TaxMapping(Decimal("5.5"), 3)
    assert TaxMapping.parse({"vat_rate": 20, "odoo_tax_id": 1}).vat_rate == Decimal(20)
    with pytest.raises(ValidationFailed) as caught:
        CategoryMapping.parse({"local_category": " ", "odoo_category_id": True})
    assert {e.field for e in caught.value.errors} == {"local_category", "odoo_category_id"}
    for rate in ("x", -1, 101, None, True, "NaN"):
        with pytest.raises(ValidationFailed) as caught:
            TaxMapping.parse({"vat_rate": rate, "odoo_tax_id": 0})
        assert {e.field for e in caught.value.errors} == {"vat_rate", "odoo_tax_id"}
