"""Field mappings proposed instead of typed: for each catalog field a mapping can target, Odoo's product fields
ranked by name, type and how often their values already agree on linked products; the chosen ones are saved
through the mapping manager, so that an accepted suggestion is checked like any mapping."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from attrs import frozen

from productsmanager.application.odoo.instance_scope import ForInstance
from productsmanager.application.odoo.mapping_ports import Stored
from productsmanager.application.odoo.odoo_mapping_manager import OdooMappingManager
from productsmanager.application.odoo.odoo_setup import OdooSetup
from productsmanager.application.odoo.ports import OdooCatalog, OdooConnection
from productsmanager.application.odoo.suggestion_ports import LinkedSample
from productsmanager.domain.errors import Conflict, InvalidValue, NotFound, ValidationFailed
from productsmanager.domain.odoo.instances import DEFAULT_INSTANCE_ID
from productsmanager.domain.odoo.mappings import LOCAL_FIELDS, OdooFieldMapping
from productsmanager.domain.odoo.suggestions import OdooFieldInfo, Suggestion, incompatibility, suggest

MODEL = "product.product"
SAMPLE_SIZE = 200
TOP = 5
MAX_CHOICES = len(LOCAL_FIELDS) * TOP


@frozen
class MappingSuggestions:
    """`by_field` in `LOCAL_FIELDS` order; `sample_size` is how many linked products the values were compared on."""

    by_field: tuple[tuple[str, tuple[Suggestion, ...]], ...]
    sample_size: int


class OdooMappingSuggestions:
    def __init__(
        self,
        mappings: ForInstance[OdooMappingManager],
        setup: ForInstance[OdooSetup],
        catalog: Callable[[OdooConnection], OdooCatalog],
        linked: LinkedSample,
    ) -> None:
        self._mappings = mappings
        self._setup = setup
        self._catalog = catalog
        self._linked = linked

    def suggest(self, instance_id: uuid.UUID = DEFAULT_INSTANCE_ID, top: int = TOP) -> MappingSuggestions:
        """Odoo is asked twice at most: its fields (cached), and one `read` of the sampled records."""
        self._known(instance_id)
        manager = self._mappings(instance_id=instance_id)
        fields = [OdooFieldInfo.from_fields_get(n, d) for n, d in sorted(manager.odoo_fields().items())]
        usable = [f for f in fields if any(incompatibility(local, f) is None for local in LOCAL_FIELDS)]
        sample = self._sample(instance_id, [f.name for f in usable])
        ranked = tuple((local, tuple(suggest(local, usable, sample, top))) for local in LOCAL_FIELDS)
        return MappingSuggestions(ranked, len(sample))

    def accept(self, instance_id: uuid.UUID, choices: Sequence[Mapping[str, Any]]) -> list[Stored[OdooFieldMapping]]:
        """All or nothing: every choice is parsed and checked against Odoo's fields before the first is saved
        (each refusal named `<index>.<field>`), then each is saved by the manager's own path."""
        self._known(instance_id)
        manager = self._mappings(instance_id=instance_id)
        odoo_fields = manager.odoo_fields()
        errors: list[InvalidValue] = []
        seen: set[str] = set()
        for index, raw in enumerate(choices):
            try:
                mapping = OdooFieldMapping.parse(raw)
            except ValidationFailed as failed:
                errors += [InvalidValue(e.message, field=f"{index}.{e.field}") for e in failed.errors]
                continue
            described = odoo_fields.get(mapping.odoo_field)
            reason = (
                incompatibility(mapping.local_field, OdooFieldInfo.from_fields_get(mapping.odoo_field, described))
                if described is not None
                else f"odoo_field {mapping.odoo_field} does not exist on Odoo products"
            )
            if mapping.odoo_field in seen:
                reason = f"odoo_field {mapping.odoo_field} is chosen twice"
            seen.add(mapping.odoo_field)
            if reason is not None:
                errors.append(InvalidValue(reason, field=f"{index}.odoo_field"))
        if errors:
            raise ValidationFailed(errors)
        return [manager.save("field", raw)[0] for raw in choices]

    def _sample(self, instance_id: uuid.UUID, names: list[str]) -> list[tuple[Mapping[str, object], Mapping[str, Any]]]:
        linked = self._linked.sample(instance_id, SAMPLE_SIZE)
        if not linked or not names:
            return []
        records = self._catalog(self._connection(instance_id)).read(MODEL, [odoo_id for odoo_id, _ in linked], names)
        by_id = {record.get("id"): record for record in records}
        return [(values, by_id[odoo_id]) for odoo_id, values in linked if odoo_id in by_id]

    def _connection(self, instance_id: uuid.UUID) -> OdooConnection:
        try:
            return self._setup(instance_id=instance_id).connection()
        except NotFound:
            raise Conflict("suggestions come from Odoo: set the Odoo connection first") from None

    def _known(self, instance_id: uuid.UUID) -> None:
        """Raises `NotFound` for an instance that does not exist."""
        self._setup(instance_id=instance_id).instance()
