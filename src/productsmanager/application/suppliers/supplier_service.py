"""Suppliers: who sells to the merchant. A supplier with offers cannot be deleted, only deactivated."""

from __future__ import annotations

import uuid
from typing import Any

from productsmanager.application.pagination import Page, check_limit, page_of, single_key_after
from productsmanager.application.ports import Clock, UnitOfWorkFactory
from productsmanager.domain.catalog import Supplier
from productsmanager.domain.errors import Conflict, InvalidValue, NotFound, ValidationFailed
from productsmanager.domain.values import bounded_text, parse_supplier_code

SUPPLIER_NAME_MAX = 200


class SupplierService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    def create(self, fields: dict[str, Any]) -> Supplier:
        values = _parse(fields, creating=True)
        with self._uow() as uow:
            existing = uow.suppliers.get_by_code(values["code"])
            if existing is not None:
                raise Conflict(
                    f"supplier code {values['code']} is taken by {existing.id}",
                    field="code",
                    existing_id=existing.id,
                )
            supplier = Supplier.new(values["code"], values["name"], self._clock.now(), values.get("is_active", True))
            uow.suppliers.add(supplier)
            uow.commit()
        return supplier

    def get(self, supplier_id: uuid.UUID) -> Supplier:
        with self._uow() as uow:
            supplier = uow.suppliers.get(supplier_id)
        if supplier is None:
            raise NotFound("supplier", supplier_id)
        return supplier

    def list(self, limit: int, cursor: str | None = None) -> Page[Supplier]:
        """By code; `cursor` is the `next_cursor` of the previous page."""
        after = single_key_after(cursor, "code")
        with self._uow() as uow:
            rows = uow.suppliers.list(check_limit(limit) + 1, after)
        return page_of(rows, limit, "code", lambda supplier: (supplier.code,))

    def update(self, supplier_id: uuid.UUID, fields: dict[str, Any]) -> Supplier:
        values = _parse(fields, creating=False)
        with self._uow() as uow:
            supplier = uow.suppliers.get(supplier_id)
            if supplier is None:
                raise NotFound("supplier", supplier_id)
            if "code" in values and values["code"] != supplier.code:
                other = uow.suppliers.get_by_code(values["code"])
                if other is not None:
                    raise Conflict(
                        f"supplier code {values['code']} is taken by {other.id}", field="code", existing_id=other.id
                    )
            for name, value in values.items():
                setattr(supplier, name, value)
            supplier.updated_at = self._clock.now()
            uow.suppliers.update(supplier)
            uow.commit()
        return supplier

    def delete(self, supplier_id: uuid.UUID) -> None:
        with self._uow() as uow:
            if uow.suppliers.get(supplier_id) is None:
                raise NotFound("supplier", supplier_id)
            offers = uow.suppliers.count_offers(supplier_id)
            if offers:
                raise Conflict(f"supplier still has {offers} offer(s); deactivate it (is_active=false) instead")
            uow.suppliers.delete(supplier_id)
            uow.commit()


def _parse(fields: dict[str, Any], *, creating: bool) -> dict[str, Any]:
    errors: list[InvalidValue] = []
    values: dict[str, Any] = {}
    for name in ("code", "name", "is_active"):
        if name not in fields:
            if creating and name != "is_active":
                errors.append(InvalidValue(f"{name} is required", field=name))
            continue
        raw = fields[name]
        try:
            if name == "code":
                values[name] = parse_supplier_code(raw if isinstance(raw, str) else "")
            elif name == "name":
                values[name] = bounded_text(raw, "name", SUPPLIER_NAME_MAX, required=True)
            elif not isinstance(raw, bool):
                raise InvalidValue("is_active must be true or false", field=name)
            else:
                values[name] = raw
        except InvalidValue as error:
            errors.append(error)
    if errors:
        raise ValidationFailed(errors)
    return values
