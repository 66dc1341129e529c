"""The API's OpenAPI document, as `productsmanager openapi` prints it and `GET /api/v1/openapi.json` serves it
(made in `routes`, next to the route table it describes)."""

from __future__ import annotations

from productsmanager.entrypoints.falcon.routes import openapi_document

__all__ = ["openapi_document"]
