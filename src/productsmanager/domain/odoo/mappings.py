"""Which catalog field travels to which Odoo field, in which direction, and the category and tax tables that
turn a catalog category or VAT rate into the ids Odoo's many2one and many2many fields expect."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from attrs import frozen

from productsmanager.domain.catalog import CATEGORY_MAX, ODOO_ID_MAX
from productsmanager.domain.errors import InvalidValue
from productsmanager.domain.field_errors import FieldErrors
from productsmanager.domain.odoo.transforms import NO_TRANSFORM, TEXT_KINDS, Transform

TEXT_FIELDS = ("ean", "name", "brand", "category", "description", "supplier_sku")
DECIMAL_FIELDS = ("price", "cost")
LOCAL_FIELDS = (*TEXT_FIELDS, *DECIMAL_FIELDS, "stock")
CATEGORY_FIELD = "categ_id"
TAXES_FIELD = "taxes_id"
_ODOO_FIELD = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


class MappingDirection(StrEnum):
    EXPORT = "export"
    IMPORT = "import"
    BOTH = "both"

    @property
    def exports(self) -> bool:
        return self is not MappingDirection.IMPORT

    @property
    def imports(self) -> bool:
        return self is not MappingDirection.EXPORT


@frozen
class OdooFieldMapping:
    """`local_field` is one of `LOCAL_FIELDS`: `supplier_sku` is the primary offer's, `price` the best offer
    price, `cost` and `stock` what the application derives from the offers. Stored mappings are layered over
    `DEFAULT_FIELD_MAPPINGS` by `odoo_field`: one for a default's Odoo field changes it, and `enabled: false`
    switches that Odoo field off (a switched-off mapping carries no direction or transform)."""

    local_field: str
    odoo_field: str
    direction: MappingDirection = MappingDirection.BOTH
    transform: Transform = NO_TRANSFORM
    enabled: bool = True

    @classmethod
    def parse(cls, raw: Mapping[str, Any]) -> OdooFieldMapping:
        """From the API's JSON shape; every broken rule is named by its field, all at once."""
        local, odoo = raw.get("local_field"), raw.get("odoo_field")
        with FieldErrors() as errors:
            if local not in LOCAL_FIELDS:
                errors.refuse(f"local_field must be one of {', '.join(LOCAL_FIELDS)}", "local_field")
            if not isinstance(odoo, str) or not _ODOO_FIELD.match(odoo):
                errors.refuse("odoo_field must be a field name like list_price", "odoo_field")
            elif odoo == TAXES_FIELD or odoo == "id" or (odoo == CATEGORY_FIELD and local != "category"):
                errors.refuse(f"odoo_field {odoo} is set by the sync itself", "odoo_field")
            try:
                direction = MappingDirection(raw.get("direction", "both"))
            except ValueError:
                errors.refuse("direction must be export, import or both", "direction")
            with errors.checking():
                transform = Transform.parse(raw.get("transform"))
                if local in LOCAL_FIELDS:
                    _check_fits(str(local), transform)
            enabled = raw.get("enabled", True)
            if not isinstance(enabled, bool):
                errors.refuse("enabled must be true or false", "enabled")
        if enabled is False:
            return cls(str(local), str(odoo), enabled=False)
        return cls(str(local), str(odoo), direction, transform)

    def to_json(self) -> dict[str, str | bool]:
        return {
            "local_field": self.local_field,
            "odoo_field": self.odoo_field,
            "direction": self.direction.value,
            "transform": str(self.transform),
            "enabled": self.enabled,
        }


def _check_fits(local: str, transform: Transform) -> None:
    """A text rule on a number, rounding a name, or a default that is not a number of the field's kind would
    only fail later, on every product of a sync: it is refused when the mapping is saved."""
    numeric = local not in TEXT_FIELDS
    if (transform.kind in TEXT_KINDS and numeric) or (transform.kind == "round2" and local not in DECIMAL_FIELDS):
        raise InvalidValue(f"transform {transform} does not apply to {local}", field="transform")
    if transform.kind == "default" and numeric:
        try:
            number = Decimal(str(transform.default).strip())
        except InvalidOperation:
            raise InvalidValue(f"transform default for {local} must be a number", field="transform") from None
        if not number.is_finite() or (local == "stock" and number != number.to_integral_value()):
            raise InvalidValue(f"transform default for {local} must be a valid {local}", field="transform")
    if transform.kind == "default" and local == "ean":
        raise InvalidValue("ean cannot have a default: it is the identity of a product", field="transform")


@frozen
class CategoryMapping:
    """A catalog category (its text, as products carry it) and the `product.category` id it stands for."""

    local_category: str
    odoo_category_id: int

    @classmethod
    def parse(cls, raw: Mapping[str, Any]) -> CategoryMapping:
        category = raw.get("local_category")
        with FieldErrors() as errors:
            if not isinstance(category, str) or not category.strip() or len(category.strip()) > CATEGORY_MAX:
                errors.refuse(f"local_category must be 1-{CATEGORY_MAX} characters", "local_category")
            with errors.checking():
                _positive_id(raw.get("odoo_category_id"), "odoo_category_id")
        return cls(str(category).strip(), int(raw["odoo_category_id"]))


@frozen
class TaxMapping:
    """A VAT rate in percent (`20`, `5.5`) and the `account.tax` id Odoo applies for it on sales."""

    vat_rate: Decimal
    odoo_tax_id: int

    @classmethod
    def parse(cls, raw: Mapping[str, Any]) -> TaxMapping:
        with FieldErrors() as errors:
            with errors.checking():
                _positive_id(raw.get("odoo_tax_id"), "odoo_tax_id")
            rate = _percentage(raw.get("vat_rate"))
            if rate is None:
                errors.refuse("vat_rate must be a percentage between 0 and 100, with at most two decimals", "vat_rate")
        assert rate is not None  # refused above otherwise
        return cls(rate, int(raw["odoo_tax_id"]))


def _percentage(raw: object) -> Decimal | None:
    if isinstance(raw, bool) or not isinstance(raw, int | float | str | Decimal):
        return None
    try:
        rate = Decimal(str(raw).strip())
    except InvalidOperation:
        return None
    if not rate.is_finite() or not 0 <= rate <= 100 or rate != rate.quantize(Decimal("0.01")):
        return None  # rates are stored to the hundredth (5.5, 8.1, 2.1): a finer one would be rounded unseen
    return rate


def _positive_id(raw: object, field: str) -> None:
    if isinstance(raw, bool) or not isinstance(raw, int) or not 0 < raw <= ODOO_ID_MAX:
        raise InvalidValue(f"{field} must be a whole number from 1 to {ODOO_ID_MAX}", field=field)


DEFAULT_FIELD_MAPPINGS: tuple[OdooFieldMapping, ...] = (
    OdooFieldMapping("ean", "barcode", MappingDirection.BOTH),
    OdooFieldMapping("name", "name", MappingDirection.BOTH),
    OdooFieldMapping("supplier_sku", "default_code", MappingDirection.BOTH),
    OdooFieldMapping("price", "list_price", MappingDirection.EXPORT),
    OdooFieldMapping("cost", "standard_price", MappingDirection.EXPORT),
)
"""The barcode is the identity on both sides, so it travels both ways; name and internal reference are
descriptive text either side may correct. Prices flow out only: the catalog computes them from supplier offers
on every import, so a price pulled from Odoo would be overwritten at the next supplier file anyway."""


def layered_field_mappings(stored: Sequence[OdooFieldMapping]) -> tuple[OdooFieldMapping, ...]:
    """The field mappings in force: the defaults, each replaced by a stored mapping of the same Odoo field, then
    the other stored ones; switched-off ones included (`enabled` false). Storing a first mapping therefore never
    drops the defaults: a default is changed or switched off only by a mapping that names its Odoo field."""
    by_field = {mapping.odoo_field: mapping for mapping in stored}
    defaults = tuple(by_field.pop(d.odoo_field, d) for d in DEFAULT_FIELD_MAPPINGS)
    return defaults + tuple(m for m in stored if m.odoo_field in by_field)


def effective_field_mappings(stored: Sequence[OdooFieldMapping]) -> tuple[OdooFieldMapping, ...]:
    """What a sync applies: the layered mappings that are switched on."""
    return tuple(mapping for mapping in layered_field_mappings(stored) if mapping.enabled)
