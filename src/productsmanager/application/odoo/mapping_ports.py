"""Where the Odoo mappings are kept: each stored mapping has an id, by which the API deletes it."""

from __future__ import annotations

import uuid
from typing import Generic, Protocol, TypeVar

from attrs import frozen

from productsmanager.domain.odoo.mappings import CategoryMapping, OdooFieldMapping, TaxMapping

M = TypeVar("M", OdooFieldMapping, CategoryMapping, TaxMapping)


Effective = tuple[tuple[OdooFieldMapping, ...], tuple[CategoryMapping, ...], tuple[TaxMapping, ...]]


@frozen
class Stored(Generic[M]):
    id: uuid.UUID
    mapping: M


class OdooMappingRepository(Protocol):
    """Saving by natural key (`odoo_field`, `local_category`, `vat_rate`) replaces the mapping of that key and
    keeps its id, so that POSTing the same key twice updates rather than conflicts. Every instance has its own
    mappings."""

    def field_mappings(self, instance_id: uuid.UUID) -> list[Stored[OdooFieldMapping]]: ...
    def save_field_mapping(
        self, instance_id: uuid.UUID, mapping: OdooFieldMapping, new_id: uuid.UUID
    ) -> tuple[Stored[OdooFieldMapping], bool]:
        """The stored mapping, and whether it was created (rather than updated)."""
        ...

    def category_mappings(self, instance_id: uuid.UUID) -> list[Stored[CategoryMapping]]: ...
    def save_category_mapping(
        self, instance_id: uuid.UUID, mapping: CategoryMapping, new_id: uuid.UUID
    ) -> tuple[Stored[CategoryMapping], bool]: ...

    def tax_mappings(self, instance_id: uuid.UUID) -> list[Stored[TaxMapping]]: ...
    def save_tax_mapping(
        self, instance_id: uuid.UUID, mapping: TaxMapping, new_id: uuid.UUID
    ) -> tuple[Stored[TaxMapping], bool]: ...

    def delete(self, instance_id: uuid.UUID, kind: str, mapping_id: uuid.UUID) -> bool:
        """`kind` is `field`, `category` or `tax`; False when no such mapping exists."""
        ...
