"""The Odoo mappings: which catalog field goes to which Odoo field, which category and VAT rate stand for which
Odoo record. Each is saved by its natural key (POSTing a key again updates it) and checked against Odoo itself,
so that a mapping to a field or record Odoo does not have is refused at once rather than failing every sync.
Each instance has its own mappings, checked against its own Odoo."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from typing import Any, Literal

from productsmanager.application.odoo.instance_scope import ForInstance
from productsmanager.application.odoo.mapping_ports import Effective, Stored
from productsmanager.application.odoo.odoo_field_cache import OdooFieldCache
from productsmanager.application.odoo.odoo_setup import OdooSetup
from productsmanager.application.odoo.ports import OdooCatalog, OdooConnection
from productsmanager.application.ports import UnitOfWorkFactory
from productsmanager.domain.errors import Conflict, InvalidValue, NotFound, ValidationFailed
from productsmanager.domain.odoo.field_types import CATEGORY_MODEL, check_odoo_field
from productsmanager.domain.odoo.instances import DEFAULT_INSTANCE_ID
from productsmanager.domain.odoo.mappings import (
    CategoryMapping,
    OdooFieldMapping,
    TaxMapping,
    effective_field_mappings,
    layered_field_mappings,
)

MappingKind = Literal["field", "category", "tax"]
TAX_MODEL = "account.tax"


class OdooMappingManager:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        setup: ForInstance[OdooSetup],
        catalog: Callable[[OdooConnection], OdooCatalog],
        fields: OdooFieldCache,
        instance_id: uuid.UUID = DEFAULT_INSTANCE_ID,
    ) -> None:
        self._uow = uow
        self._instance_id = instance_id
        self._setup = setup(instance_id=instance_id)
        self._catalog = catalog
        self._fields = fields

    def mappings(self, kind: MappingKind) -> tuple[list[Stored[Any]], bool]:
        """The stored mappings, and whether nothing is stored (then the field mappings are the defaults)."""
        with self._uow() as uow:
            repository = uow.odoo_mappings
            stored: list[Stored[Any]] = {
                "field": repository.field_mappings,
                "category": repository.category_mappings,
                "tax": repository.tax_mappings,
            }[kind](self._instance_id)
        return stored, not stored

    def field_mappings_in_force(self) -> list[tuple[uuid.UUID | None, OdooFieldMapping]]:
        """The defaults with the stored mappings layered over them (switched-off ones included), each with the id
        of its stored row, None for a default nothing overrides (there is nothing stored to delete)."""
        stored, _ = self.mappings("field")
        ids = {s.mapping.odoo_field: s.id for s in stored}
        return [(ids.get(m.odoo_field), m) for m in layered_field_mappings([s.mapping for s in stored])]

    def save(self, kind: MappingKind, raw: Mapping[str, Any]) -> tuple[Stored[Any], bool]:
        """Parsed, checked against Odoo, then created or updated by its key; `True` when created."""
        mapping = {"field": OdooFieldMapping, "category": CategoryMapping, "tax": TaxMapping}[kind].parse(raw)
        if not (isinstance(mapping, OdooFieldMapping) and not mapping.enabled):  # nothing goes to a switched-off one
            self._check_in_odoo(mapping)
        with self._uow() as uow:
            repository = uow.odoo_mappings
            if isinstance(mapping, OdooFieldMapping):
                saved = repository.save_field_mapping(self._instance_id, mapping, uuid.uuid4())
            elif isinstance(mapping, CategoryMapping):
                saved = repository.save_category_mapping(self._instance_id, mapping, uuid.uuid4())
            else:
                saved = repository.save_tax_mapping(self._instance_id, mapping, uuid.uuid4())
            uow.commit()
        return saved

    def delete(self, kind: MappingKind, mapping_id: uuid.UUID) -> None:
        """Deleting a field mapping that changed or switched off a default brings that default back."""
        with self._uow() as uow:
            if not uow.odoo_mappings.delete(self._instance_id, kind, mapping_id):
                raise NotFound(f"Odoo {kind} mapping", mapping_id)
            uow.commit()

    def effective(self) -> Effective:
        """What a sync applies: the field mappings in force that are switched on, categories and taxes."""
        with self._uow() as uow:
            repository = uow.odoo_mappings
            stored_fields = repository.field_mappings(self._instance_id)
            fields = effective_field_mappings([stored.mapping for stored in stored_fields])
            categories = tuple(stored.mapping for stored in repository.category_mappings(self._instance_id))
            taxes = tuple(stored.mapping for stored in repository.tax_mappings(self._instance_id))
        return fields, categories, taxes

    def odoo_fields(self) -> dict[str, dict[str, Any]]:
        """Odoo's product fields by name (`string`, `type`, `relation`), from the per-process cache."""
        return self._fields.fields(self._instance_id, self._connection())

    def _check_in_odoo(self, mapping: OdooFieldMapping | CategoryMapping | TaxMapping) -> None:
        try:
            if isinstance(mapping, OdooFieldMapping):
                check_odoo_field(mapping, self.odoo_fields())
                return
            if isinstance(mapping, CategoryMapping):
                model, record_id, field = CATEGORY_MODEL, mapping.odoo_category_id, "odoo_category_id"
            else:
                model, record_id, field = TAX_MODEL, mapping.odoo_tax_id, "odoo_tax_id"
            if not self._catalog(self._connection()).search_count(model, [("id", "=", record_id)]):
                raise InvalidValue(f"{field} {record_id} is not a {model} record in Odoo", field=field)
        except InvalidValue as error:
            raise ValidationFailed([error]) from None

    def _connection(self) -> OdooConnection:
        """Mappings are checked against Odoo: without a connection there is nothing to check them against."""
        try:
            return self._setup.connection()
        except NotFound:
            raise Conflict("mappings are checked against Odoo: set the Odoo connection first") from None
