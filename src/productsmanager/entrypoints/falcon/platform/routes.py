"""Route declarations of the platform routes (a declarative table). The document's own route takes the
document from whoever assembles the API: only the assembly knows every capability's routes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from productsmanager.entrypoints.falcon.platform.docs import ASSETS_PATH, DocsAsset, DocsPage
from productsmanager.entrypoints.falcon.platform.resources import HealthResource, OpenApiResource
from productsmanager.entrypoints.falcon.routing import Operation, Page, Route

DOCS_PATH = "/api/docs"


def routes(document: Callable[[], dict[str, Any]]) -> tuple[Route, ...]:
    """The routes the OpenAPI document describes."""
    return (
        Route(
            path="/api/v1/health",
            name="health",
            factory=lambda container: HealthResource(container.health_monitor),
            operations={
                "GET": Operation(
                    summary="Each dependency's state (database, broker, media store); 503 with Retry-After when one "
                    "is down",
                    role=None,
                    response="Health",
                    also=(503,),
                )
            },
        ),
        Route(
            path="/api/v1/openapi.json",
            name="openapi",
            factory=lambda container: OpenApiResource(document),
            operations={"GET": Operation(summary="This document", role=None)},
        ),
    )


PAGES = (
    Page(path=DOCS_PATH, factory=lambda container: DocsPage()),
    Page(path=ASSETS_PATH + "/{name}", factory=lambda container: DocsAsset()),
)
