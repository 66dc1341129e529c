"""Numbers the domain accepts fit the columns that keep them: a 64-bit Odoo id overflows BIGINT otherwise."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from productsmanager.domain.catalog import ODOO_ID_MAX, parse_product_changes
from productsmanager.domain.errors import ValidationFailed
from productsmanager.domain.odoo.mappings import CategoryMapping, TaxMapping


@given(st.integers(min_value=1, max_value=ODOO_ID_MAX))
def test_odoo_ids_within_bigint_are_taken(odoo_id: int) -> None:
    assert parse_product_changes({"odoo_product_id": odoo_id}, creating=False) == {"odoo_product_id": odoo_id}
    assert CategoryMapping.parse({"local_category": "Pens", "odoo_category_id": odoo_id}).odoo_category_id == odoo_id
    assert TaxMapping.parse({"vat_rate": "20", "odoo_tax_id": odoo_id}).odoo_tax_id == odoo_id


@given(st.one_of(st.integers(max_value=0), st.integers(min_value=ODOO_ID_MAX + 1)))
def test_odoo_ids_beyond_bigint_are_refused_naming_the_field(odoo_id: int) -> None:
    cases = [
        (lambda: parse_product_changes({"odoo_product_id": odoo_id}, creating=False), "odoo_product_id"),
        (lambda: CategoryMapping.parse({"local_category": "Pens", "odoo_category_id": odoo_id}), "odoo_category_id"),
        (lambda: TaxMapping.parse({"vat_rate": "20", "odoo_tax_id": odoo_id}), "odoo_tax_id"),
    ]
    for parse, field in cases:
        with pytest.raises(ValidationFailed) as refused:
            parse()
        assert [e.field for e in refused.value.errors] == [field]
