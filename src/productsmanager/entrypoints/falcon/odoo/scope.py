"""Every Odoo endpoint is declared once and mounted twice: under `/api/v1/odoo` for the default instance (as
before instances existed), and under `/api/v1/odoo/instances/{instance_id}` for any instance. A resource gets
its use cases through a scoped factory, called with the path's `instance_id` (None on the default paths)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from attrs import evolve, frozen

from productsmanager.entrypoints.falcon.requests import path_uuid
from productsmanager.entrypoints.falcon.routing import Route

Scoped = Callable[[str | None], Any]
"""A use case for the instance a path names: `scoped(instance_id)`; None is the default instance."""


@frozen
class Mount:
    prefix: str
    name: str  # the operation ids' stem
    by_path: bool  # the instance comes from the path's `instance_id`

    def scoped(self, container: Any, provider: Callable[..., Any]) -> Scoped:
        """An unknown instance is a 404 problem, like an unknown run or schedule."""

        def for_instance(instance_id: str | None = None) -> Any:
            if not self.by_path or instance_id is None:
                return provider()  # the default instance: each use case's default
            found = path_uuid(instance_id, "Odoo instance")
            container.odoo_instances().get(found)  # NotFound: 404
            return provider(instance_id=found)

        return for_instance

    def mounted(self, routes: tuple[Route, ...]) -> tuple[Route, ...]:
        """On an instance's paths, every operation may also answer 404 (no such instance)."""
        if not self.by_path:
            return routes
        return tuple(
            evolve(
                route,
                operations={
                    method: evolve(op, errors=tuple(sorted({*op.errors, 404})))
                    for method, op in route.operations.items()
                },
            )
            for route in routes
        )


DEFAULT_MOUNT = Mount("/api/v1/odoo", "odoo", by_path=False)
INSTANCE_MOUNT = Mount("/api/v1/odoo/instances/{instance_id}", "odoo_instance", by_path=True)
