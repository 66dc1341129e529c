"""The values written to an Odoo product for a catalog product, and the catalog fields read back from an
Odoo record (`comparison` tells which of them really differ).

Odoo's conventions shape everything here: `False` stands for an empty field (XML-RPC cannot even carry
`None`), a many2one reads as `[id, name]` but is written as an id, and a many2many is written with the
command `(6, 0, ids)` ("replace by exactly these") but reads as a list of ids."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from attrs import frozen

from productsmanager.domain.errors import InvalidGtin, InvalidValue
from productsmanager.domain.gtin import Gtin
from productsmanager.domain.odoo.mappings import (
    CATEGORY_FIELD,
    DECIMAL_FIELDS,
    TAXES_FIELD,
    TEXT_FIELDS,
    CategoryMapping,
    OdooFieldMapping,
    TaxMapping,
)
from productsmanager.domain.odoo.transforms import cents


@frozen
class ProductSnapshot:
    """What a sync needs to know of one product, gathered by the application from the product and its offers:
    `supplier_sku` of the primary offer, `price` the best offer price, `cost` and `stock` as it derives them."""

    gtin: Gtin
    name: str
    brand: str | None = None
    category: str | None = None
    description: str | None = None
    supplier_sku: str | None = None
    price: Decimal | None = None
    cost: Decimal | None = None
    stock: int | None = None
    vat_rate: Decimal | None = None

    def value_of(self, local_field: str) -> object:
        """The barcode goes out in its shortest standard form (EAN-13 for most), the one printed on the box."""
        return self.gtin.display if local_field == "ean" else getattr(self, local_field)


@frozen
class OdooRecordProblem:
    """An Odoo record that cannot become a catalog product (`missing_ean`, `invalid_ean`, `invalid_value`):
    returned rather than raised, so that an import logs it and goes on with the other records."""

    odoo_id: int | None
    reason: str
    message: str


def to_odoo_values(
    snapshot: ProductSnapshot,
    field_mappings: Iterable[OdooFieldMapping],
    category_mappings: Iterable[CategoryMapping] = (),
    tax_mappings: Iterable[TaxMapping] = (),
) -> dict[str, object]:
    """Values for `create`/`write`. `categ_id` comes from the category mappings and is left out when the
    category is not mapped (Odoo keeps its own); `taxes_id` likewise from the tax mappings of the VAT rate."""
    values: dict[str, object] = {}
    for mapping in field_mappings:
        if mapping.direction.exports and mapping.odoo_field != CATEGORY_FIELD:
            value = mapping.transform.apply(snapshot.value_of(mapping.local_field))
            values[mapping.odoo_field] = _to_odoo(mapping.local_field, value)
    category_ids = {mapping.local_category: mapping.odoo_category_id for mapping in category_mappings}
    if snapshot.category in category_ids:
        values[CATEGORY_FIELD] = category_ids[snapshot.category]
    rate = snapshot.vat_rate
    tax_ids = sorted({mapping.odoo_tax_id for mapping in tax_mappings if rate is not None and mapping.vat_rate == rate})
    if tax_ids:
        values[TAXES_FIELD] = [(6, 0, tax_ids)]
    return values


def _to_odoo(local_field: str, value: object) -> object:
    if value is None or value is False or value == "":
        return False
    if local_field in DECIMAL_FIELDS:
        return float(cents(Decimal(str(value))))
    if local_field == "stock":
        return int(Decimal(str(value)))
    return str(value)


def from_odoo_record(
    record: Mapping[str, Any], field_mappings: Iterable[OdooFieldMapping]
) -> dict[str, object] | OdooRecordProblem:
    """Catalog fields from a `read`/`search_read` record, for the import-direction mappings whose Odoo field
    the record holds. The barcode becomes a `Gtin`: a record without a valid one is a problem, never a guess."""
    fields: dict[str, object] = {}
    for mapping in field_mappings:
        if not mapping.direction.imports or mapping.odoo_field not in record:
            continue
        value = mapping.transform.reverse(_from_odoo(record[mapping.odoo_field]))
        try:
            fields[mapping.local_field] = _to_local(mapping.local_field, value)
        except InvalidValue as error:
            return OdooRecordProblem(record.get("id"), error.code, error.message)
    return fields


def _from_odoo(raw: object) -> object:
    if raw is False or raw is None:
        return None
    if isinstance(raw, list | tuple) and len(raw) == 2 and isinstance(raw[1], str):
        return raw[1]  # many2one: [id, display name]
    return raw


def _to_local(local_field: str, value: object) -> object:
    if local_field == "ean":
        try:
            return Gtin.parse(None if value is None else str(value))
        except InvalidGtin as error:
            raise type(error)(f"Odoo barcode: {error.message}", field="ean") from None
    if isinstance(value, str):
        value = value.replace("\x00", "")  # as from supplier files: PostgreSQL cannot store a NUL in text
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if local_field in TEXT_FIELDS:
        return value.strip() if isinstance(value, str) else str(value)
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise InvalidValue(f"Odoo value {value!r} for {local_field} is not a number", field=local_field) from None
    if isinstance(value, bool) or not number.is_finite():
        raise InvalidValue(f"Odoo value {value!r} for {local_field} is not a number", field=local_field)
    if local_field == "stock":
        return max(0, int(number))  # Odoo's on-hand quantity may go negative; the catalog counts what is there
    return number
