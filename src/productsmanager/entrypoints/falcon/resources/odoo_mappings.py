"""The Odoo mappings over HTTP: one collection and one item resource per kind (field, category, tax), and the
list of Odoo's product fields a field mapping may name."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import falcon

from productsmanager.application.odoo.mapping_ports import Stored
from productsmanager.application.odoo.odoo_mapping_manager import MappingKind, OdooMappingManager
from productsmanager.domain.odoo.mappings import CategoryMapping, OdooFieldMapping, TaxMapping
from productsmanager.entrypoints.falcon.resources.common import path_uuid, respond
from productsmanager.entrypoints.falcon.validation import read_body

SCHEMAS = {"field": "OdooFieldMappingPost", "category": "OdooCategoryMappingPost", "tax": "OdooTaxMappingPost"}


def mapping_json(stored: Stored[Any]) -> dict[str, Any]:
    mapping = stored.mapping
    body: dict[str, Any] = {"id": stored.id}
    if isinstance(mapping, OdooFieldMapping):
        return body | mapping.to_json()
    if isinstance(mapping, CategoryMapping):
        return body | {"local_category": mapping.local_category, "odoo_category_id": mapping.odoo_category_id}
    assert isinstance(mapping, TaxMapping)
    return body | {"vat_rate": str(mapping.vat_rate), "odoo_tax_id": mapping.odoo_tax_id}


class OdooMappingCollectionResource:
    def __init__(self, mappings: Callable[[], OdooMappingManager], kind: MappingKind) -> None:
        self._mappings = mappings
        self._kind = kind

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        """Field mappings: those in force, the defaults (id null) with the stored ones layered over them."""
        mappings = self._mappings()
        if self._kind == "field":
            layered = mappings.field_mappings_in_force()
            items = [{"id": mapping_id, **mapping.to_json()} for mapping_id, mapping in layered]
            respond(resp, {"items": items, "defaults": all(mapping_id is None for mapping_id, _ in layered)})
            return
        stored, _ = mappings.mappings(self._kind)
        respond(resp, {"items": [mapping_json(s) for s in stored]})

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        stored, created = self._mappings().save(self._kind, read_body(req, SCHEMAS[self._kind]))
        respond(resp, mapping_json(stored), 201 if created else 200)


class OdooMappingItemResource:
    def __init__(self, mappings: Callable[[], OdooMappingManager], kind: MappingKind) -> None:
        self._mappings = mappings
        self._kind = kind

    def on_delete(self, req: falcon.Request, resp: falcon.Response, mapping_id: str) -> None:
        self._mappings().delete(self._kind, path_uuid(mapping_id, "mapping_id"))
        resp.status = falcon.HTTP_204


class OdooFieldsResource:
    def __init__(self, mappings: Callable[[], OdooMappingManager]) -> None:
        self._mappings = mappings

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        """Sorted by name; `relation` is the model a many2one or x2many points to (null for other types)."""
        fields = self._mappings().odoo_fields()
        items = [
            {"name": name, "string": f.get("string", name), "type": f.get("type"), "relation": f.get("relation")}
            for name, f in sorted(fields.items())
        ]
        respond(resp, {"items": items})
