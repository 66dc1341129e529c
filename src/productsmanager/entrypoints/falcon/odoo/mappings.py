"""The Odoo mappings: one collection and one item resource per kind (field, category, tax), and the list of
Odoo's product fields a field mapping may name."""

from __future__ import annotations

from collections.abc import Callable

import falcon

from productsmanager.application.odoo.odoo_mapping_manager import MappingKind, OdooMappingManager
from productsmanager.entrypoints.falcon import serializers as envelopes
from productsmanager.entrypoints.falcon.odoo import serializers
from productsmanager.entrypoints.falcon.odoo.schemas import BODIES
from productsmanager.entrypoints.falcon.requests import path_uuid, respond

SCHEMAS = {"field": "OdooFieldMappingPost", "category": "OdooCategoryMappingPost", "tax": "OdooTaxMappingPost"}


class OdooMappingCollectionResource:
    def __init__(self, mappings: Callable[[str | None], OdooMappingManager], kind: MappingKind) -> None:
        self._mappings = mappings
        self._kind = kind

    def on_get(self, req: falcon.Request, resp: falcon.Response, instance_id: str | None = None) -> None:
        """Field mappings: those in force, the defaults (id null) with the stored ones layered over them."""
        if self._kind == "field":
            respond(resp, serializers.field_mappings_in_force(self._mappings(instance_id).field_mappings_in_force()))
            return
        stored, _ = self._mappings(instance_id).mappings(self._kind)
        respond(resp, envelopes.listing(stored, serializers.mapping))

    def on_post(self, req: falcon.Request, resp: falcon.Response, instance_id: str | None = None) -> None:
        stored, created = self._mappings(instance_id).save(self._kind, BODIES.read(req, SCHEMAS[self._kind]))
        respond(resp, serializers.mapping(stored), 201 if created else 200)


class OdooMappingItemResource:
    def __init__(self, mappings: Callable[[str | None], OdooMappingManager], kind: MappingKind) -> None:
        self._mappings = mappings
        self._kind = kind

    def on_delete(
        self, req: falcon.Request, resp: falcon.Response, mapping_id: str, instance_id: str | None = None
    ) -> None:
        self._mappings(instance_id).delete(self._kind, path_uuid(mapping_id, "mapping_id"))
        resp.status = falcon.HTTP_204


class OdooFieldsResource:
    def __init__(self, mappings: Callable[[str | None], OdooMappingManager]) -> None:
        self._mappings = mappings

    def on_get(self, req: falcon.Request, resp: falcon.Response, instance_id: str | None = None) -> None:
        respond(resp, serializers.odoo_fields(self._mappings(instance_id).odoo_fields()))
