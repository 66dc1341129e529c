"""Route declarations of the mapping suggestions, for an instance and (the same) for the default instance."""

from __future__ import annotations

from productsmanager.domain.users import Role
from productsmanager.entrypoints.falcon.odoo.suggestions import OdooSuggestionsAcceptResource, OdooSuggestionsResource
from productsmanager.entrypoints.falcon.routing import Operation, Route

GET = Operation(
    summary="Odoo fields proposed for each catalog field, ranked by name, type and agreeing values",
    role=Role.VIEWER,
    response="OdooFieldMappingSuggestions",
    errors=(401, 404, 409, 502),
)
ACCEPT = Operation(
    summary="Save the chosen suggestions as field mappings, all or nothing; checked against Odoo",
    role=Role.ADMIN,
    request="OdooSuggestionsAccept",
    response="OdooSuggestionsAccepted",
    errors=(401, 403, 404, 409, 422, 502),
)


def _routes(prefix: str, stem: str) -> tuple[Route, Route]:
    return (
        Route(
            path=f"{prefix}/field-mappings/suggestions",
            name=f"{stem}_field_mapping_suggestions",
            factory=lambda c: OdooSuggestionsResource(c.odoo_mapping_suggestions),
            operations={"GET": GET},
        ),
        Route(
            path=f"{prefix}/field-mappings/suggestions/accept",
            name=f"{stem}_field_mapping_suggestions_accept",
            factory=lambda c: OdooSuggestionsAcceptResource(c.odoo_mapping_suggestions),
            operations={"POST": ACCEPT},
        ),
    )


ROUTES = (
    *_routes("/api/v1/odoo", "odoo"),
    *_routes("/api/v1/odoo/instances/{instance_id}", "odoo_instance"),
)
