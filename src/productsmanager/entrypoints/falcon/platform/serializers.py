"""The health report as JSON."""

from __future__ import annotations

from typing import Any

from productsmanager.application.health import HealthReport


def health(report: HealthReport) -> dict[str, Any]:
    """`database` at the top level is kept for the clients that read it."""
    checks = {name: {"status": result.status, "backend": result.backend} for name, result in report.checks.items()}
    database = report.checks["database"].status if "database" in report.checks else "ok"
    return {"status": report.status, "database": database, "checks": checks}
