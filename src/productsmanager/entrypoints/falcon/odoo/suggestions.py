"""The mapping suggestions of an Odoo instance: read them, accept some as field mappings."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import falcon

from productsmanager.application.odoo.mapping_suggestions import MappingSuggestions, OdooMappingSuggestions
from productsmanager.domain.odoo.instances import DEFAULT_INSTANCE_ID
from productsmanager.domain.odoo.suggestions import Suggestion
from productsmanager.entrypoints.falcon.odoo import serializers
from productsmanager.entrypoints.falcon.odoo.schemas import BODIES
from productsmanager.entrypoints.falcon.requests import path_uuid, respond


class OdooSuggestionsResource:
    def __init__(self, suggestions: Callable[[], OdooMappingSuggestions]) -> None:
        self._suggestions = suggestions

    def on_get(self, req: falcon.Request, resp: falcon.Response, instance_id: str | None = None) -> None:
        respond(resp, _listing(self._suggestions().suggest(_instance(instance_id))))


class OdooSuggestionsAcceptResource:
    def __init__(self, suggestions: Callable[[], OdooMappingSuggestions]) -> None:
        self._suggestions = suggestions

    def on_post(self, req: falcon.Request, resp: falcon.Response, instance_id: str | None = None) -> None:
        choices = BODIES.read(req, "OdooSuggestionsAccept")
        saved = self._suggestions().accept(_instance(instance_id), choices)  # type: ignore[arg-type]
        respond(resp, {"items": [serializers.mapping(stored) for stored in saved]})


def _instance(raw: str | None) -> Any:
    return DEFAULT_INSTANCE_ID if raw is None else path_uuid(raw, "instance_id")


def _listing(found: MappingSuggestions) -> dict[str, Any]:
    return {
        "items": [
            {"local_field": local, "suggestions": [_suggestion(s) for s in suggestions]}
            for local, suggestions in found.by_field
        ],
        "sample_size": found.sample_size,
    }


def _suggestion(found: Suggestion) -> dict[str, Any]:
    agreement = found.agreement
    return {
        "odoo_field": found.odoo_field.name,
        "string": found.odoo_field.label,
        "type": found.odoo_field.type,
        "relation": found.odoo_field.relation,
        "score": found.score,
        "name_score": found.name_score,
        "agreement": None
        if agreement is None
        else {"agreeing": agreement.agreeing, "sample_size": agreement.sample_size, "share": round(agreement.share, 4)},
        "reasons": list(found.reasons),
    }
